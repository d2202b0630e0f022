import { ProviderStrategy, createNonce, describeEndpoint, invalidResponse, verifyLoginIdToken, withOpenid } from '@passport-korea/internal';
import type { CallbackError, LoginBudget, LoginResult, LoginTransaction, TokenResult } from '@passport-korea/internal';
import { NaverAuthorizationError, parseNaverTokenError } from './errors.js';
import { NaverIdTokenVerifier } from './oidc.js';
import { callNaverAPI } from './openapi.js';
import { STRATEGY, resolveNaverOptions } from './options.js';
import { parseNaverProfile, profileFromIdToken } from './profile.js';
import type {
  NaverAuthType,
  NaverAuthenticateOptions,
  NaverProfile,
  NaverStrategyOptions,
  NaverStrategyOptionsAny,
  NaverStrategyOptionsWithRequest,
  NaverStrategyOptionsWithRequestAndTokenResponse,
  NaverStrategyOptionsWithTokenResponse,
  NaverTokenResponse,
  NaverUserResponse,
  NaverVerify,
  NaverVerifyWithParams,
  NaverVerifyWithRequest,
  NaverVerifyWithRequestAndParams,
} from './types.js';

const AUTH_TYPES: ReadonlySet<string> = new Set<NaverAuthType>(['reprompt', 'reauthenticate', 'autologin']);

/**
 * Passport strategy for Naver Login (OAuth 2.0, and OpenID Connect with `oidc: true`), registered as `'naver'`.
 *
 * @example
 * ```ts
 * passport.use(new Strategy(
 *   { clientID: process.env.NAVER_CLIENT_ID!, clientSecret: process.env.NAVER_CLIENT_SECRET!, callbackURL: '/auth/naver/callback' },
 *   (accessToken, refreshToken, profile, done) => done(null, { id: profile.id, name: profile.displayName }),
 * ));
 * ```
 */
export class Strategy extends ProviderStrategy<NaverTokenResponse, NaverProfile> {
  /** `/v1/nid/me`. */
  protected readonly _profileURL: string;
  /** OpenID Connect on for every login. */
  protected readonly _oidc: boolean;
  /** Build the profile from the id_token instead of `/v1/nid/me`. */
  protected readonly _profileFromIdToken: boolean;
  /** Refuse an id_token without this login's nonce. */
  protected readonly _requireNonce: boolean;
  /** Verifies id_tokens (jose, cached JWKS). */
  protected readonly _idTokens: NaverIdTokenVerifier;

  // `passTokenResponse: true` selects the forms with Naver's token response, so TypeScript infers an unannotated
  // callback in every form. Without it, the forms are told apart by the callback's number of parameters (the last two
  // overloads), as in passport-oauth2; TypeScript then infers only the 4-argument form.
  /**
   * @param options - See {@link NaverStrategyOptions}.
   * @param verify - Called after a login with the tokens, (with `passTokenResponse: true`) Naver's token response, and
   *   the profile; it may call `done` or return a promise.
   */
  constructor(options: NaverStrategyOptionsWithTokenResponse, verify: NaverVerifyWithParams);
  constructor(options: NaverStrategyOptionsWithRequestAndTokenResponse, verify: NaverVerifyWithRequestAndParams);
  constructor(options: NaverStrategyOptions, verify: NaverVerify);
  constructor(options: NaverStrategyOptionsWithRequest, verify: NaverVerifyWithRequest);
  constructor(options: NaverStrategyOptions, verify: NaverVerifyWithParams);
  constructor(options: NaverStrategyOptionsWithRequest, verify: NaverVerifyWithRequestAndParams);
  constructor(
    options: NaverStrategyOptionsAny,
    verify: NaverVerify | NaverVerifyWithParams | NaverVerifyWithRequest | NaverVerifyWithRequestAndParams,
  ) {
    const resolved = resolveNaverOptions(options, verify);
    super(resolved.oauth2, verify, resolved.config);
    this.name = 'naver';
    this._oidc = resolved.oidc;
    this._profileFromIdToken = resolved.profileFromIdToken;
    this._requireNonce = resolved.requireNonce;
    this._profileURL = resolved.profileURL;
    this._idTokens = new NaverIdTokenVerifier({ ...resolved.idTokens, agent: () => this._agent });
  }

  /** An OpenID Connect login gets a fresh nonce (Naver documents none, B8 ⚠; it is checked if echoed). */
  protected override loginNonce(): string | undefined {
    return this._oidc ? createNonce() : undefined;
  }

  /**
   * With OIDC on, a per-request `scope` replaces the strategy's and `openid` stays in it (B5: required). The legacy
   * login sends none, whatever the request asks: Naver's `scope` there is an internal value not to be sent (B1, B6.7).
   */
  protected override loginScope(options: NaverAuthenticateOptions): string | undefined {
    return this._oidc ? withOpenid(super.loginScope(options)).join(' ') : undefined;
  }

  /**
   * After the code exchange, with OIDC on: the id_token first (a bad one costs no second request), then the profile
   * from `/v1/nid/me` or from the id_token's claims. Naver's `sub` is not compared with `/v1/nid/me`'s `id`: they may
   * differ (docs/providers/naver.md B8 ⚠). Both come from one token response over TLS, so the profile is still the user's.
   */
  protected override async completeTokens(
    tokens: TokenResult<NaverTokenResponse>,
    transaction: LoginTransaction,
    budget: LoginBudget,
  ): Promise<LoginResult<NaverTokenResponse, NaverProfile>> {
    const params = tokens.results;
    // The legacy login has no id_token; one that comes anyway is verified all the same (and must carry no nonce).
    if (!this._oidc && params.id_token === undefined) return super.completeTokens(tokens, transaction, budget);
    const claims = await verifyLoginIdToken(this._idTokens, params.id_token, {
      oidc: this._oidc,
      nonce: transaction.nonce,
      nonceOptional: !this._requireNonce,
      budget,
    });
    if (claims) params.id_token_claims = claims;
    // An id_token that could not be checked (one the login did not ask for, with Naver's keys out of reach) is dropped.
    else delete params.id_token;
    let profile: NaverProfile | undefined;
    if (this._profileFromIdToken && claims) profile = profileFromIdToken(claims);
    else profile = await this.profileFor(tokens.accessToken, budget);
    return { params, profile };
  }


  /** Naver's `?error=` redirect other than `access_denied`. */
  protected override createAuthorizationError({ error, description, uri }: CallbackError): Error {
    return new NaverAuthorizationError(error, description, uri);
  }

  /** An unknown `authType` ends the request with a `TypeError` rather than reaching Naver. */
  protected override checkAuthenticateOptions(options: NaverAuthenticateOptions): Error | undefined {
    const authType: unknown = options.authType;
    if (authType === undefined || (typeof authType === 'string' && AUTH_TYPES.has(authType))) return undefined;
    return new TypeError(`${STRATEGY}: unknown authType ${JSON.stringify(authType)}; use reprompt, reauthenticate or autologin`);
  }

  /** The allow-listed per-request parameter of Naver's authorize endpoint; nothing else reaches the URL. */
  override authorizationParams(options: NaverAuthenticateOptions): Record<string, string> {
    return options.authType === undefined ? {} : { auth_type: options.authType };
  }

  /**
   * QUIRK (docs/providers/naver.md B2; Naver Login API docs, token request table): the code exchange takes the `state`
   * the callback received, which passport-oauth2 does not send by itself.
   */
  protected override codeExchangeParams(options: NaverAuthenticateOptions, callbackState: string | undefined): Record<string, string> {
    const params = super.codeExchangeParams(options, callbackState);
    return callbackState === undefined ? params : { ...params, state: callbackState };
  }

  /** Turns Naver's `{ error, error_description }` into a {@link NaverTokenError} (see {@link parseNaverTokenError}). */
  override parseErrorResponse(body: string, status: number): Error | null {
    return parseNaverTokenError(body, status);
  }

  /** Fetches `/v1/nid/me` with the access token as a Bearer header and maps it with {@link parseNaverProfile}. */
  protected override async loadProfile(accessToken: string, timeout: number = this._timeout): Promise<NaverProfile> {
    const { json, raw } = await callNaverAPI({ method: 'GET', url: this._profileURL, accessToken, timeout, agent: this._agent });
    const user = json['response'];
    const id = typeof user === 'object' && user !== null ? (user as Record<string, unknown>)['id'] : undefined;
    if (typeof id !== 'string' || id.length === 0) {
      throw invalidResponse('naver', 'GET', this._profileURL, `Naver answered ${describeEndpoint('GET', this._profileURL)} without a user id`, 200);
    }
    return parseNaverProfile(json as unknown as NaverUserResponse, raw);
  }
}
