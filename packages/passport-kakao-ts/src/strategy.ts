import {
  ProviderStrategy,
  assertStrategyArguments,
  describeEndpoint,
  invalidResponse,
  joinList,
  optionalStringOption,
  requireStringOption,
  resolveTimeout,
} from '@passport-korea/internal';
import type { CallbackError } from '@passport-korea/internal';
import type OAuth2Strategy from 'passport-oauth2';
import { KakaoAuthorizationError, parseKakaoTokenError } from './errors.js';
import { resolveKakaoEndpoints } from './endpoints.js';
import { callKakaoAPI } from './kapi.js';
import { parseKakaoProfile } from './profile.js';
import type {
  KakaoAuthenticateOptions,
  KakaoProfile,
  KakaoPrompt,
  KakaoStrategyOptions,
  KakaoStrategyOptionsWithRequest,
  KakaoUserResponse,
  KakaoVerify,
  KakaoVerifyFunction,
  KakaoVerifyFunctionWithRequest,
  KakaoVerifyWithParams,
  KakaoVerifyWithRequest,
  KakaoVerifyWithRequestAndParams,
} from './types.js';

const PROMPTS: ReadonlySet<string> = new Set<KakaoPrompt>(['login', 'none', 'create', 'select_account']);
const STRATEGY = 'KakaoStrategy';

/**
 * Passport strategy for Kakao Login (OAuth 2.0), registered as `'kakao'`.
 *
 * @example
 * ```ts
 * passport.use(new Strategy(
 *   { clientID: process.env.KAKAO_REST_API_KEY!, clientSecret: process.env.KAKAO_CLIENT_SECRET, callbackURL: '/auth/kakao/callback' },
 *   (accessToken, refreshToken, profile, done) => done(null, { id: profile.id, name: profile.displayName }),
 * ));
 * ```
 */
export class Strategy extends ProviderStrategy {
  /** `/v2/user/me`, with `secure_resource=true` unless turned off. */
  protected readonly _profileURL: string;

  // One overload per verify arity, as passport-oauth2 picks the form by arity. TypeScript infers the parameter types of
  // an unannotated callback from the first overload only, so the common 4-argument form comes first; the 5-argument
  // form needs its parameters annotated (see the README).
  /**
   * @param options - See {@link KakaoStrategyOptions}.
   * @param verify - Called after a login with the tokens, (optionally) Kakao's token response, and the profile.
   */
  constructor(options: KakaoStrategyOptions, verify: KakaoVerify);
  constructor(options: KakaoStrategyOptions, verify: KakaoVerifyWithParams);
  constructor(options: KakaoStrategyOptionsWithRequest, verify: KakaoVerifyWithRequest);
  constructor(options: KakaoStrategyOptionsWithRequest, verify: KakaoVerifyWithRequestAndParams);
  constructor(
    options: KakaoStrategyOptions | KakaoStrategyOptionsWithRequest,
    verify: KakaoVerifyFunction | KakaoVerifyFunctionWithRequest,
  ) {
    assertStrategyArguments(options, verify, STRATEGY);
    const clientID = requireStringOption(options.clientID, 'clientID', STRATEGY);
    const clientSecret = optionalStringOption(options.clientSecret, 'clientSecret', STRATEGY);
    const timeout = resolveTimeout(options.timeout, STRATEGY);
    const endpoints = resolveKakaoEndpoints(options, STRATEGY);
    const baseOptions = {
      clientID,
      // QUIRK (provider-reference A7.4; passport-kakao src/Strategy.ts): passport-kakao defaults this to the literal
      // 'kakao'. Kakao apps may have no secret; passing undefined makes the token exchange leave client_secret out.
      clientSecret: clientSecret as string,
      authorizationURL: endpoints.authorizationURL,
      tokenURL: endpoints.tokenURL,
      callbackURL: options.callbackURL,
      // QUIRK (provider-reference A1, A7.6; Kakao REST API "Request authorization code"): scope ids are comma-separated.
      scope: options.scope === undefined ? undefined : joinList(options.scope, ','),
      scopeSeparator: ',',
      state: options.store ? undefined : (options.state ?? true),
      pkce: options.pkce ?? false,
      // passport-oauth2 derives the key from the authorize host; keep Kakao's own even when endpoints point elsewhere.
      sessionKey: options.sessionKey ?? 'oauth2:kauth.kakao.com',
      store: options.store,
      skipUserProfile: options.skipUserProfile ?? false,
      proxy: options.proxy,
      passReqToCallback: options.passReqToCallback === true,
    };
    // passport-oauth2 picks the verify arity at run time; the overloads above keep options and verify consistent.
    super(baseOptions as OAuth2Strategy.StrategyOptions, verify as OAuth2Strategy.VerifyFunction, { provider: 'kakao', timeout });
    this.name = 'kakao';
    const profileURL = new URL(endpoints.profileURL);
    if (options.secureResource ?? true) profileURL.searchParams.set('secure_resource', 'true');
    this._profileURL = profileURL.toString();
  }

  /** Kakao's `?error=` redirect other than `access_denied`, e.g. `consent_required` after `prompt=none`. */
  protected override createAuthorizationError({ error, description, uri }: CallbackError): Error {
    return new KakaoAuthorizationError(error, description, uri);
  }

  /** An unknown `prompt` value ends the request with a `TypeError` rather than reaching Kakao. */
  protected override checkAuthenticateOptions(options: KakaoAuthenticateOptions): Error | undefined {
    const prompt: unknown = options.prompt;
    const prompts = prompt === undefined ? [] : typeof prompt === 'string' ? prompt.split(',') : Array.isArray(prompt) ? prompt : [prompt];
    const unknown = prompts.find((value: unknown) => typeof value !== 'string' || !PROMPTS.has(value.trim()));
    return unknown === undefined
      ? undefined
      : new TypeError(`${STRATEGY}: unknown prompt ${JSON.stringify(unknown)}; use login, none, create or select_account`);
  }

  /** The allow-listed per-request parameters of Kakao's authorize endpoint; nothing else reaches the URL. */
  override authorizationParams(options: KakaoAuthenticateOptions): Record<string, string> {
    const params: Record<string, string> = {};
    const prompt = options.prompt as string | readonly string[] | undefined;
    if (prompt !== undefined) params['prompt'] = joinList(prompt, ',');
    if (typeof options.loginHint === 'string') params['login_hint'] = options.loginHint;
    if (options.serviceTerms !== undefined) params['service_terms'] = joinList(options.serviceTerms, ',');
    return params;
  }

  /** Turns a kauth error body into a {@link KakaoTokenError} (see {@link parseKakaoTokenError}). */
  override parseErrorResponse(body: string, status: number): Error | null {
    return parseKakaoTokenError(body, status);
  }

  /** Fetches `/v2/user/me` with the access token as a Bearer header and maps it with {@link parseKakaoProfile}. */
  protected override async loadProfile(accessToken: string): Promise<KakaoProfile> {
    const { json, raw } = await callKakaoAPI({
      method: 'GET',
      url: this._profileURL,
      accessToken,
      timeout: this._timeout,
      agent: this._agent,
    });
    if (typeof json['id'] !== 'number' || !Number.isInteger(json['id'])) {
      throw invalidResponse('kakao', 'GET', this._profileURL, `Kakao answered ${describeEndpoint('GET', this._profileURL)} without a user id`, 200);
    }
    return parseKakaoProfile(json as unknown as KakaoUserResponse, raw);
  }
}
