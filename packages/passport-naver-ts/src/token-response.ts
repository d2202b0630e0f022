/**
 * QUIRK (provider-reference B2, B6.4; Naver Login API docs, token response example): `expires_in` arrives as a
 * string (`"3600"`). The verify callback and passport-oauth2-refresh get a number.
 */
export function normalizeNaverTokenResponse(json: Record<string, unknown>): Record<string, unknown> {
  const results = { ...json };
  if (results['expires_in'] !== undefined) {
    const seconds = Number(results['expires_in']);
    if (Number.isFinite(seconds) && String(results['expires_in']).trim() !== '') results['expires_in'] = seconds;
    else delete results['expires_in'];
  }
  return results;
}
