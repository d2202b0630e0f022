import {
  LoginBudget,
  TokenRefusal,
  assertStrategyArguments,
  authenticateToken,
  checkAccessToken,
  describeEndpoint,
  invalidResponse,
  missingBodyHint,
  optionalStringOption,
  presentedToken,
  resolveTimeout,
  resolveTokenSources,
  runTokenVerify,
  tokenPlaces,
} from '@passport-korea/internal';
import type { TokenRequest } from '@passport-korea/internal';
import type { Request } from 'express';
import type { Agent } from 'node:http';
import { Strategy as PassportStrategy } from 'passport-strategy';
import type { KakaoTokenInfo } from './client.js';
import { resolveKakaoEndpoints } from './endpoints.js';
import type { KakaoEndpointOptions } from './endpoints.js';
import { KakaoAPIError } from './errors.js';
import { callKakaoAPI } from './kapi.js';
import { KakaoIdTokenError, KakaoIdTokenVerifier, resolveKakaoIdTokenChecks } from './oidc.js';
import type { KakaoIdTokenClaims, KakaoIdTokenErrorCode } from './oidc.js';
import { exactKakaoId, parseKakaoProfile, profileFromIdToken } from './profile.js';
import type { KakaoProfile, KakaoUserResponse, KakaoVerifyCallback } from './types.js';

const OWNER = 'KakaoTokenStrategy';

/** Longest access token accepted before any request to Kakao (Kakao's are about 50 characters). */
export const KAKAO_TOKEN_MAX_LENGTH = 2048;
/** Longest id_token accepted before any request to Kakao (Kakao's are about 1 KiB). */
export const KAKAO_ID_TOKEN_MAX_LENGTH = 8192;
/** Longest nonce accepted. */
const NONCE_MAX_LENGTH = 512;

/** A JWS compact serialization: three non-empty base64url parts. */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Where the access token may come from: the `Authorization: Bearer` header, or a field of the parsed body. */
export type KakaoTokenSource = 'header' | 'body';

/** Options of {@link KakaoTokenStrategy} shared by both verify forms. */
export interface KakaoTokenStrategyOptionsBase extends KakaoEndpointOptions {
  /**
   * The app's numeric id (Kakao Developers → App → General → App ID). Required: an access token is accepted only when
   * `/v1/user/access_token_info` says it was issued to this app, so a token another app obtained for the same user
   * (token substitution) is refused.
   */
  appId: number;
  /**
   * The app keys an id_token may be issued to (`aud`): the REST API key, JavaScript key and native app key(s) your
   * clients log in with. Since the 2025 key migration one app has several. Without it, id_tokens are not accepted and
   * `idTokenField` is not read.
   */
  audience?: string | readonly string[] | undefined;
  /** Where the access token is read from. Default `['header', 'body']`; a request carrying one in both is refused. */
  tokenFrom?: KakaoTokenSource | readonly KakaoTokenSource[] | undefined;
  /** Body field with the access token. Default `access_token`. */
  tokenField?: string | undefined;
  /** Body field with the id_token (read only when `audience` is set). Default `id_token`. */
  idTokenField?: string | undefined;
  /** Body field with the nonce the client passed to the Kakao SDK's login. Default `nonce`. */
  nonceField?: string | undefined;
  /**
   * Refuse id_tokens unless the request names a nonce (and the token carries it). Default `false`: id_tokens from
   * the KakaoTalk app login were once observed without a `nonce` (kakao_flutter_sdk #146, 2022; may be fixed), so
   * requiring one could lock those users out. When the request supplies a nonce it is always checked.
   */
  requireNonce?: boolean | undefined;
  /** Deadline for each request to Kakao, in milliseconds. Default 10 000. */
  timeout?: number | undefined;
  /** Deadline for all of one check's requests to Kakao together (token info, JWKS, profile), in ms. Default: `timeout`. */
  loginTimeout?: number | undefined;
  /** Expected `iss` of id_tokens. Default `https://kauth.kakao.com`, or `baseURL` when that is set (the emulator). */
  issuer?: string | undefined;
  /** Clock tolerance for the id_token's `exp` and `iat`, in seconds. Default 60. */
  clockTolerance?: number | undefined;
  /** Minimum time between two JWKS fetches for an unknown `kid`, in ms. Default 30 000. */
  jwksRefetchCooldown?: number | undefined;
  /** Ask Kakao for `https` image URLs (`secure_resource=true`). Default `true`. */
  secureResource?: boolean | undefined;
  /** An HTTP(S) agent for every request to Kakao, e.g. for a proxy. */
  agent?: Agent | undefined;
}

/** Options for the verify callback `(credentials, profile, done)`. */
export interface KakaoTokenStrategyOptions extends KakaoTokenStrategyOptionsBase {
  passReqToCallback?: false | undefined;
}

/** Options for the verify callback that receives `req` first: `(req, credentials, profile, done)`. */
export interface KakaoTokenStrategyOptionsWithRequest extends KakaoTokenStrategyOptionsBase {
  passReqToCallback: true;
}

/**
 * What the request presented and what was checked. `type` says which tokens: an access token (checked with
 * `/v1/user/access_token_info`, then `/v2/user/me`), an id_token (signature, `iss`, `aud`, `exp`/`iat`, nonce), or both
 * (each checked, and the id_token's `sub` must be the access token's user).
 */
export type KakaoTokenCredentials =
  | { type: 'access_token'; accessToken: string; tokenInfo: KakaoTokenInfo; idToken: undefined; idTokenClaims: undefined }
  | { type: 'id_token'; accessToken: undefined; tokenInfo: undefined; idToken: string; idTokenClaims: KakaoIdTokenClaims }
  | { type: 'both'; accessToken: string; tokenInfo: KakaoTokenInfo; idToken: string; idTokenClaims: KakaoIdTokenClaims };

/** The verify callback: what was checked, and the user's profile. It may call `done` or return a promise. */
export type KakaoTokenVerify = (credentials: KakaoTokenCredentials, profile: KakaoProfile, done: KakaoVerifyCallback) => void | Promise<unknown>;

/** The request-first verify callback (`passReqToCallback: true`). */
export type KakaoTokenVerifyWithRequest = (
  req: Request,
  credentials: KakaoTokenCredentials,
  profile: KakaoProfile,
  done: KakaoVerifyCallback,
) => void | Promise<unknown>;

/**
 * Why a request was refused (the `code` of the Passport failure). Stable; branch on these.
 * 400 (the request is wrong; Kakao was not asked):
 * - `MISSING_TOKEN`: no access token (nor, with `audience`, id_token) where `tokenFrom` looks.
 * - `MULTIPLE_TOKENS`: an access token both in the `Authorization` header and in the body (RFC 6750 §2).
 * - `MALFORMED_TOKEN`: the access token is empty, not a string, longer than 2048 characters or not a Bearer token's charset.
 * - `MALFORMED_ID_TOKEN`: the id_token is not a string of three base64url parts, or is longer than 8192 characters.
 * - `MALFORMED_NONCE`, `MISSING_NONCE`: the nonce is not a short string; none given while `requireNonce` is on.
 *
 * 401 (Kakao or the checks refused the token):
 * - `INVALID_TOKEN`: Kakao does not know the access token (expired, revoked, never issued: kapi `-401`).
 * - `TOKEN_OF_ANOTHER_APP`: the access token was issued to another app (`app_id` is not `appId`).
 * - `INVALID_ID_TOKEN`: the id_token failed verification; `reason` says which check.
 */
export type KakaoTokenFailureCode =
  | 'MISSING_TOKEN'
  | 'MULTIPLE_TOKENS'
  | 'MALFORMED_TOKEN'
  | 'MALFORMED_ID_TOKEN'
  | 'MALFORMED_NONCE'
  | 'MISSING_NONCE'
  | 'INVALID_TOKEN'
  | 'TOKEN_OF_ANOTHER_APP'
  | 'INVALID_ID_TOKEN';

/** The challenge of a Passport failure (`info` in a custom callback); it never contains the token. */
export interface KakaoTokenFailure {
  message: string;
  code: KakaoTokenFailureCode;
  /** With `INVALID_ID_TOKEN`: the check that failed (`AUDIENCE_MISMATCH`, `NONCE_MISMATCH`, `EXPIRED`…). */
  reason?: KakaoIdTokenErrorCode | undefined;
}

interface ResolvedTokenOptions {
  appId: number;
  audience: readonly string[] | undefined;
  sources: ReadonlySet<KakaoTokenSource>;
  tokenField: string;
  idTokenField: string;
  nonceField: string;
  requireNonce: boolean;
  timeout: number;
  loginTimeout: number;
  tokenInfoURL: string;
  profileURL: string;
  agent: Agent | undefined;
  passReq: boolean;
}

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
    this._options = resolveOptions(options);
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
  private async loadProfile(accessToken: string, budget: LoginBudget): Promise<KakaoProfile> {
    const url = this._options.profileURL;
    const { json, raw } = await this.kapi(url, accessToken, budget);
    if (typeof json['id'] !== 'number' || !Number.isInteger(json['id'])) {
      throw invalidResponse('kakao', 'GET', url, `Kakao answered ${describeEndpoint('GET', url)} without a user id`, 200);
    }
    return parseKakaoProfile(json as unknown as KakaoUserResponse, raw);
  }

  private async kapi(url: string, accessToken: string, budget: LoginBudget) {
    try {
      return await callKakaoAPI({ method: 'GET', url, accessToken, timeout: budget.nextTimeout(), agent: this._options.agent });
    } catch (error) {
      if (error instanceof KakaoAPIError && error.apiCode === -401) {
        throw refuse('INVALID_TOKEN', 'Kakao does not accept the access token (expired, revoked or unknown).', 401);
      }
      throw error;
    }
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


function fieldName(value: unknown, option: string, fallback: string): string {
  return optionalStringOption(value, option, OWNER) ?? fallback;
}

/** Checks the options (a `TypeError` naming the option for anything wrong) and applies the defaults. */
function resolveOptions(options: KakaoTokenStrategyOptions | KakaoTokenStrategyOptionsWithRequest): ResolvedTokenOptions {
  const appId: unknown = options.appId;
  if (typeof appId !== 'number' || !Number.isSafeInteger(appId) || appId <= 0) {
    throw new TypeError(`${OWNER} requires the appId option: the app's numeric id (a positive integer; Number(process.env.KAKAO_APP_ID) if it is in an environment variable)`);
  }
  let audience: readonly string[] | undefined;
  if (options.audience !== undefined) {
    const list: unknown[] = typeof options.audience === 'string' ? [options.audience] : Array.isArray(options.audience) ? [...(options.audience as unknown[])] : [undefined];
    if (list.length === 0 || list.some((key) => typeof key !== 'string' || key.length === 0)) {
      throw new TypeError(`${OWNER}: audience must be an app key or a non-empty list of app keys (REST API, JavaScript, native)`);
    }
    audience = list as string[];
  }
  const sources = resolveTokenSources(options.tokenFrom, OWNER);
  if (options.requireNonce !== undefined && typeof options.requireNonce !== 'boolean') throw new TypeError(`${OWNER}: requireNonce must be true or false`);
  const timeout = resolveTimeout(options.timeout, OWNER);
  const endpoints = resolveKakaoEndpoints(options, OWNER);
  const profileURL = new URL(endpoints.profileURL);
  if (options.secureResource ?? true) profileURL.searchParams.set('secure_resource', 'true');
  return {
    appId,
    audience,
    sources,
    tokenField: fieldName(options.tokenField, 'tokenField', 'access_token'),
    idTokenField: fieldName(options.idTokenField, 'idTokenField', 'id_token'),
    nonceField: fieldName(options.nonceField, 'nonceField', 'nonce'),
    requireNonce: options.requireNonce ?? false,
    timeout,
    loginTimeout: resolveTimeout(options.loginTimeout, OWNER, 'loginTimeout', timeout),
    tokenInfoURL: endpoints.tokenInfoURL,
    profileURL: profileURL.toString(),
    agent: options.agent,
    passReq: options.passReqToCallback === true,
  };
}
