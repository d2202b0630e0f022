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
import type { Request } from 'express';
import type OAuth2Strategy from 'passport-oauth2';
import { KakaoAuthorizationError, parseKakaoTokenError } from './errors.js';
import { resolveKakaoEndpoints } from './endpoints.js';
import { callKakaoAPI } from './kapi.js';
import { DEFAULT_CLOCK_TOLERANCE_SECONDS, IdTokenVerifier, KAKAO_ISSUER, KakaoIdTokenError, createNonce } from './oidc.js';
import { parseKakaoProfile, profileFromIdToken } from './profile.js';
import type {
  KakaoAuthenticateOptions,
  KakaoProfile,
  KakaoPrompt,
  KakaoStrategyOptions,
  KakaoStrategyOptionsWithRequest,
  KakaoTokenResponse,
  KakaoUserResponse,
  KakaoVerify,
  KakaoVerifyCallback,
  KakaoVerifyFunction,
  KakaoVerifyFunctionWithRequest,
  KakaoVerifyWithParams,
  KakaoVerifyWithRequest,
  KakaoVerifyWithRequestAndParams,
} from './types.js';

const PROMPTS: ReadonlySet<string> = new Set<KakaoPrompt>(['login', 'none', 'create', 'select_account']);
const STRATEGY = 'KakaoStrategy';
/** Carries this login's nonce from `authenticate` to `authorizationParams` inside passport-oauth2's options object. */
const NONCE = Symbol('kakao oidc nonce');
/** The nonce a callback request's session held, from `authenticate` to the verify step. */
const callbackNonces = new WeakMap<object, string>();

/** passport-oauth2's verify arguments with `passReqToCallback: true`, which the strategy always registers. */
type VerifyArgs = [req: Request, accessToken: string, refreshToken: string, params: KakaoTokenResponse, profile: KakaoProfile, done: KakaoVerifyCallback];

function hasOpenid(scope: string | readonly string[] | undefined): boolean {
  if (scope === undefined) return false;
  return (typeof scope === 'string' ? scope.split(/[\s,]+/) : scope).includes('openid');
}

function withOpenid(scope: string | readonly string[] | undefined): string[] {
  const list = scope === undefined ? [] : typeof scope === 'string' ? scope.split(/[\s,]+/).filter(Boolean) : [...scope];
  return list.includes('openid') ? list : [...list, 'openid'];
}

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
  /** OpenID Connect on for every login. */
  protected readonly _oidc: boolean;
  /** Build the profile from the id_token instead of `/v2/user/me`. */
  protected readonly _profileFromIdToken: boolean;
  /** Verifies id_tokens (jose, cached JWKS). */
  protected readonly _idTokens: IdTokenVerifier;
  /** passport-oauth2's session key and default scope. */
  declare protected _key: string;
  declare protected _scope: string | string[] | undefined;

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
    if (options.profileFrom !== undefined && options.profileFrom !== 'userinfo' && options.profileFrom !== 'idToken') {
      throw new TypeError(`${STRATEGY}: profileFrom must be 'userinfo' or 'idToken'`);
    }
    const profileFromIdTokenOnly = options.profileFrom === 'idToken';
    const oidc = options.oidc ?? (profileFromIdTokenOnly || hasOpenid(options.scope));
    if (profileFromIdTokenOnly && options.oidc === false) throw new TypeError(`${STRATEGY}: profileFrom 'idToken' needs OpenID Connect (oidc: true)`);
    const clockTolerance = options.clockTolerance ?? DEFAULT_CLOCK_TOLERANCE_SECONDS;
    if (typeof clockTolerance !== 'number' || !(clockTolerance >= 0)) throw new TypeError(`${STRATEGY}: clockTolerance must be a number of seconds (0 or more)`);
    const cooldown = options.jwksRefetchCooldown ?? 30_000;
    if (typeof cooldown !== 'number' || !(cooldown >= 0)) throw new TypeError(`${STRATEGY}: jwksRefetchCooldown must be a number of milliseconds (0 or more)`);
    const scope = options.scope === undefined ? undefined : joinList(options.scope, ',');
    const passReq = options.passReqToCallback === true;
    const userVerify = verify as (...args: unknown[]) => void;
    // passport-oauth2 picks the form by arity: 6 (req first) or 5 (no req) means the token response is passed.
    const userWantsParams = userVerify.length === (passReq ? 6 : 5);
    // Registered with passReqToCallback so the id_token can be checked against this request's nonce first.
    let self: Strategy | undefined;
    // Six declared parameters: passport-oauth2 reads the arity to decide what to pass.
    const verifyThenCallApp = (req: Request, accessToken: string, refreshToken: string, params: KakaoTokenResponse, profile: KakaoProfile, done: KakaoVerifyCallback) =>
      self!.completeLogin([req, accessToken, refreshToken, params, profile, done], (req, accessToken, refreshToken, params, profile, done) => {
      const tokens: unknown[] = userWantsParams ? [accessToken, refreshToken, params, profile, done] : [accessToken, refreshToken, profile, done];
      if (passReq) userVerify(req, ...tokens);
      else userVerify(...tokens);
    });
    const baseOptions = {
      clientID,
      // QUIRK (provider-reference A7.4; passport-kakao src/Strategy.ts): passport-kakao defaults this to the literal
      // 'kakao'. Kakao apps may have no secret; passing undefined makes the token exchange leave client_secret out.
      clientSecret: clientSecret as string,
      authorizationURL: endpoints.authorizationURL,
      tokenURL: endpoints.tokenURL,
      callbackURL: options.callbackURL,
      // QUIRK (provider-reference A1, A7.6; Kakao REST API "Request authorization code"): scope ids are comma-separated.
      scope: oidc ? withOpenid(scope).join(',') : scope,
      scopeSeparator: ',',
      state: options.store ? undefined : (options.state ?? true),
      pkce: options.pkce ?? false,
      // passport-oauth2 derives the key from the authorize host; keep Kakao's own even when endpoints point elsewhere.
      sessionKey: options.sessionKey ?? 'oauth2:kauth.kakao.com',
      store: options.store,
      skipUserProfile: profileFromIdTokenOnly || (options.skipUserProfile ?? false),
      proxy: options.proxy,
      passReqToCallback: true,
    };
    super(baseOptions as OAuth2Strategy.StrategyOptions, verifyThenCallApp as unknown as OAuth2Strategy.VerifyFunction, { provider: 'kakao', timeout });
    self = this;
    this.name = 'kakao';
    this._oidc = oidc;
    this._profileFromIdToken = profileFromIdTokenOnly;
    this._idTokens = new IdTokenVerifier({
      jwksURL: endpoints.jwksURL,
      issuer: optionalStringOption(options.issuer, 'issuer', STRATEGY) ?? optionalStringOption(options.baseURL, 'baseURL', STRATEGY)?.replace(/\/+$/, '') ?? KAKAO_ISSUER,
      audience: clientID,
      clockToleranceSeconds: clockTolerance,
      timeout,
      jwksRefetchCooldownMs: cooldown,
    });
    const profileURL = new URL(endpoints.profileURL);
    if (options.secureResource ?? true) profileURL.searchParams.set('secure_resource', 'true');
    this._profileURL = profileURL.toString();
  }

  /**
   * With OpenID Connect, starts each login with a fresh nonce, kept in the session entry passport-oauth2 uses for the
   * state (and PKCE verifier) and sent to Kakao; on the callback, takes it back out for the id_token check.
   */
  override authenticate(req: Request, options: KakaoAuthenticateOptions = {}): void {
    const session = (req as unknown as { session?: Record<string, unknown> }).session;
    const entry = session?.[this._key] as { nonce?: string } | undefined;
    const query = (req.query ?? {}) as Record<string, unknown>;
    if (query['code'] !== undefined || query['error'] !== undefined) {
      if (entry?.nonce !== undefined) {
        callbackNonces.set(req, entry.nonce);
        delete entry.nonce;
      }
      super.authenticate(req, options);
      return;
    }
    if (!this._oidc && !hasOpenid(options.scope)) {
      super.authenticate(req, options);
      return;
    }
    if (!session) {
      this.error(new Error(`${STRATEGY}: OpenID Connect keeps the nonce in the session; add express-session (or another session) before Passport`));
      return;
    }
    const nonce = createNonce();
    session[this._key] = { ...(entry ?? {}), nonce };
    const scope = options.scope === undefined ? undefined : withOpenid(options.scope);
    super.authenticate(req, { ...options, ...(scope ? { scope } : {}), [NONCE]: nonce } as KakaoAuthenticateOptions);
  }

  /**
   * Runs between the token exchange (and profile fetch) and the app's verify callback: checks the id_token when there
   * is one, or when OpenID Connect was asked for, and builds the profile from it with `profileFrom: 'idToken'`.
   */
  private completeLogin(args: VerifyArgs, callApp: (...args: VerifyArgs) => void): void {
    const [req, accessToken, refreshToken, params, profile, done] = args;
    const expectedNonce = callbackNonces.get(req);
    callbackNonces.delete(req);
    const idToken = params?.id_token;
    if (typeof idToken !== 'string') {
      if (this._oidc || expectedNonce !== undefined) {
        done(new KakaoIdTokenError('MISSING', 'OpenID Connect was asked for, and the token response has no id_token'));
        return;
      }
      callApp(...args);
      return;
    }
    this._idTokens.verify(idToken, expectedNonce).then(
      (claims) =>
        process.nextTick(() => {
          params.id_token_claims = claims;
          try {
            callApp(req, accessToken, refreshToken, params, this._profileFromIdToken ? profileFromIdToken(claims) : profile, done);
          } catch (error) {
            done(error);
          }
        }),
      (error: unknown) => process.nextTick(done, error),
    );
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
    const nonce = (options as { [NONCE]?: string })[NONCE];
    if (nonce !== undefined) params['nonce'] = nonce;
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
