import { ProviderRequestError, optionalStringOption, sendProviderRequest } from '@passport-korea/internal';
import type { LoginBudget } from '@passport-korea/internal';
import { randomBytes } from 'node:crypto';
import type { Agent } from 'node:http';
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
export type KakaoIdTokenErrorCode =
  | 'MISSING'
  | 'NO_STORED_NONCE'
  | 'MALFORMED'
  | 'ALG_NOT_ALLOWED'
  | 'BAD_SIGNATURE'
  | 'UNKNOWN_KID'
  | 'ISSUER_MISMATCH'
  | 'AUDIENCE_MISMATCH'
  | 'AZP_MISMATCH'
  | 'EXPIRED'
  | 'ISSUED_IN_FUTURE'
  | 'NONCE_MISMATCH'
  | 'SUBJECT_MISMATCH'
  | 'JWKS_UNAVAILABLE'
  | 'JWKS_TIMEOUT';

/**
 * The id_token was missing or failed verification; the user is not logged in. Neither the token nor any of its claims
 * is in the message or the error's properties (jose's own error, which carries the claims, is not kept); `cause` is
 * set only for a failed JWKS request.
 */
export class KakaoIdTokenError extends Error {
  override name = 'KakaoIdTokenError';
  readonly code: KakaoIdTokenErrorCode;

  constructor(code: KakaoIdTokenErrorCode, message: string, cause?: ProviderRequestError) {
    super(`Kakao id_token refused (${code}): ${message}`);
    this.code = code;
    if (cause !== undefined) Object.defineProperty(this, 'cause', { value: cause, enumerable: false, configurable: true, writable: true });
  }
}

/** What {@link IdTokenVerifier} checks against. */
export interface IdTokenVerifierOptions {
  jwksURL: string;
  issuer: string;
  /** The app keys an id_token may be issued to: the REST API key for logins; with SDK tokens, any of the app's keys. */
  audience: string | readonly string[];
  clockToleranceSeconds: number;
  /** Deadline for fetching the JWKS, in ms. */
  timeout: number;
  /** Minimum time between two JWKS fetches for an unknown `kid`, in ms (jose's `cooldownDuration`). */
  jwksRefetchCooldownMs: number;
  /** The HTTP agent for the JWKS request (the strategy's `_oauth2.setAgent`), read at each fetch. */
  agent?: (() => Agent | undefined) | undefined;
}

/** The options every user of {@link IdTokenVerifier} takes (the strategy, the token strategy, the client). */
export interface IdTokenCheckOptions {
  baseURL?: string | undefined;
  issuer?: string | undefined;
  clockTolerance?: number | undefined;
  jwksRefetchCooldown?: number | undefined;
}

/**
 * Checks and resolves the id_token options into the verifier's: the issuer (`issuer`, else `baseURL` for the emulator,
 * else Kakao's), the clock tolerance and the JWKS refetch cooldown, with `TypeError`s naming the option.
 */
export function resolveIdTokenChecks(
  options: IdTokenCheckOptions,
  owner: string,
  target: { jwksURL: string; audience: string | readonly string[]; timeout: number; agent?: (() => Agent | undefined) | undefined },
): IdTokenVerifierOptions {
  const nonNegative = (value: unknown, fallback: number, message: string): number => {
    const resolved = value ?? fallback;
    if (typeof resolved !== 'number' || !(resolved >= 0)) throw new TypeError(`${owner}: ${message}`);
    return resolved;
  };
  const baseURL = optionalStringOption(options.baseURL, 'baseURL', owner)?.replace(/\/+$/, '');
  return {
    ...target,
    issuer: optionalStringOption(options.issuer, 'issuer', owner) ?? baseURL ?? KAKAO_ISSUER,
    clockToleranceSeconds: nonNegative(options.clockTolerance, DEFAULT_CLOCK_TOLERANCE_SECONDS, 'clockTolerance must be a number of seconds (0 or more)'),
    jwksRefetchCooldownMs: nonNegative(options.jwksRefetchCooldown, 30_000, 'jwksRefetchCooldown must be a number of milliseconds (0 or more)'),
  };
}

/** A fresh nonce for one authorization request: 32 random bytes, base64url. */
export function createNonce(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Verifies Kakao id_tokens with jose: RS256 only, signature against Kakao's JWKS (fetched once through the project's
 * HTTP client, with its deadline, size cap and agent, cached across logins, refetched when an unknown `kid` appears),
 * `iss`, `aud` (and `azp` with several audiences), `exp`/`iat` with a clock tolerance, and the nonce when one is
 * expected. jose is loaded on first use, so apps without OIDC never load it.
 */
export class IdTokenVerifier {
  private jwks: JWTVerifyGetKey | undefined;
  private readonly audiences: readonly string[];

  constructor(private readonly options: IdTokenVerifierOptions) {
    this.audiences = typeof options.audience === 'string' ? [options.audience] : [...options.audience];
  }

  /**
   * @param idToken - The compact JWT.
   * @param expectedNonce - The nonce the login sent; when given, the token must carry exactly it.
   */
  async verify(idToken: string, expectedNonce?: string): Promise<KakaoIdTokenClaims> {
    const jose = await import('jose');
    this.jwks ??= jose.createRemoteJWKSet(new URL(this.options.jwksURL), {
      timeoutDuration: this.options.timeout,
      cooldownDuration: this.options.jwksRefetchCooldownMs,
      [jose.customFetch]: (url: string) => this.fetchKeys(url),
    });
    let payload: JWTPayload;
    try {
      ({ payload } = await jose.jwtVerify(idToken, this.jwks, {
        algorithms: ['RS256'],
        issuer: this.options.issuer,
        audience: [...this.audiences],
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
    // OIDC Core 3.1.3.7: with several audiences, the party the token was issued to (`azp`) must be this app.
    if (Array.isArray(payload.aud) && payload.aud.length > 1 && !(typeof payload['azp'] === 'string' && this.audiences.includes(payload['azp']))) {
      throw new KakaoIdTokenError('AZP_MISMATCH', 'the token has several audiences and its azp is not this app');
    }
    if (expectedNonce !== undefined && payload['nonce'] !== expectedNonce) {
      throw new KakaoIdTokenError('NONCE_MISMATCH', payload['nonce'] === undefined ? 'the token has no nonce' : 'the nonce is not the one this login sent');
    }
    return payload as KakaoIdTokenClaims;
  }

  /** jose's `customFetch`: the JWKS through the same HTTP client as every other Kakao request. */
  private async fetchKeys(url: string): Promise<Response> {
    const answer = await sendProviderRequest({ provider: 'kakao', method: 'GET', url, timeout: this.options.timeout, agent: this.options.agent?.() });
    return new Response(answer.body, { status: answer.status, headers: { 'content-type': 'application/json' } });
  }
}

/**
 * The id_token step of a login, between the code exchange and the profile. A login is OpenID Connect when the strategy
 * has OIDC on or this login kept a nonce (per-request `openid` scope); then the id_token is required, it must carry
 * the nonce this login kept, and a login that kept none is refused (`NO_STORED_NONCE`): without its own nonce, an
 * attacker's valid id_token could be replayed into the victim's browser. Otherwise no id_token is checked, and the
 * token response carries no `id_token_claims`.
 */
export async function verifyLoginIdToken(
  verifier: IdTokenVerifier,
  idToken: unknown,
  login: { oidc: boolean; nonce: string | undefined; budget: LoginBudget },
): Promise<KakaoIdTokenClaims | undefined> {
  if (!login.oidc && login.nonce === undefined) return undefined;
  if (login.nonce === undefined) {
    throw new KakaoIdTokenError('NO_STORED_NONCE', 'this login kept no nonce (OpenID Connect needs state on, or a store that keeps per-login data)');
  }
  if (typeof idToken !== 'string') throw new KakaoIdTokenError('MISSING', 'OpenID Connect was asked for, and the token response has no id_token');
  return login.budget.race(verifier.verify(idToken, login.nonce), 'the id_token check', () =>
    new KakaoIdTokenError('JWKS_TIMEOUT', 'the login ran out of time while fetching Kakao\'s keys'));
}

/** In userinfo mode, the profile must be the id_token's user (OIDC Core 5.3.2: `sub` must match). */
export function assertSameSubject(claims: KakaoIdTokenClaims, profileId: string): void {
  if (claims.sub !== profileId) throw new KakaoIdTokenError('SUBJECT_MISMATCH', "the id_token's sub is not the user /v2/user/me answered for");
}

/** Maps jose's error codes to ours, keeping none of jose's error (it carries the token's claims). */
function toIdTokenError(error: unknown): KakaoIdTokenError {
  if (error instanceof KakaoIdTokenError) return error;
  if (error instanceof ProviderRequestError) {
    return new KakaoIdTokenError(error.code === 'TIMEOUT' ? 'JWKS_TIMEOUT' : 'JWKS_UNAVAILABLE', 'Kakao\'s keys could not be fetched', error);
  }
  const code = (error as { code?: unknown }).code;
  const claim = (error as { claim?: unknown }).claim;
  const message = error instanceof Error ? error.message : 'verification failed';
  switch (code) {
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return new KakaoIdTokenError('ALG_NOT_ALLOWED', message);
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return new KakaoIdTokenError('BAD_SIGNATURE', message);
    case 'ERR_JWKS_NO_MATCHING_KEY':
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return new KakaoIdTokenError('UNKNOWN_KID', message);
    case 'ERR_JWT_EXPIRED':
      return new KakaoIdTokenError('EXPIRED', message);
    case 'ERR_JWKS_TIMEOUT':
      return new KakaoIdTokenError('JWKS_TIMEOUT', message);
    case 'ERR_JWKS_INVALID':
      return new KakaoIdTokenError('JWKS_UNAVAILABLE', message);
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      if (claim === 'iss') return new KakaoIdTokenError('ISSUER_MISMATCH', message);
      if (claim === 'aud') return new KakaoIdTokenError('AUDIENCE_MISMATCH', message);
      if (claim === 'iat') return new KakaoIdTokenError('ISSUED_IN_FUTURE', message);
      return new KakaoIdTokenError('MALFORMED', message);
    case 'ERR_JWS_INVALID':
    case 'ERR_JWT_INVALID':
      // jose refuses an unsecured (`alg: none`) token as an invalid JWS before looking at algorithms.
      return /alg|unsecured/i.test(message) ? new KakaoIdTokenError('ALG_NOT_ALLOWED', message) : new KakaoIdTokenError('MALFORMED', message);
    default:
      // Any other trouble getting the keys (a JWKS answer that is not JSON, a non-200 status).
      return new KakaoIdTokenError('JWKS_UNAVAILABLE', message);
  }
}
