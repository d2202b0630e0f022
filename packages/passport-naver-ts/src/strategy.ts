import {
  ProviderStrategy,
  assertStrategyArguments,
  describeEndpoint,
  invalidResponse,
  requireStringOption,
  resolveTimeout,
  resolveVerifyForm,
} from '@passport-korea/internal';
import type { CallbackError } from '@passport-korea/internal';
import { resolveNaverEndpoints } from './endpoints.js';
import { NaverAuthorizationError, parseNaverTokenError } from './errors.js';
import { normalizeNaverTokenResponse } from './token-response.js';
import { callNaverAPI } from './openapi.js';
import { parseNaverProfile } from './profile.js';
import type {
  NaverAuthType,
  NaverAuthenticateOptions,
  NaverProfile,
  NaverStrategyOptions,
  NaverStrategyOptionsAny,
  NaverStrategyOptionsWithRequest,
  NaverStrategyOptionsWithRequestAndTokenResponse,
  NaverStrategyOptionsWithTokenResponse,
  NaverUserResponse,
  NaverVerify,
  NaverVerifyWithParams,
  NaverVerifyWithRequest,
  NaverVerifyWithRequestAndParams,
} from './types.js';

const AUTH_TYPES: ReadonlySet<string> = new Set<NaverAuthType>(['reprompt', 'reauthenticate']);
const STRATEGY = 'NaverStrategy';

/**
 * Passport strategy for Naver Login (OAuth 2.0), registered as `'naver'`.
 *
 * @example
 * ```ts
 * passport.use(new Strategy(
 *   { clientID: process.env.NAVER_CLIENT_ID!, clientSecret: process.env.NAVER_CLIENT_SECRET!, callbackURL: '/auth/naver/callback' },
 *   (accessToken, refreshToken, profile, done) => done(null, { id: profile.id, name: profile.displayName }),
 * ));
 * ```
 */
export class Strategy extends ProviderStrategy {
  /** `/v1/nid/me`. */
  protected readonly _profileURL: string;

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
    assertStrategyArguments(options, verify, STRATEGY);
    const clientID = requireStringOption(options.clientID, 'clientID', STRATEGY);
    const clientSecret = requireStringOption(options.clientSecret, 'clientSecret', STRATEGY);
    const timeout = resolveTimeout(options.timeout, STRATEGY);
    const endpoints = resolveNaverEndpoints(options, STRATEGY);
    const baseOptions = {
      clientID,
      clientSecret,
      authorizationURL: endpoints.authorizationURL,
      tokenURL: endpoints.tokenURL,
      callbackURL: options.callbackURL,
      // QUIRK (provider-reference B1, B6.3; Naver Login API docs): `state` is required, and naver/passport-naver
      // does not set it by default. On unless the app turns it off.
      state: options.store ? undefined : (options.state ?? true),
      sessionKey: options.sessionKey ?? 'oauth2:nid.naver.com',
      store: options.store,
      skipUserProfile: options.skipUserProfile ?? false,
      proxy: options.proxy,
    };
    super(baseOptions, verify, {
      provider: 'naver',
      owner: STRATEGY,
      timeout,
      loginTimeout: resolveTimeout(options.loginTimeout, STRATEGY, 'loginTimeout', timeout),
      verifyForm: resolveVerifyForm(options, verify, STRATEGY),
      normalizeTokenResponse: normalizeNaverTokenResponse,
    });
    this.name = 'naver';
    this._profileURL = endpoints.profileURL;
  }

  /** Naver's `?error=` redirect other than `access_denied`. */
  protected override createAuthorizationError({ error, description, uri }: CallbackError): Error {
    return new NaverAuthorizationError(error, description, uri);
  }

  /** An unknown `authType` ends the request with a `TypeError` rather than reaching Naver. */
  protected override checkAuthenticateOptions(options: NaverAuthenticateOptions): Error | undefined {
    const authType: unknown = options.authType;
    if (authType === undefined || (typeof authType === 'string' && AUTH_TYPES.has(authType))) return undefined;
    return new TypeError(`${STRATEGY}: unknown authType ${JSON.stringify(authType)}; use reprompt or reauthenticate`);
  }

  /** The allow-listed per-request parameter of Naver's authorize endpoint; nothing else reaches the URL. */
  override authorizationParams(options: NaverAuthenticateOptions): Record<string, string> {
    return options.authType === undefined ? {} : { auth_type: options.authType };
  }

  /**
   * QUIRK (provider-reference B2; Naver Login API docs, token request table): the code exchange takes the `state`
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
