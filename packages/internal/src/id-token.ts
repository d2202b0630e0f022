import { randomToken } from './random.js';
import type { Agent } from 'node:http';
import type { JWTPayload, JWTVerifyGetKey } from 'jose';
import type { LoginBudget } from './budget.js';
import { PROVIDER_LABEL, ProviderRequestError } from './errors.js';
import type { ProviderName } from './errors.js';
import { sendProviderRequest } from './http.js';
import { optionalStringOption } from './strategy-support.js';

let joseModule: Promise<typeof import('jose')> | undefined;

/**
 * jose, loaded on first use (apps without OpenID Connect or the cookie store never load it) and kept: an `import()` per
 * login would cost a module-map lookup and a promise on the hot path.
 */
export function loadJose(): Promise<typeof import('jose')> {
  joseModule ??= import('jose');
  return joseModule;
}

/** Default clock tolerance for `exp` and `iat`, in seconds. */
export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 60;
/** Default minimum time between two JWKS fetches for an unknown `kid`, in ms. */
export const DEFAULT_JWKS_REFETCH_COOLDOWN_MS = 30_000;

/**
 * Why an id_token was refused, for either provider. Each package documents the codes on its own error class.
 */
export type IdTokenErrorCode =
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
 * The base of each package's id_token error (`KakaoIdTokenError`, `NaverIdTokenError`): the id_token was missing or
 * failed verification. Neither the token nor any of its claims is in the message or the error's properties; `cause`
 * (non-enumerable) is set only for a failed JWKS request.
 */
export class IdTokenError extends Error {
  readonly code: IdTokenErrorCode;

  constructor(provider: ProviderName, code: IdTokenErrorCode, message: string, cause?: ProviderRequestError) {
    super(`${PROVIDER_LABEL[provider]} id_token refused (${code}): ${message}`);
    this.code = code;
    if (cause !== undefined) Object.defineProperty(this, 'cause', { value: cause, enumerable: false, configurable: true, writable: true });
  }
}

/** Builds the package's own id_token error (`KakaoIdTokenError`, `NaverIdTokenError`). */
export type IdTokenErrorFactory = (code: IdTokenErrorCode, message: string, cause?: ProviderRequestError) => Error & { code: IdTokenErrorCode };

/** What {@link IdTokenVerifier} checks against. */
export interface IdTokenVerifierOptions {
  provider: ProviderName;
  /** The package's error class, for every refusal. */
  createError: IdTokenErrorFactory;
  jwksURL: string;
  issuer: string;
  /** The signing algorithms the provider's discovery lists; anything else (`none`, HS256…) is refused. */
  algorithms: readonly string[];
  /** The client ids an id_token may be issued to. */
  audience: string | readonly string[];
  clockToleranceSeconds: number;
  /** Deadline for fetching the JWKS, in ms. */
  timeout: number;
  /** Minimum time between two JWKS fetches for an unknown `kid`, in ms (jose's `cooldownDuration`). */
  jwksRefetchCooldownMs: number;
  /** The HTTP agent for the JWKS request (the strategy's `_oauth2.setAgent`), read at each fetch. */
  agent?: (() => Agent | undefined) | undefined;
}

/** The id_token options every strategy and client takes. */
export interface IdTokenCheckOptions {
  baseURL?: string | undefined;
  issuer?: string | undefined;
  clockTolerance?: number | undefined;
  jwksRefetchCooldown?: number | undefined;
}

/** What the caller knows without reading options: where the keys are, who the audience is, and the defaults. */
export interface IdTokenTarget {
  provider: ProviderName;
  createError: IdTokenErrorFactory;
  jwksURL: string;
  audience: string | readonly string[];
  algorithms: readonly string[];
  timeout: number;
  /** The issuer when neither `issuer` nor `baseURL` is set. */
  defaultIssuer: string;
  /** The issuer derived from `baseURL` (an emulator's origin). */
  issuerForBaseURL: (baseURL: string) => string;
  agent?: (() => Agent | undefined) | undefined;
}

/**
 * Checks and resolves the id_token options into the verifier's: the issuer (`issuer`, else one derived from `baseURL`
 * for the emulator, else the provider's), the clock tolerance and the JWKS refetch cooldown, with `TypeError`s naming
 * the option.
 */
export function resolveIdTokenChecks(options: IdTokenCheckOptions, owner: string, target: IdTokenTarget): IdTokenVerifierOptions {
  const nonNegative = (value: unknown, fallback: number, message: string): number => {
    const resolved = value ?? fallback;
    if (typeof resolved !== 'number' || !(resolved >= 0)) throw new TypeError(`${owner}: ${message}`);
    return resolved;
  };
  const { defaultIssuer, issuerForBaseURL, ...rest } = target;
  const baseURL = optionalStringOption(options.baseURL, 'baseURL', owner)?.replace(/\/+$/, '');
  return {
    ...rest,
    issuer: optionalStringOption(options.issuer, 'issuer', owner) ?? (baseURL === undefined ? defaultIssuer : issuerForBaseURL(baseURL)),
    clockToleranceSeconds: nonNegative(options.clockTolerance, DEFAULT_CLOCK_TOLERANCE_SECONDS, 'clockTolerance must be a number of seconds (0 or more)'),
    jwksRefetchCooldownMs: nonNegative(options.jwksRefetchCooldown, DEFAULT_JWKS_REFETCH_COOLDOWN_MS, 'jwksRefetchCooldown must be a number of milliseconds (0 or more)'),
  };
}

/** A fresh nonce for one authorization request: 32 random bytes, base64url. */
export function createNonce(): string {
  return randomToken(32);
}

/** The claims every verified id_token has. */
export interface VerifiedIdTokenClaims extends JWTPayload {
  iss: string;
  aud: string | string[];
  sub: string;
  iat: number;
  exp: number;
}

/**
 * Verifies id_tokens with jose: only the provider's algorithms, signature against its JWKS (fetched through the
 * project's HTTP client, with its deadline, size cap and agent, cached across logins, refetched when an unknown `kid`
 * appears, at most once per cooldown), `iss`, `aud` (and `azp` with several audiences), `exp`/`iat` with a clock
 * tolerance, and the nonce when one is expected. jose is loaded on first use, so apps without OIDC never load it.
 * Every refusal is the package's own error (see {@link IdTokenVerifierOptions.createError}); none keeps jose's error,
 * which carries the token's claims.
 */
export class IdTokenVerifier<Claims extends VerifiedIdTokenClaims = VerifiedIdTokenClaims> {
  private jwks: JWTVerifyGetKey | undefined;
  private readonly audiences: readonly string[];

  constructor(readonly options: IdTokenVerifierOptions) {
    this.audiences = typeof options.audience === 'string' ? [options.audience] : [...options.audience];
  }

  /**
   * @param idToken - The compact JWT.
   * @param nonce - Left out, the nonce is not looked at (a refreshed token, an SDK token). `expected`: the nonce the
   *   login sent (`undefined`: it sent none, so a token carrying one is refused). `optional`, when the provider does
   *   not document echoing one: a token without a nonce passes; a token with another nonce never does.
   */
  async verify(idToken: string, nonce?: { expected: string | undefined; optional?: boolean }): Promise<Claims> {
    const fail = this.options.createError;
    const jose = await loadJose();
    this.jwks ??= jose.createRemoteJWKSet(new URL(this.options.jwksURL), {
      // jose wants whole milliseconds; `timeout` may be any positive number.
      timeoutDuration: Math.ceil(this.options.timeout),
      cooldownDuration: this.options.jwksRefetchCooldownMs,
      [jose.customFetch]: (url: string) => this.fetchKeys(url),
    });
    let payload: JWTPayload;
    try {
      ({ payload } = await jose.jwtVerify(idToken, this.jwks, {
        algorithms: [...this.options.algorithms],
        issuer: this.options.issuer,
        audience: [...this.audiences],
        clockTolerance: this.options.clockToleranceSeconds,
        requiredClaims: ['iss', 'aud', 'sub', 'iat', 'exp'],
      }));
    } catch (error) {
      throw this.toIdTokenError(error);
    }
    if (typeof payload.sub !== 'string') throw fail('MALFORMED', 'sub is not a string');
    // jose checks `iat` only with maxTokenAge; a token issued in the future (beyond the tolerance) is refused here.
    if (typeof payload.iat === 'number' && payload.iat > Date.now() / 1000 + this.options.clockToleranceSeconds) {
      throw fail('ISSUED_IN_FUTURE', 'iat is later than now plus the clock tolerance');
    }
    // OIDC Core 3.1.3.7: with several audiences, the party the token was issued to (`azp`) must be this app.
    if (Array.isArray(payload.aud) && payload.aud.length > 1 && !(typeof payload['azp'] === 'string' && this.audiences.includes(payload['azp']))) {
      throw fail('AZP_MISMATCH', 'the token has several audiences and its azp is not this app');
    }
    if (nonce !== undefined) {
      const carried = payload['nonce'];
      if (carried === undefined ? nonce.optional !== true : carried !== nonce.expected) {
        throw fail('NONCE_MISMATCH', carried === undefined ? 'the token has no nonce' : 'the nonce is not the one this login sent');
      }
    }
    return payload as Claims;
  }

  /** jose's `customFetch`: the JWKS through the same HTTP client as every other request to the provider. */
  private async fetchKeys(url: string): Promise<Response> {
    const { provider, timeout, agent } = this.options;
    const answer = await sendProviderRequest({ provider, method: 'GET', url, timeout, agent: agent?.() });
    return new Response(answer.body, { status: answer.status, headers: { 'content-type': 'application/json' } });
  }

  /** Maps jose's error codes to ours, keeping none of jose's error (it carries the token's claims). */
  private toIdTokenError(error: unknown): Error {
    const fail = this.options.createError;
    const keys = `${PROVIDER_LABEL[this.options.provider]}'s keys could not be fetched`;
    if (error instanceof ProviderRequestError) return fail(error.code === 'TIMEOUT' ? 'JWKS_TIMEOUT' : 'JWKS_UNAVAILABLE', keys, error);
    const code = (error as { code?: unknown } | null)?.code;
    const claim = (error as { claim?: unknown } | null)?.claim;
    const message = error instanceof Error ? error.message : 'verification failed';
    switch (code) {
      case 'ERR_JOSE_ALG_NOT_ALLOWED':
        return fail('ALG_NOT_ALLOWED', message);
      case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
        return fail('BAD_SIGNATURE', message);
      case 'ERR_JWKS_NO_MATCHING_KEY':
      case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
        return fail('UNKNOWN_KID', message);
      case 'ERR_JWT_EXPIRED':
        return fail('EXPIRED', message);
      case 'ERR_JWKS_TIMEOUT':
        return fail('JWKS_TIMEOUT', message);
      case 'ERR_JWKS_INVALID':
        return fail('JWKS_UNAVAILABLE', message);
      case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
        if (claim === 'iss') return fail('ISSUER_MISMATCH', message);
        if (claim === 'aud') return fail('AUDIENCE_MISMATCH', message);
        if (claim === 'iat') return fail('ISSUED_IN_FUTURE', message);
        return fail('MALFORMED', message);
      case 'ERR_JWS_INVALID':
      case 'ERR_JWT_INVALID':
        // jose refuses an unsecured (`alg: none`) token as an invalid JWS before looking at algorithms.
        return /alg|unsecured/i.test(message) ? fail('ALG_NOT_ALLOWED', message) : fail('MALFORMED', message);
      default:
        // Any other trouble getting the keys (a JWKS answer that is not JSON, a non-200 status).
        return fail('JWKS_UNAVAILABLE', message);
    }
  }
}

/** How a login's nonce is checked against the id_token. */
export interface LoginIdTokenCheck {
  /** OpenID Connect is on for this login (the strategy's option, or a per-request `openid` scope). */
  oidc: boolean;
  /** The nonce this login kept, if any. */
  nonce: string | undefined;
  /**
   * The provider may leave the nonce out of its token (Naver documents none, B8 ⚠): a token without one is then
   * accepted; a token with another nonce never is, nor a login that kept no nonce.
   */
  nonceOptional?: boolean | undefined;
  budget: LoginBudget;
}

/**
 * The id_token step of a login, between the code exchange and the profile. A login is OpenID Connect when the strategy
 * has OIDC on or this login kept a nonce; then the id_token is required and checked. A login that kept no nonce is
 * refused (`NO_STORED_NONCE`): without its own nonce, an attacker's code and valid id_token could be replayed into the
 * victim's browser. The token must carry the login's nonce, unless the nonce is optional (then it may carry none).
 * Otherwise an id_token the answer carries anyway is verified all the same and must carry no nonce (the login sent
 * none); only an answer without one has nothing to check.
 */
export async function verifyLoginIdToken<Claims extends VerifiedIdTokenClaims>(
  verifier: IdTokenVerifier<Claims>,
  idToken: unknown,
  login: LoginIdTokenCheck,
): Promise<Claims | undefined> {
  const fail = verifier.options.createError;
  const label = PROVIDER_LABEL[verifier.options.provider];
  const timedOut = () => fail('JWKS_TIMEOUT', `the login ran out of time while fetching ${label}'s keys`);
  if (!login.oidc && login.nonce === undefined) {
    if (idToken === undefined) return undefined;
    // An id_token this login did not ask for is checked all the same (signature, iss, aud, exp), and as the login sent
    // no nonce, one carrying a nonce is another login's: no unverified id_token reaches the app beside the profile.
    if (typeof idToken !== 'string') throw fail('MALFORMED', 'the token response has an id_token that is not a string');
    try {
      return await login.budget.race(verifier.verify(idToken, { expected: undefined, optional: true }), 'the id_token check', timedOut);
    } catch (error) {
      // The keys out of reach is no reason to fail a login that did not ask for an id_token: it is dropped instead
      // (`undefined`: the strategy hands out neither the token nor claims). A token that fails a check still ends it.
      const code = (error as { code?: unknown }).code;
      if (code === 'JWKS_UNAVAILABLE' || code === 'JWKS_TIMEOUT') return undefined;
      throw error;
    }
  }
  // Even where the provider may leave the nonce out of its token, a login must have kept one of its own: that is what
  // ties the callback to the browser that started the login.
  if (login.nonce === undefined) {
    throw fail('NO_STORED_NONCE', 'this login kept no nonce (OpenID Connect needs state on, or a store that keeps per-login data)');
  }
  if (typeof idToken !== 'string') throw fail('MISSING', 'OpenID Connect was asked for, and the token response has no id_token');
  const nonce = { expected: login.nonce, optional: login.nonceOptional === true };
  return login.budget.race(verifier.verify(idToken, nonce), 'the id_token check', timedOut);
}
