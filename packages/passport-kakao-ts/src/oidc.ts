import { IdTokenError, IdTokenVerifier, resolveIdTokenChecks } from '@passport-korea/internal';
import type { IdTokenCheckOptions, IdTokenErrorCode, IdTokenVerifierOptions, ProviderRequestError, VerifiedIdTokenClaims } from '@passport-korea/internal';
import type { Agent } from 'node:http';

/** Kakao's id_token issuer (docs/providers/kakao.md A6). */
export const KAKAO_ISSUER = 'https://kauth.kakao.com';

/** The claims of a verified Kakao id_token (docs/providers/kakao.md A6). */
export interface KakaoIdTokenClaims extends VerifiedIdTokenClaims {
  iss: string;
  aud: string | string[];
  /** The Kakao user id, as a string. */
  sub: string;
  iat: number;
  exp: number;
  auth_time?: number;
  /** Echoed from the authorization request. */
  nonce?: string;
  /** With the nickname consent item. */
  nickname?: string;
  /** The thumbnail URL, with the profile image consent item. */
  picture?: string;
  /** Only when the email is valid and verified. */
  email?: string;
}

/**
 * Why an id_token was refused. Stable; branch on these.
 * - `MISSING`: OIDC was asked for and the token response had no id_token.
 * - `NO_STORED_NONCE`: OIDC is on, but this login kept no nonce of its own (state off, or a store that drops it):
 *   an id_token can't be tied to the browser that started the login, so it is refused.
 * - `MALFORMED`: not a JWS compact JWT with the required claims.
 * - `ALG_NOT_ALLOWED`: not RS256 (`none`, HS256 signed with the client secret…).
 * - `BAD_SIGNATURE`: the signature does not verify with Kakao's key.
 * - `UNKNOWN_KID`: no key with that `kid`, even after refetching the JWKS once.
 * - `ISSUER_MISMATCH`, `AUDIENCE_MISMATCH`: `iss` is not Kakao's, `aud` is not one of the app's keys.
 * - `AZP_MISMATCH`: several audiences, and `azp` is not the app's key (OIDC Core 3.1.3.7).
 * - `EXPIRED`, `ISSUED_IN_FUTURE`: `exp` or `iat` out of range, beyond the clock tolerance.
 * - `NONCE_MISMATCH`: `nonce` missing or not the one this login sent.
 * - `SUBJECT_MISMATCH`: the id_token's `sub` is not the id `/v2/user/me` answered for the same access token.
 * - `JWKS_UNAVAILABLE`, `JWKS_TIMEOUT`: Kakao's keys could not be fetched (error, bad answer, or no answer in time).
 */
export type KakaoIdTokenErrorCode = IdTokenErrorCode;

/**
 * The id_token was missing or failed verification; the user is not logged in. Neither the token nor any of its claims
 * is in the message or the error's properties (jose's own error, which carries the claims, is not kept); `cause` is
 * set only for a failed JWKS request.
 */
export class KakaoIdTokenError extends IdTokenError {
  override name = 'KakaoIdTokenError';
  declare readonly code: KakaoIdTokenErrorCode;

  constructor(code: KakaoIdTokenErrorCode, message: string, cause?: ProviderRequestError) {
    super('kakao', code, message, cause);
  }
}

/** Verifies Kakao id_tokens: RS256 only, Kakao's JWKS (cached, refetched on an unknown `kid`), `iss`, `aud`/`azp`, `exp`/`iat`, nonce. */
export class KakaoIdTokenVerifier extends IdTokenVerifier<KakaoIdTokenClaims> {}

/**
 * Checks and resolves the id_token options into the verifier's: the issuer (`issuer`, else `baseURL` for the emulator,
 * else Kakao's), the clock tolerance and the JWKS refetch cooldown, with `TypeError`s naming the option.
 */
export function resolveKakaoIdTokenChecks(
  options: IdTokenCheckOptions,
  owner: string,
  target: { jwksURL: string; audience: string | readonly string[]; timeout: number; agent?: (() => Agent | undefined) | undefined },
): IdTokenVerifierOptions {
  return resolveIdTokenChecks(options, owner, {
    ...target,
    provider: 'kakao',
    createError: (code, message, cause) => new KakaoIdTokenError(code, message, cause),
    // Kakao's OIDC discovery lists id_token_signing_alg_values_supported ["RS256"] (docs/providers/kakao.md A6).
    algorithms: ['RS256'],
    defaultIssuer: KAKAO_ISSUER,
    // The emulator is its own issuer: one origin serves Kakao's paths.
    issuerForBaseURL: (baseURL) => baseURL,
  });
}

/** In userinfo mode, the profile must be the id_token's user (OIDC Core 5.3.2: `sub` must match). */
export function assertSameSubject(claims: KakaoIdTokenClaims, profileId: string): void {
  if (claims.sub !== profileId) throw new KakaoIdTokenError('SUBJECT_MISMATCH', "the id_token's sub is not the user /v2/user/me answered for");
}
