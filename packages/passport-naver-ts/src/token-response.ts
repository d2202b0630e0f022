/**
 * QUIRK (docs/providers/naver.md B2, B6.4; Naver Login API docs, token response example): `expires_in` arrives as a
 * string (`"3600"`). The verify callback and passport-oauth2-refresh get a number.
 */
export function normalizeNaverTokenResponse(json: Record<string, unknown>): Record<string, unknown> {
  const results = { ...json };
  const value = results['expires_in'];
  if (value !== undefined) {
    // Only a number or a numeric string: converting an object or array could run (or, with a `toString` key that is
    // not a function, throw from) its conversion methods; anything else is dropped rather than guessed at.
    const seconds = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
    if (Number.isFinite(seconds)) results['expires_in'] = seconds;
    else delete results['expires_in'];
  }
  return results;
}
