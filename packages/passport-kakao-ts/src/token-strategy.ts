import {
  LoginBudget,
  TokenRefusal,
  assertStrategyArguments,
  authenticateToken,
  checkAccessToken,
  describeEndpoint,
  invalidResponse,
  missingBodyHint,
  presentedToken,
  runTokenVerify,
  tokenPlaces,
} from '@passport-korea/internal';
import type { TokenRequest } from '@passport-korea/internal';
import type { Request } from 'express';
import { Strategy as PassportStrategy } from 'passport-strategy';
import type { KakaoTokenInfo } from './client.js';
import { resolveKakaoEndpoints } from './endpoints.js';
import { KakaoAPIError } from './errors.js';
import { callKakaoAPI, fetchKakaoProfile } from './kapi.js';
import { KakaoIdTokenError, KakaoIdTokenVerifier, resolveKakaoIdTokenChecks } from './oidc.js';
import type { KakaoIdTokenClaims, KakaoIdTokenErrorCode } from './oidc.js';
import { exactKakaoId, profileFromIdToken } from './profile.js';
import { KAKAO_ID_TOKEN_MAX_LENGTH, KAKAO_TOKEN_MAX_LENGTH, TOKEN_STRATEGY, resolveTokenOptions } from './token-options.js';
import type {
  KakaoTokenCredentials,
  KakaoTokenFailure,
  KakaoTokenFailureCode,
  KakaoTokenStrategyOptions,
  KakaoTokenStrategyOptionsWithRequest,
  KakaoTokenVerify,
  KakaoTokenVerifyWithRequest,
  ResolvedTokenOptions,
} from './token-options.js';
import type { KakaoProfile } from './types.js';

const OWNER = TOKEN_STRATEGY;

/** Longest nonce accepted. */
const NONCE_MAX_LENGTH = 512;

/** A JWS compact serialization: three non-empty base64url parts. */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;


/** A refusal, before or after asking Kakao. */
const refuse = (code: KakaoTokenFailureCode, message: string, status: 400 | 401 = 400, reason?: KakaoIdTokenErrorCode) =>
  new TokenRefusal<KakaoTokenFailure>(reason === undefined ? { message, code } : { message, code, reason }, status);

/**
 * Sign in with a token a Kakao SDK (Android, iOS, Flutter, JavaScript) gave the client, registered as `'kakao-token'`.
 * No redirect and no session: the client sends the token, the strategy checks it, the verify callback finds the user.
 *
 * - An access token (`Authorization: Bearer …` or a body field): `/v1/user/access_token_info` must name this app
 *   (`app_id` equal to `appId`), else the request fails with `TOKEN_OF_ANOTHER_APP` and `/v2/user/me` is not called;
 *   then the profile comes from `/v2/user/me`, mapped as by the web strategy (exact ids).
 * - An id_token (a body field, with `audience` set): verified as in OpenID Connect (RS256 with Kakao's JWKS, `iss`,
 *   `aud` one of `audience`, `exp`/`iat`), its nonce checked when the request names one (required with
 *   `requireNonce`); the profile comes from its claims.
 * - Both: each is checked, the id_token's `sub` must be the access token's user, and the profile is `/v2/user/me`'s.
 *
 * A missing or malformed token fails with status 400 before any request to Kakao; a token Kakao or the checks refuse
 * fails with 401 (see {@link KakaoTokenFailureCode}). Trouble reaching Kakao ends the request with a typed error
 * (`ProviderRequestError`, `KakaoAPIError`, or `KakaoIdTokenError` with `JWKS_UNAVAILABLE`/`JWKS_TIMEOUT`). No
 * message or error contains a token.
 *
 * @example
 * ```ts
 * passport.use(new KakaoTokenStrategy(
 *   { appId: Number(process.env.KAKAO_APP_ID), audience: [process.env.KAKAO_REST_API_KEY!, process.env.KAKAO_JS_KEY!] },
 *   (credentials, profile, done) => done(null, { id: profile.id }),
 * ));
 * app.post('/auth/kakao/token', passport.authenticate('kakao-token', { session: false }), (req, res) => res.json(req.user));
 * ```
 */
export class KakaoTokenStrategy extends PassportStrategy {
  /** The name Passport knows the strategy by. */
  name = 'kakao-token';
  private readonly _options: ResolvedTokenOptions;
  private readonly _verify: (...args: unknown[]) => unknown;
  /** Verifies id_tokens (jose, JWKS cached across requests); present only with `audience`. */
  protected readonly _idTokens: KakaoIdTokenVerifier | undefined;

  /**
   * @param options - See {@link KakaoTokenStrategyOptionsBase}; `appId` is required.
   * @param verify - Called with what was checked and the profile; it may call `done` or return a promise.
   */
  constructor(options: KakaoTokenStrategyOptions, verify: KakaoTokenVerify);
  constructor(options: KakaoTokenStrategyOptionsWithRequest, verify: KakaoTokenVerifyWithRequest);
  constructor(options: KakaoTokenStrategyOptions | KakaoTokenStrategyOptionsWithRequest, verify: KakaoTokenVerify | KakaoTokenVerifyWithRequest) {
    super();
    assertStrategyArguments(options, verify, OWNER);
    this._options = resolveTokenOptions(options);
    this._verify = verify as (...args: unknown[]) => unknown;
    const { audience } = this._options;
    if (audience !== undefined) {
      const endpoints = resolveKakaoEndpoints(options, OWNER);
      this._idTokens = new KakaoIdTokenVerifier(resolveKakaoIdTokenChecks(options, OWNER, {
        jwksURL: endpoints.jwksURL,
        audience,
        timeout: this._options.timeout,
        agent: () => this._options.agent,
      }));
    }
  }

  /** Checks the request's token(s), then calls the verify callback; every outcome reaches Passport exactly once. */
  override authenticate(request: Request, _options?: object): void {
    authenticateToken(
      this,
      request,
      OWNER,
      () => this.readInput(request as unknown as TokenRequest),
      (input) => this.check(input),
      ({ credentials, profile }) => runTokenVerify(this, this._verify, this._options.passReq, request, credentials, profile),
    );
  }

  /** Reads and shape-checks the token(s) and nonce; throws a `TokenRefusal` (400) for anything missing or malformed. */
  private readInput(req: TokenRequest): TokenInput {
    const o = this._options;
    const { body, token: rawToken } = presentedToken(req, o.sources, o.tokenField, refuse);
    const accessToken = rawToken === undefined ? undefined : checkAccessToken(rawToken, KAKAO_TOKEN_MAX_LENGTH, refuse);
    const rawIdToken = o.audience !== undefined && body !== undefined ? body[o.idTokenField] : undefined;
    const idToken = rawIdToken === undefined ? undefined : checkIdToken(rawIdToken);
    if (accessToken === undefined && idToken === undefined) {
      const where = tokenPlaces(o.sources, o.tokenField);
      if (o.audience !== undefined) where.push(`the body field ${o.idTokenField} (an id_token)`);
      const hint = missingBodyHint(o.sources, body);
      throw refuse('MISSING_TOKEN', `No Kakao token in the request: looked in ${where.join(' and ')}.${hint}`);
    }
    let nonce: string | undefined;
    if (idToken !== undefined) {
      nonce = checkNonce(body?.[o.nonceField]);
      if (nonce === undefined && o.requireNonce) throw refuse('MISSING_NONCE', `An id_token needs a nonce (the body field ${o.nonceField}): requireNonce is on.`);
    }
    return { accessToken, idToken, nonce };
  }

  /** The checks against Kakao, all within one budget. */
  private async check(input: TokenInput): Promise<{ credentials: KakaoTokenCredentials; profile: KakaoProfile }> {
    const o = this._options;
    const budget = new LoginBudget('kakao', o.timeout, o.loginTimeout);
    // The id_token first when there is one: a refused id_token costs no request but the (cached) JWKS.
    const claims = input.idToken === undefined ? undefined : await this.verifyIdToken(input.idToken, input.nonce, budget);
    if (input.accessToken === undefined) {
      if (input.idToken === undefined || claims === undefined) throw new Error('unreachable: no token');
      return {
        credentials: { type: 'id_token', accessToken: undefined, tokenInfo: undefined, idToken: input.idToken, idTokenClaims: claims },
        profile: profileFromIdToken(claims),
      };
    }
    const tokenInfo = await this.tokenInfo(input.accessToken, budget);
    if (tokenInfo.appId !== o.appId) {
      throw refuse('TOKEN_OF_ANOTHER_APP', 'The access token was issued to another Kakao app.', 401);
    }
    if (claims !== undefined && claims.sub !== tokenInfo.id) {
      throw refuse('INVALID_ID_TOKEN', "The id_token's user is not the access token's user.", 401, 'SUBJECT_MISMATCH');
    }
    const profile = await this.loadProfile(input.accessToken, budget);
    if (profile.id !== tokenInfo.id) {
      throw invalidResponse('kakao', 'GET', o.profileURL, `Kakao answered ${describeEndpoint('GET', o.profileURL)} for another user than the token info`, 200);
    }
    const credentials: KakaoTokenCredentials = input.idToken === undefined || claims === undefined
      ? { type: 'access_token', accessToken: input.accessToken, tokenInfo, idToken: undefined, idTokenClaims: undefined }
      : { type: 'both', accessToken: input.accessToken, tokenInfo, idToken: input.idToken, idTokenClaims: claims };
    return { credentials, profile };
  }

  private async verifyIdToken(idToken: string, nonce: string | undefined, budget: LoginBudget): Promise<KakaoIdTokenClaims> {
    const verifier = this._idTokens;
    if (verifier === undefined) throw new Error('unreachable: id_token without audience');
    try {
      return await budget.race(verifier.verify(idToken, nonce === undefined ? undefined : { expected: nonce }), 'the id_token check', () =>
        new KakaoIdTokenError('JWKS_TIMEOUT', "the check ran out of time while fetching Kakao's keys"));
    } catch (error) {
      // Kakao's keys out of reach is Kakao's trouble (an error); every other refusal is the token's (a failure).
      if (error instanceof KakaoIdTokenError && error.code !== 'JWKS_UNAVAILABLE' && error.code !== 'JWKS_TIMEOUT') {
        throw refuse('INVALID_ID_TOKEN', `The Kakao id_token was refused (${error.code}).`, 401, error.code);
      }
      throw error;
    }
  }

  /** `GET /v1/user/access_token_info`; kapi `-401` (expired, revoked, unknown) is a failure, anything else an error. */
  private async tokenInfo(accessToken: string, budget: LoginBudget): Promise<KakaoTokenInfo> {
    const url = this._options.tokenInfoURL;
    const { json, raw } = await this.kapi(url, accessToken, budget);
    const { id, expires_in: expiresIn, app_id: appId } = json;
    if (typeof id !== 'number' || !Number.isInteger(id) || typeof expiresIn !== 'number' || typeof appId !== 'number') {
      throw invalidResponse('kakao', 'GET', url, `Kakao answered ${describeEndpoint('GET', url)} without id, expires_in or app_id`, 200);
    }
    return { id: exactKakaoId(raw, id, describeEndpoint('GET', url)), expiresIn, appId };
  }

  /** `GET /v2/user/me`, mapped as by the web strategy. */
  private loadProfile(accessToken: string, budget: LoginBudget): Promise<KakaoProfile> {
    return refusingRevoked(fetchKakaoProfile({ url: this._options.profileURL, accessToken, timeout: budget.nextTimeout(), agent: this._options.agent }));
  }

  private kapi(url: string, accessToken: string, budget: LoginBudget) {
    return refusingRevoked(callKakaoAPI({ method: 'GET', url, accessToken, timeout: budget.nextTimeout(), agent: this._options.agent }));
  }
}

/** kapi `-401` (the token expired, was revoked or never issued) is the client's failure (401), not an error. */
async function refusingRevoked<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof KakaoAPIError && error.apiCode === -401) {
      throw refuse('INVALID_TOKEN', 'Kakao does not accept the access token (expired, revoked or unknown).', 401);
    }
    throw error;
  }
}

interface TokenInput {
  accessToken: string | undefined;
  idToken: string | undefined;
  nonce: string | undefined;
}

function checkIdToken(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) throw refuse('MALFORMED_ID_TOKEN', 'The id_token is not a non-empty string.');
  if (value.length > KAKAO_ID_TOKEN_MAX_LENGTH) throw refuse('MALFORMED_ID_TOKEN', `The id_token is longer than ${KAKAO_ID_TOKEN_MAX_LENGTH} characters.`);
  if (!COMPACT_JWS.test(value)) throw refuse('MALFORMED_ID_TOKEN', 'The id_token is not a JWT (three base64url parts).');
  return value;
}

/** The request's nonce: absent (or empty) is `undefined`; anything but a short string is malformed. */
function checkNonce(value: unknown): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || value.length > NONCE_MAX_LENGTH || CONTROL.test(value)) {
    throw refuse('MALFORMED_NONCE', `The nonce is not a string of at most ${NONCE_MAX_LENGTH} printable characters.`);
  }
  return value;
}
