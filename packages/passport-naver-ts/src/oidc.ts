import { IdTokenError, IdTokenVerifier, resolveIdTokenChecks } from '@passport-korea/internal';
import type { IdTokenCheckOptions, IdTokenErrorCode, IdTokenVerifierOptions, ProviderRequestError, VerifiedIdTokenClaims } from '@passport-korea/internal';
import type { Agent } from 'node:http';

/** Naver's id_token issuer (docs/providers/naver.md B5, discovery `issuer`). */
export const NAVER_ISSUER = 'https://nid.naver.com';

/**
 * The claims of a verified Naver id_token. Naver documents no claim list (docs/providers/naver.md B5 ⚠): `iss`, `aud`,
 * `sub`, `exp` and `iat` are what the strategy requires and checks; anything else Naver adds is kept as it came.
 */
export interface NaverIdTokenClaims extends VerifiedIdTokenClaims {
  iss: string;
  aud: string | string[];
  /**
   * Naver's OpenID Connect subject for this user in this app (discovery: `pairwise`). It need not equal the `id` of
   * `/v1/nid/me` (docs/providers/naver.md B8 ⚠): never match one against the other.
   */
  sub: string;
  iat: number;
  exp: number;
  /** Present only if Naver echoes the nonce the login sent (not documented, B8 ⚠). */
  nonce?: string;
}

/**
 * Why a Naver id_token was refused. Stable; branch on these.
 * - `MISSING`: OpenID Connect is on and the token response had no id_token.
 * - `NO_STORED_NONCE`: this login kept no nonce of its own (a store that drops per-login data), so the callback can't
 *   be tied to the browser that started it.
 * - `MALFORMED`: not a JWS compact JWT with the required claims.
 * - `ALG_NOT_ALLOWED`: not RS256, the one algorithm Naver's discovery lists (`none`, HS256 with the secret…).
 * - `BAD_SIGNATURE`: the signature does not verify with Naver's key.
 * - `UNKNOWN_KID`: no key with that `kid`, even after refetching the JWKS (at most once per cooldown).
 * - `ISSUER_MISMATCH`, `AUDIENCE_MISMATCH`: `iss` is not Naver's, `aud` is not the app's Client ID.
 * - `AZP_MISMATCH`: several audiences, and `azp` is not the app's Client ID.
 * - `EXPIRED`, `ISSUED_IN_FUTURE`: `exp` or `iat` out of range, beyond the clock tolerance.
 * - `NONCE_MISMATCH`: the token carries another nonce than this login sent, or none with `requireNonce`.
 * - `JWKS_UNAVAILABLE`, `JWKS_TIMEOUT`: Naver's keys could not be fetched (error, bad answer, or no answer in time).
 *
 * `SUBJECT_MISMATCH` never occurs with Naver: its `sub` and the profile's `id` may differ by design (B8 ⚠).
 */
export type NaverIdTokenErrorCode = IdTokenErrorCode;

/**
 * The id_token was missing or failed verification; the user is not logged in. Neither the token nor any of its claims
 * is in the message or the error's properties; `cause` is set only for a failed JWKS request.
 */
export class NaverIdTokenError extends IdTokenError {
  override name = 'NaverIdTokenError';
  declare readonly code: NaverIdTokenErrorCode;

  constructor(code: NaverIdTokenErrorCode, message: string, cause?: ProviderRequestError) {
    super('naver', code, message, cause);
  }
}

/** Verifies Naver id_tokens: RS256 only, Naver's JWKS (cached, refetched on an unknown `kid`), `iss`, `aud`, `exp`/`iat`. */
export class NaverIdTokenVerifier extends IdTokenVerifier<NaverIdTokenClaims> {}

/**
 * Resolves the id_token options: the issuer (`issuer`, else `{baseURL}/naver` for the emulator, which serves both
 * providers on one origin, else Naver's), the clock tolerance and the JWKS refetch cooldown.
 */
export function resolveNaverIdTokenChecks(
  options: IdTokenCheckOptions,
  owner: string,
  target: { jwksURL: string; audience: string; timeout: number; agent?: (() => Agent | undefined) | undefined },
): IdTokenVerifierOptions {
  return resolveIdTokenChecks(options, owner, {
    ...target,
    provider: 'naver',
    createError: (code, message, cause) => new NaverIdTokenError(code, message, cause),
    // QUIRK (docs/providers/naver.md B5): discovery lists id_token_signing_alg_values_supported ["RS256"].
    algorithms: ['RS256'],
    defaultIssuer: NAVER_ISSUER,
    issuerForBaseURL: (baseURL) => `${baseURL}/naver`,
  });
}
