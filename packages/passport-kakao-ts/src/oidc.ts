import { randomBytes } from 'node:crypto';
import type { JWTPayload, JWTVerifyGetKey } from 'jose';

/** Kakao's id_token issuer (provider-reference A6). */
export const KAKAO_ISSUER = 'https://kauth.kakao.com';
/** Default clock tolerance for `exp` and `iat`, in seconds. */
export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 60;

/** The claims of a verified Kakao id_token (provider-reference A6). */
export interface KakaoIdTokenClaims extends JWTPayload {
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
 * - `MALFORMED`: not a JWS compact JWT with the required claims.
 * - `ALG_NOT_ALLOWED`: not RS256 (`none`, HS256 signed with the client secret…).
 * - `BAD_SIGNATURE`: the signature does not verify with Kakao's key.
 * - `UNKNOWN_KID`: no key with that `kid`, even after refetching the JWKS once.
 * - `ISSUER_MISMATCH`, `AUDIENCE_MISMATCH`: `iss` is not Kakao's, `aud` is not this app's REST API key.
 * - `EXPIRED`, `ISSUED_IN_FUTURE`: `exp` or `iat` out of range, beyond the clock tolerance.
 * - `NONCE_MISMATCH`: `nonce` missing or not the one this login sent.
 * - `JWKS_UNAVAILABLE`, `JWKS_TIMEOUT`: Kakao's keys could not be fetched (error, bad answer, or no answer in time).
 */
export type KakaoIdTokenErrorCode =
  | 'MISSING'
  | 'MALFORMED'
  | 'ALG_NOT_ALLOWED'
  | 'BAD_SIGNATURE'
  | 'UNKNOWN_KID'
  | 'ISSUER_MISMATCH'
  | 'AUDIENCE_MISMATCH'
  | 'EXPIRED'
  | 'ISSUED_IN_FUTURE'
  | 'NONCE_MISMATCH'
  | 'JWKS_UNAVAILABLE'
  | 'JWKS_TIMEOUT';

/** The id_token was missing or failed verification; the user is not logged in. The token is never in the message. */
export class KakaoIdTokenError extends Error {
  override name = 'KakaoIdTokenError';
  readonly code: KakaoIdTokenErrorCode;

  constructor(code: KakaoIdTokenErrorCode, message: string, cause?: unknown) {
    super(`Kakao id_token refused (${code}): ${message}`);
    this.code = code;
    if (cause !== undefined) Object.defineProperty(this, 'cause', { value: cause, enumerable: false, configurable: true, writable: true });
  }
}

/** What {@link IdTokenVerifier} checks against. */
export interface IdTokenVerifierOptions {
  jwksURL: string;
  issuer: string;
  /** The REST API key. */
  audience: string;
  clockToleranceSeconds: number;
  /** Deadline for fetching the JWKS, in ms. */
  timeout: number;
  /** Minimum time between two JWKS fetches for an unknown `kid`, in ms (jose's `cooldownDuration`). */
  jwksRefetchCooldownMs: number;
}

/** A fresh nonce for one authorization request: 32 random bytes, base64url. */
export function createNonce(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Verifies Kakao id_tokens with jose: RS256 only, signature against Kakao's JWKS (fetched once and cached across
 * logins, refetched when an unknown `kid` appears), `iss`, `aud`, `exp`/`iat` with a clock tolerance, and the nonce.
 * jose is loaded on first use, so apps without OIDC never load it.
 */
export class IdTokenVerifier {
  private jwks: JWTVerifyGetKey | undefined;

  constructor(private readonly options: IdTokenVerifierOptions) {}

  /**
   * @param idToken - The compact JWT from the token response.
   * @param expectedNonce - The nonce this login sent, if any; then the token must carry exactly it.
   */
  async verify(idToken: string, expectedNonce: string | undefined): Promise<KakaoIdTokenClaims> {
    const jose = await import('jose');
    this.jwks ??= jose.createRemoteJWKSet(new URL(this.options.jwksURL), {
      timeoutDuration: this.options.timeout,
      cooldownDuration: this.options.jwksRefetchCooldownMs,
    });
    let payload: JWTPayload;
    try {
      ({ payload } = await jose.jwtVerify(idToken, this.jwks, {
        algorithms: ['RS256'],
        issuer: this.options.issuer,
        audience: this.options.audience,
        clockTolerance: this.options.clockToleranceSeconds,
        requiredClaims: ['iss', 'aud', 'sub', 'iat', 'exp'],
      }));
    } catch (error) {
      throw toIdTokenError(error);
    }
    if (typeof payload.sub !== 'string') throw new KakaoIdTokenError('MALFORMED', 'sub is not a string');
    // jose checks `iat` only with maxTokenAge; a token issued in the future (beyond the tolerance) is refused here.
    if (typeof payload.iat === 'number' && payload.iat > Date.now() / 1000 + this.options.clockToleranceSeconds) {
      throw new KakaoIdTokenError('ISSUED_IN_FUTURE', 'iat is later than now plus the clock tolerance');
    }
    if (expectedNonce !== undefined && payload['nonce'] !== expectedNonce) {
      throw new KakaoIdTokenError('NONCE_MISMATCH', payload['nonce'] === undefined ? 'the token has no nonce' : 'the nonce is not the one this login sent');
    }
    return payload as KakaoIdTokenClaims;
  }
}

/** Maps jose's error codes to ours. */
function toIdTokenError(error: unknown): KakaoIdTokenError {
  const code = (error as { code?: unknown }).code;
  const claim = (error as { claim?: unknown }).claim;
  const message = error instanceof Error ? error.message : String(error);
  switch (code) {
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return new KakaoIdTokenError('ALG_NOT_ALLOWED', message, error);
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return new KakaoIdTokenError('BAD_SIGNATURE', message, error);
    case 'ERR_JWKS_NO_MATCHING_KEY':
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return new KakaoIdTokenError('UNKNOWN_KID', message, error);
    case 'ERR_JWT_EXPIRED':
      return new KakaoIdTokenError('EXPIRED', message, error);
    case 'ERR_JWKS_TIMEOUT':
      return new KakaoIdTokenError('JWKS_TIMEOUT', message, error);
    case 'ERR_JWKS_INVALID':
      return new KakaoIdTokenError('JWKS_UNAVAILABLE', message, error);
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      if (claim === 'iss') return new KakaoIdTokenError('ISSUER_MISMATCH', message, error);
      if (claim === 'aud') return new KakaoIdTokenError('AUDIENCE_MISMATCH', message, error);
      if (claim === 'iat') return new KakaoIdTokenError('ISSUED_IN_FUTURE', message, error);
      return new KakaoIdTokenError('MALFORMED', message, error);
    case 'ERR_JWS_INVALID':
    case 'ERR_JWT_INVALID':
      // jose refuses an unsecured (`alg: none`) token as an invalid JWS before looking at algorithms.
      return /alg|unsecured/i.test(message) ? new KakaoIdTokenError('ALG_NOT_ALLOWED', message, error) : new KakaoIdTokenError('MALFORMED', message, error);
    default:
      // A fetch that failed (refused, reset) or any other trouble getting the keys.
      return new KakaoIdTokenError('JWKS_UNAVAILABLE', message, error);
  }
}
