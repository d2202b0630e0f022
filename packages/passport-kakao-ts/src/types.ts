import type { Request } from 'express';
import type { AuthenticateOptions, Profile } from 'passport';
import type OAuth2Strategy from 'passport-oauth2';
import type { LoginStateStore, SkipUserProfile, StrategyTransportOptions } from '@passport-korea/internal';
import type { KakaoEndpointOptions } from './endpoints.js';
import type { KakaoIdTokenClaims } from './oidc.js';

/**
 * `prompt` values of Kakao's authorize endpoint (developers.kakao.com, Kakao Login REST API, "Request authorization code").
 * - `login`: ask for credentials again even with a Kakao session (not supported in KakaoTalk's in-app browser).
 * - `none`: no interactive UI; Kakao redirects with `error=consent_required` when the user would have to act.
 * - `create`: show the Kakao Account sign-up page first.
 * - `select_account`: show the account chooser (Kakao Account easy login).
 */
export type KakaoPrompt = 'login' | 'none' | 'create' | 'select_account';

/** Options shared by both constructor shapes. */
export interface KakaoStrategyOptionsBase extends KakaoEndpointOptions, StrategyTransportOptions {
  /** The app's REST API key. Required. */
  clientID: string;
  /**
   * The REST API key's client secret, when "Client Secret" is ON for that key in the Kakao console.
   * Sent with `client_secret_post` only when given; leave it out if the secret is OFF.
   */
  clientSecret?: string | undefined;
  /** The redirect URI registered for the REST API key; relative URLs are resolved against the request. */
  callbackURL?: string | undefined;
  /** Consent items to ask for, e.g. `['profile_nickname', 'account_email']`. Arrays are joined with commas. */
  scope?: string | readonly string[] | undefined;
  /**
   * CSRF protection through a random `state`, kept with the login's transaction in the session (or in `store`).
   * Default `true`; turning it off is unsafe.
   */
  state?: boolean | undefined;
  /**
   * PKCE (S256): `code_challenge` on authorize, `code_verifier` on token. Default `true` (Kakao's OIDC discovery
   * lists S256, and Kakao's SDKs send it). `pkce: false` opts out; with `state: false` and no `store` it must be
   * given, as the verifier has nowhere to be kept.
   */
  pkce?: boolean | undefined;
  /** Deadline for each request to Kakao, in milliseconds. Default 10 000. */
  timeout?: number | undefined;
  /**
   * Deadline for all of one login's requests to Kakao together (token, JWKS, profile), in milliseconds. Default: the
   * `timeout`, so that no login waits on Kakao longer than that, however its requests are slow.
   */
  loginTimeout?: number | undefined;
  /**
   * OpenID Connect: adds `openid` to the scope, sends a fresh `nonce` with every login, and verifies the id_token
   * (RS256, Kakao's JWKS, `iss`, `aud`, `exp`/`iat`, `nonce`) before the verify callback runs. Default: on when `scope`
   * includes `openid`. With OIDC off, an id_token Kakao sends anyway is verified all the same (it must then carry no
   * nonce, as the login sent none), so no unverified id_token reaches the verify callback.
   */
  oidc?: boolean | undefined;
  /**
   * Where the profile comes from: `'userinfo'` (default) fetches `/v2/user/me`; `'idToken'` builds it from the verified
   * id_token's claims and skips that request, so a login costs one round trip to Kakao. `'idToken'` turns OIDC on.
   */
  profileFrom?: 'userinfo' | 'idToken' | undefined;
  /** Expected `iss` of id_tokens. Default `https://kauth.kakao.com`, or `baseURL` when that is set (the emulator). */
  issuer?: string | undefined;
  /** Clock tolerance for the id_token's `exp` and `iat`, in seconds. Default 60. */
  clockTolerance?: number | undefined;
  /**
   * Minimum time between two JWKS fetches when a token names an unknown `kid`, in ms (jose's `cooldownDuration`).
   * Default 30 000: keys are cached across logins and refetched at most that often, never per login.
   */
  jwksRefetchCooldown?: number | undefined;
  /** Ask Kakao for `https` image URLs (`secure_resource=true`). Default `true`. */
  secureResource?: boolean | undefined;
  /** Session key for the login's transaction (state, PKCE verifier, nonce). Default `oauth2:kauth.kakao.com`. */
  sessionKey?: string | undefined;
  /**
   * Where a login's transaction (state, PKCE verifier, nonce, the app's `state` data) is kept between the redirect and
   * the callback. Default: the session (`req.session`, e.g. express-session). Apps without sessions pass
   * `new CookieStateStore({ secret })`; any passport-oauth2 state store works.
   */
  store?: OAuth2Strategy.StateStore | LoginStateStore | undefined;
  /**
   * Skip the `/v2/user/me` request; the verify callback's `profile` is then `undefined`: declare the parameter
   * `profile: KakaoProfile | undefined` (a callback taking the wider type fits every verify form). As in passport-oauth2,
   * a function decides per login: `() => boolean`, or `(accessToken, done)` calling `done(err, skip)`.
   */
  skipUserProfile?: SkipUserProfile | undefined;
  /** Trust `X-Forwarded-*` headers when resolving a relative `callbackURL`. */
  proxy?: boolean | undefined;
  /** passport-oauth2's option, fixed by the provider: Kakao reads scope ids separated by commas. Any other value is refused. */
  scopeSeparator?: ',' | undefined;
}

/** Options for the 4-argument verify callback `(accessToken, refreshToken, profile, done)`. */
export interface KakaoStrategyOptions extends KakaoStrategyOptionsBase {
  passReqToCallback?: false | undefined;
  /**
   * `true`: the verify callback receives Kakao's token response (`expires_in`, `refresh_token_expires_in`, `scope`,
   * `id_token_claims`) between the refresh token and the profile. The explicit way to ask for it, which works for
   * wrappers (NestJS's `PassportStrategy`, bound functions, rest parameters) and lets TypeScript infer an unannotated
   * callback. Left out, a callback declaring 5 parameters (6 with `req`) gets it, as in passport-oauth2.
   */
  passTokenResponse?: false | undefined;
}

/** Options for the verify callback that receives `req` first: `(req, accessToken, refreshToken, profile, done)`. */
export interface KakaoStrategyOptionsWithRequest extends KakaoStrategyOptionsBase {
  passReqToCallback: true;
  /** See {@link KakaoStrategyOptions.passTokenResponse}. */
  passTokenResponse?: false | undefined;
}

/** Options for `(accessToken, refreshToken, params, profile, done)`, asked for with `passTokenResponse: true`. */
export interface KakaoStrategyOptionsWithTokenResponse extends KakaoStrategyOptionsBase {
  passReqToCallback?: false | undefined;
  /** See {@link KakaoStrategyOptions.passTokenResponse}. */
  passTokenResponse: true;
}

/** Options for `(req, accessToken, refreshToken, params, profile, done)`. */
export interface KakaoStrategyOptionsWithRequestAndTokenResponse extends KakaoStrategyOptionsBase {
  passReqToCallback: true;
  /** See {@link KakaoStrategyOptions.passTokenResponse}. */
  passTokenResponse: true;
}

/** Any of the strategy's option shapes. */
export type KakaoStrategyOptionsAny =
  | KakaoStrategyOptions
  | KakaoStrategyOptionsWithRequest
  | KakaoStrategyOptionsWithTokenResponse
  | KakaoStrategyOptionsWithRequestAndTokenResponse;

/** One `prompt` value, or two joined with a comma (e.g. `'login,select_account'`). */
export type KakaoPromptParam = KakaoPrompt | `${KakaoPrompt},${KakaoPrompt}`;

/**
 * Per-request options for `passport.authenticate('kakao', options)`. Only these reach Kakao's authorize URL:
 * `prompt`, `loginHint`, `serviceTerms`, `scope` (and `callbackURL`). `state` (a string or an object) is the app's data:
 * kept with the login and returned as `info.state`, while Kakao gets a random handle; only with `state: false` and no
 * `store` is a string sent as it is (the app's own CSRF token, passport-oauth2's convention).
 */
export interface KakaoAuthenticateOptions extends AuthenticateOptions {
  /** `prompt`: one value, or several joined with commas. Unknown values end the request with a `TypeError`. */
  prompt?: KakaoPromptParam | undefined;
  /** Pre-fills the Kakao Account ID field (`login_hint`); only has an effect when Kakao's login page is shown. */
  loginHint?: string | undefined;
  /** Service terms tags to show (`service_terms`, Kakao Sync only); arrays are joined with commas. */
  serviceTerms?: string | string[] | undefined;
  /** Consent items for additional consent on this request; overrides the strategy's `scope`. Joined with commas. */
  scope?: string | string[] | undefined;
  /** Overrides the strategy's `callbackURL` for this request. */
  callbackURL?: string | undefined;
}

declare module 'passport' {
  // Lets `passport.authenticate('kakao', { loginHint, serviceTerms })` type-check without a cast.
  interface AuthenticateOptions {
    /** passport-kakao-ts: Kakao's `login_hint`. */
    loginHint?: string | undefined;
    /** passport-kakao-ts: Kakao's `service_terms` (Kakao Sync). */
    serviceTerms?: string | string[] | undefined;
    /** Overrides the strategy's `callbackURL` for this request (passport-oauth2). */
    callbackURL?: string | undefined;
  }
}

/** Kakao's token response as the verify callback's `params` receives it (the refresh token comes as its own argument). */
export interface KakaoTokenResponse {
  token_type: string;
  access_token: string;
  /** Seconds until the access token (and id_token) expire: 21599 for REST API tokens. */
  expires_in: number;
  /** Seconds until the refresh token expires (about two months). */
  refresh_token_expires_in?: number;
  /** Granted consent items, space-separated. */
  scope?: string;
  /** Present when OpenID Connect is on or `openid` was asked for. */
  id_token?: string;
  /**
   * The id_token's claims, verified (signature, `iss`, `aud`, `exp`, `iat`, this login's `nonce`, and `sub` against
   * the profile) before the verify callback runs. Only logins with OpenID Connect have it; `id_token` alone is never
   * to be trusted.
   */
  id_token_claims?: KakaoIdTokenClaims;
}

/** `kakao_account.profile` of `/v2/user/me`. */
export interface KakaoAccountProfile {
  nickname?: string;
  thumbnail_image_url?: string;
  profile_image_url?: string;
  is_default_image?: boolean;
  is_default_nickname?: boolean;
}

/** `kakao_account` of `/v2/user/me`: each field appears only when the app asks for it and the user agreed. */
export interface KakaoAccount {
  profile_needs_agreement?: boolean;
  profile_nickname_needs_agreement?: boolean;
  profile_image_needs_agreement?: boolean;
  profile?: KakaoAccountProfile;
  name_needs_agreement?: boolean;
  name?: string;
  email_needs_agreement?: boolean;
  /** Deprecated, still sent by Kakao. */
  has_email?: boolean;
  is_email_valid?: boolean;
  is_email_verified?: boolean;
  email?: string;
  age_range_needs_agreement?: boolean;
  /** `1~9`, `10~14`, `15~19`, `20~29`, …, `90~`. */
  age_range?: string;
  birthyear_needs_agreement?: boolean;
  /** `YYYY`. */
  birthyear?: string;
  birthday_needs_agreement?: boolean;
  /** `MMDD`. */
  birthday?: string;
  birthday_type?: 'SOLAR' | 'LUNAR';
  is_leap_month?: boolean;
  gender_needs_agreement?: boolean;
  gender?: 'female' | 'male';
  phone_number_needs_agreement?: boolean;
  /** e.g. `+82 010-1234-5678`. */
  phone_number?: string;
  ci_needs_agreement?: boolean;
  ci?: string;
  ci_authenticated_at?: string;
  /** Legal (verified) identity fields, each with its consent flag (docs/providers/kakao.md A8: Kakao SDK `Account` model). */
  legal_name_needs_agreement?: boolean;
  legal_name?: string;
  legal_birth_date_needs_agreement?: boolean;
  legal_birth_date?: string;
  legal_gender_needs_agreement?: boolean;
  legal_gender?: string;
  is_korean_needs_agreement?: boolean;
  is_korean?: boolean;
}

/** The answer of `GET /v2/user/me`. */
export interface KakaoUserResponse {
  /**
   * The user id, a 64-bit integer. `JSON.parse` rounds ids above 2^53; the profile's `id` keeps them exact.
   */
  id: number;
  has_signed_up?: boolean;
  connected_at?: string;
  synched_at?: string;
  /** Deprecated by Kakao: use `kakao_account.profile`. */
  properties?: { nickname?: string; profile_image?: string; thumbnail_image?: string; [key: string]: string | undefined };
  kakao_account?: KakaoAccount;
  for_partner?: { uuid?: string };
}

/** A photo URL with its size. */
export interface KakaoPhoto {
  value: string;
  /** `profile` (640×640) or `thumbnail` (110×110). */
  type: 'profile' | 'thumbnail';
}

/** The normalized profile: Passport's common fields, then Kakao's, each present only when the user shared it. */
export interface KakaoProfile extends Profile {
  provider: 'kakao';
  /** The Kakao user id as a decimal string, exact even above 2^53. */
  id: string;
  /** The nickname; an empty string when the user did not share one. */
  displayName: string;
  /** The email, with `verified` true only when Kakao says it is both valid and verified. */
  emails?: Array<{ value: string; verified: boolean }>;
  photos?: KakaoPhoto[];
  /** The real name (`kakao_account.name`), unsplit. */
  fullName?: string;
  gender?: 'female' | 'male';
  /** `1~9`, `10~14`, …, `90~`. */
  ageRange?: string;
  /** `MM-DD`. */
  birthday?: string;
  birthdayType?: 'SOLAR' | 'LUNAR';
  /** `YYYY`. */
  birthyear?: string;
  /** As Kakao formats it, e.g. `+82 010-1234-5678`. */
  phoneNumber?: string;
  /** The response body exactly as received. */
  _raw: string;
  _json: KakaoUserResponse;
}

/** passport-oauth2's `done` callback of a verify function. */
export type KakaoVerifyCallback = OAuth2Strategy.VerifyCallback;

/**
 * The verify callbacks. Each may call `done` or return a promise (an `async` function): a thrown error or a rejected
 * promise reaches Passport's error handling once, and nothing else happens.
 */

/** The 4-argument verify callback: tokens and profile. */
export type KakaoVerify = (accessToken: string, refreshToken: string, profile: KakaoProfile, done: KakaoVerifyCallback) => void | Promise<unknown>;

/** The 5-argument verify callback: tokens, Kakao's token response, and profile. */
export type KakaoVerifyWithParams = (
  accessToken: string,
  refreshToken: string,
  params: KakaoTokenResponse,
  profile: KakaoProfile,
  done: KakaoVerifyCallback,
) => void | Promise<unknown>;

/** The request-first 5-argument verify callback (with `passReqToCallback: true`). */
export type KakaoVerifyWithRequest = (
  req: Request,
  accessToken: string,
  refreshToken: string,
  profile: KakaoProfile,
  done: KakaoVerifyCallback,
) => void | Promise<unknown>;

/** The request-first 6-argument verify callback, with Kakao's token response. */
export type KakaoVerifyWithRequestAndParams = (
  req: Request,
  accessToken: string,
  refreshToken: string,
  params: KakaoTokenResponse,
  profile: KakaoProfile,
  done: KakaoVerifyCallback,
) => void | Promise<unknown>;

