import type { Request } from 'express';
import type { AuthenticateOptions, Profile } from 'passport';
import type OAuth2Strategy from 'passport-oauth2';
import type { LoginStateStore, SkipUserProfile, StrategyTransportOptions } from '@passport-korea/internal';
import type { NaverEndpointOptions } from './endpoints.js';
import type { NaverIdTokenClaims } from './oidc.js';

/**
 * `auth_type` values (Naver Login API, "네이버 로그인 인증 요청"; docs/providers/naver.md B1):
 * - `reprompt`: ask again for consent items the user declined.
 * - `reauthenticate`: make the user enter ID and password again.
 * - `autologin`: log in silently inside the Naver app's in-app browser (its User-Agent contains `NAVER(inapp;`).
 *   Anywhere else, or without a Naver login or consent, Naver answers `access_denied` (a Passport failure whose
 *   `message` is Naver's description: `user not logged in.`, `need user consent.`, `unsupported browser environment.`);
 *   fall back to a normal login then.
 */
export type NaverAuthType = 'reprompt' | 'reauthenticate' | 'autologin';

/** Options shared by both constructor shapes. */
export interface NaverStrategyOptionsBase extends NaverEndpointOptions, StrategyTransportOptions {
  /** The app's Client ID. Required. */
  clientID: string;
  /** The app's Client Secret. Required: Naver's token endpoint always needs it. */
  clientSecret: string;
  /** The registered Callback URL; relative URLs are resolved against the request. */
  callbackURL?: string | undefined;
  /**
   * CSRF protection through a random `state`, kept with the login's transaction in the session (or in `store`).
   * Default `true`; Naver's docs require a state.
   */
  state?: boolean | undefined;
  /** Deadline for each request to Naver, in milliseconds. Default 10 000. */
  timeout?: number | undefined;
  /**
   * Deadline for all of one login's requests to Naver together (token, profile), in milliseconds. Default: the
   * `timeout`, so that no login waits on Naver longer than that, however its requests are slow.
   */
  loginTimeout?: number | undefined;
  /** Session key for state data. Default `oauth2:nid.naver.com`, whatever the endpoints. */
  sessionKey?: string | undefined;
  /**
   * Where a login's transaction (state, the app's `state` data) is kept between the redirect and the callback.
   * Default: the session (`req.session`, e.g. express-session). Apps without sessions pass
   * `new CookieStateStore({ secret })`; any passport-oauth2 state store works.
   */
  store?: OAuth2Strategy.StateStore | LoginStateStore | undefined;
  /**
   * Skip the `/v1/nid/me` request; the verify callback's `profile` is then `undefined`: declare the parameter
   * `profile: NaverProfile | undefined` (a callback taking the wider type fits every verify form). As in passport-oauth2,
   * a function decides per login: `() => boolean`, or `(accessToken, done)` calling `done(err, skip)`.
   */
  skipUserProfile?: SkipUserProfile | undefined;
  /** Trust `X-Forwarded-*` headers when resolving a relative `callbackURL`. */
  proxy?: boolean | undefined;
  /** passport-oauth2's option, fixed by the provider: Naver reads the OpenID Connect scope separated by spaces. Any other value is refused. */
  scopeSeparator?: ' ' | undefined;
  /**
   * OpenID Connect (docs/providers/naver.md B5): logins go through `/oauth2/authorize` and `/oauth2/token` with `openid` in
   * the scope and PKCE S256, a fresh nonce is sent, and Naver's id_token is verified (RS256 against Naver's JWKS,
   * `iss`, `aud`, `exp`, `iat`) before the verify callback, which finds its claims in `params.id_token_claims`.
   * Default `false`: the legacy `/oauth2.0/*` login, because the OIDC `sub` need not equal the legacy `id` that apps
   * have stored (B8 ⚠); see the README's "Moving to OpenID Connect" before turning it on.
   */
  oidc?: boolean | undefined;
  /**
   * Where the profile comes from in OpenID Connect mode. `'userinfo'` (default): `/v1/nid/me`, so `profile.id` stays
   * the legacy id. `'idToken'`: from the verified id_token alone, one request fewer; `profile.id` is then the OIDC
   * `sub`, and the profile holds only what the claims carry (Naver documents no profile claims). Turns `oidc` on.
   */
  profileFrom?: 'userinfo' | 'idToken' | undefined;
  /** OpenID Connect scopes besides `openid`, which is always sent (discovery lists `openid` and `profile`). */
  scope?: string | readonly string[] | undefined;
  /**
   * PKCE S256. Default: on with `oidc`, off otherwise, because Naver documents PKCE only on the `/oauth2/*` paths
   * (B5 ⚠); `true` sends it on the legacy paths too. Needs `state` (or a `store`) to keep the verifier. With `oidc` and
   * `pkce: false`, `requireNonce` defaults to `true`.
   */
  pkce?: boolean | undefined;
  /**
   * Naver documents no `nonce` (B8 ⚠). The strategy sends one with every OIDC login and refuses a token that carries
   * another; a token without any is accepted, unless this is `true`. Default: `false` with PKCE (which already ties the
   * code to this login), `true` with `pkce: false`.
   */
  requireNonce?: boolean | undefined;
  /** Expected `iss` of id_tokens. Default `https://nid.naver.com`, or `{baseURL}/naver` when `baseURL` is set (the emulator). */
  issuer?: string | undefined;
  /** Clock tolerance for the id_token's `exp` and `iat`, in seconds. Default 60. */
  clockTolerance?: number | undefined;
  /** Minimum time between two JWKS fetches for an unknown `kid`, in milliseconds. Default 30 000. */
  jwksRefetchCooldown?: number | undefined;
}

/** Options for the 4-argument verify callback `(accessToken, refreshToken, profile, done)`. */
export interface NaverStrategyOptions extends NaverStrategyOptionsBase {
  passReqToCallback?: false | undefined;
  /**
   * `true`: the verify callback receives Naver's token response (`expires_in` as a number, `token_type`) between the
   * refresh token and the profile. The explicit way to ask for it, which works for wrappers (NestJS's
   * `PassportStrategy`, bound functions, rest parameters) and lets TypeScript infer an unannotated callback. Left out,
   * a callback declaring 5 parameters (6 with `req`) gets it, as in passport-oauth2.
   */
  passTokenResponse?: false | undefined;
}

/** Options for the verify callback that receives `req` first: `(req, accessToken, refreshToken, profile, done)`. */
export interface NaverStrategyOptionsWithRequest extends NaverStrategyOptionsBase {
  passReqToCallback: true;
  /** See {@link NaverStrategyOptions.passTokenResponse}. */
  passTokenResponse?: false | undefined;
}

/** Options for `(accessToken, refreshToken, params, profile, done)`, asked for with `passTokenResponse: true`. */
export interface NaverStrategyOptionsWithTokenResponse extends NaverStrategyOptionsBase {
  passReqToCallback?: false | undefined;
  /** See {@link NaverStrategyOptions.passTokenResponse}. */
  passTokenResponse: true;
}

/** Options for `(req, accessToken, refreshToken, params, profile, done)`. */
export interface NaverStrategyOptionsWithRequestAndTokenResponse extends NaverStrategyOptionsBase {
  passReqToCallback: true;
  /** See {@link NaverStrategyOptions.passTokenResponse}. */
  passTokenResponse: true;
}

/** Any of the strategy's option shapes. */
export type NaverStrategyOptionsAny =
  | NaverStrategyOptions
  | NaverStrategyOptionsWithRequest
  | NaverStrategyOptionsWithTokenResponse
  | NaverStrategyOptionsWithRequestAndTokenResponse;

/**
 * Per-request options for `passport.authenticate('naver', options)`. Only `authType` (and `callbackURL`) reach Naver.
 * `state` (a string or an object) is the app's data: kept with the login and returned as `info.state`, while Naver
 * gets a random handle; only with `state: false` and no `store` is a string sent as it is (the app's own CSRF token).
 */
export interface NaverAuthenticateOptions extends AuthenticateOptions {
  /** Naver's `auth_type`. Unknown values end the request with a `TypeError`. */
  authType?: NaverAuthType | undefined;
  /** Overrides the strategy's `callbackURL` for this request. */
  callbackURL?: string | undefined;
}

declare module 'passport' {
  // Lets `passport.authenticate('naver', { authType })` type-check without a cast.
  interface AuthenticateOptions {
    /** passport-naver-ts: Naver's `auth_type` (`reprompt`, `reauthenticate` or `autologin`). */
    authType?: 'reprompt' | 'reauthenticate' | 'autologin' | undefined;
    /** Overrides the strategy's `callbackURL` for this request (passport-oauth2). */
    callbackURL?: string | undefined;
  }
}

/**
 * Naver's token response as the verify callback's `params` receives it. `expires_in` is a number here, although Naver
 * sends a string; the refresh token comes as its own argument.
 */
export interface NaverTokenResponse {
  access_token: string;
  token_type: string;
  /** Seconds until the access token expires (3600 by default). */
  expires_in: number;
  /** OpenID Connect mode: the id_token as Naver sent it. */
  id_token?: string;
  /** OpenID Connect mode: the id_token's claims, verified before the verify callback runs. */
  id_token_claims?: NaverIdTokenClaims;
}

/** `response` of `/v1/nid/me`: every field but `id` appears only when the app has it and the user agreed. */
export interface NaverUserInfo {
  /** Unique per app (pairwise): the same person has another id in another app. */
  id: string;
  nickname?: string;
  name?: string;
  email?: string;
  /** `F`, `M` or `U`. */
  gender?: 'F' | 'M' | 'U';
  /** `0-9`, `10-19`, …, `60-`. */
  age?: string;
  /** `MM-DD`. */
  birthday?: string;
  /** `YYYY`. */
  birthyear?: string;
  profile_image?: string;
  /** `010-0000-0000`. */
  mobile?: string;
  /** `+821000000000`. */
  mobile_e164?: string;
}

/** The answer of `GET /v1/nid/me`. */
export interface NaverUserResponse {
  /** `"00"` on success. */
  resultcode: string;
  message: string;
  response: NaverUserInfo;
}

/** The normalized profile: Passport's common fields, then Naver's, each present only when the user shared it. */
export interface NaverProfile extends Profile {
  provider: 'naver';
  /**
   * Naver's id for this user in this app: `/v1/nid/me`'s `id`, or with `profileFrom: 'idToken'` the id_token's `sub`
   * (which may differ, B8 ⚠).
   */
  id: string;
  /** The nickname, else the name; an empty string when the user shared neither. */
  displayName: string;
  /** The real name, unsplit. */
  fullName?: string;
  emails?: Array<{ value: string }>;
  photos?: Array<{ value: string }>;
  gender?: 'F' | 'M' | 'U';
  /** `20-29`. */
  ageRange?: string;
  /** `MM-DD`. */
  birthday?: string;
  /** `YYYY`. */
  birthyear?: string;
  /** As Naver formats it: `010-0000-0000`. */
  mobile?: string;
  /** E.164: `+821000000000`. */
  mobileE164?: string;
  /** The response body exactly as received (with `profileFrom: 'idToken'`, the claims as JSON). */
  _raw: string;
  /** The parsed body, envelope included (with `profileFrom: 'idToken'`, built from the claims in the same shape). */
  _json: NaverUserResponse;
}

/** passport-oauth2's `done` callback of a verify function. */
export type NaverVerifyCallback = OAuth2Strategy.VerifyCallback;

/**
 * The verify callbacks. Each may call `done` or return a promise (an `async` function): a thrown error or a rejected
 * promise reaches Passport's error handling once, and nothing else happens.
 */

/** The 4-argument verify callback: tokens and profile. */
export type NaverVerify = (accessToken: string, refreshToken: string, profile: NaverProfile, done: NaverVerifyCallback) => void | Promise<unknown>;

/** The 5-argument verify callback: tokens, Naver's token response, and profile. */
export type NaverVerifyWithParams = (
  accessToken: string,
  refreshToken: string,
  params: NaverTokenResponse,
  profile: NaverProfile,
  done: NaverVerifyCallback,
) => void | Promise<unknown>;

/** The request-first 5-argument verify callback (with `passReqToCallback: true`). */
export type NaverVerifyWithRequest = (
  req: Request,
  accessToken: string,
  refreshToken: string,
  profile: NaverProfile,
  done: NaverVerifyCallback,
) => void | Promise<unknown>;

/** The request-first 6-argument verify callback, with Naver's token response. */
export type NaverVerifyWithRequestAndParams = (
  req: Request,
  accessToken: string,
  refreshToken: string,
  params: NaverTokenResponse,
  profile: NaverProfile,
  done: NaverVerifyCallback,
) => void | Promise<unknown>;

