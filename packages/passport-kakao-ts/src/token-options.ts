/**
 * The options of {@link KakaoTokenStrategy}: their types, the types of what the verify callback gets and of the
 * failures the strategy passes to Passport, and the check that resolves them.
 */
import { optionalStringOption, resolveTimeout, resolveTokenSources } from '@passport-korea/internal';
import type { Request } from 'express';
import type { Agent } from 'node:http';
import { resolveKakaoEndpoints } from './endpoints.js';
import type { KakaoEndpointOptions } from './endpoints.js';
import { kakaoProfileURL } from './kapi.js';
import type { KakaoIdTokenClaims, KakaoIdTokenErrorCode } from './oidc.js';
import type { KakaoTokenInfo } from './client.js';
import type { KakaoProfile, KakaoVerifyCallback } from './types.js';

export const TOKEN_STRATEGY = 'KakaoTokenStrategy';
const OWNER = TOKEN_STRATEGY;

/** Longest access token accepted before any request to Kakao (Kakao's are about 50 characters). */
export const KAKAO_TOKEN_MAX_LENGTH = 2048;
/** Longest id_token accepted before any request to Kakao (Kakao's are about 1 KiB). */
export const KAKAO_ID_TOKEN_MAX_LENGTH = 8192;

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

/** The options, checked and with their defaults. */
export interface ResolvedTokenOptions {
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


function fieldName(value: unknown, option: string, fallback: string): string {
  return optionalStringOption(value, option, OWNER) ?? fallback;
}

/** Checks the options (a `TypeError` naming the option for anything wrong) and applies the defaults. */
export function resolveTokenOptions(options: KakaoTokenStrategyOptions | KakaoTokenStrategyOptionsWithRequest): ResolvedTokenOptions {
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
    profileURL: kakaoProfileURL(endpoints.profileURL, options.secureResource),
    agent: options.agent,
    passReq: options.passReqToCallback === true,
  };
}
