import { ProviderStrategy, createNonce, joinList, scopeList, verifyLoginIdToken } from '@passport-korea/internal';
import type { CallbackError, LoginBudget, LoginResult, LoginTransaction, TokenResult } from '@passport-korea/internal';
import { KakaoAuthorizationError, parseKakaoTokenError } from './errors.js';
import { fetchKakaoProfile } from './kapi.js';
import { KakaoIdTokenVerifier, assertSameSubject } from './oidc.js';
import { STRATEGY, kakaoScope, resolveKakaoOptions } from './options.js';
import { profileFromIdToken } from './profile.js';
import type {
  KakaoAuthenticateOptions,
  KakaoProfile,
  KakaoPrompt,
  KakaoStrategyOptions,
  KakaoStrategyOptionsAny,
  KakaoStrategyOptionsWithRequest,
  KakaoStrategyOptionsWithRequestAndTokenResponse,
  KakaoStrategyOptionsWithTokenResponse,
  KakaoTokenResponse,
  KakaoVerify,
  KakaoVerifyWithParams,
  KakaoVerifyWithRequest,
  KakaoVerifyWithRequestAndParams,
} from './types.js';

const PROMPTS: ReadonlySet<string> = new Set<KakaoPrompt>(['login', 'none', 'create', 'select_account']);

/**
 * Passport strategy for Kakao Login (OAuth 2.0 and OpenID Connect), registered as `'kakao'`.
 *
 * @example
 * ```ts
 * passport.use(new Strategy(
 *   { clientID: process.env.KAKAO_REST_API_KEY!, clientSecret: process.env.KAKAO_CLIENT_SECRET, callbackURL: '/auth/kakao/callback' },
 *   (accessToken, refreshToken, profile, done) => done(null, { id: profile.id, name: profile.displayName }),
 * ));
 * ```
 */
export class Strategy extends ProviderStrategy<KakaoTokenResponse, KakaoProfile> {
  /** `/v2/user/me`, with `secure_resource=true` unless turned off. */
  protected readonly _profileURL: string;
  /** OpenID Connect on for every login. */
  protected readonly _oidc: boolean;
  /** Build the profile from the id_token instead of `/v2/user/me`. */
  protected readonly _profileFromIdToken: boolean;
  /** Verifies id_tokens (jose, cached JWKS). */
  protected readonly _idTokens: KakaoIdTokenVerifier;

  // `passTokenResponse: true` selects the forms with Kakao's token response, so TypeScript infers an unannotated
  // callback in every form. Without it, the forms are told apart by the callback's number of parameters (the last two
  // overloads), as in passport-oauth2; TypeScript then infers only the 4-argument form.
  /**
   * @param options - See {@link KakaoStrategyOptions}.
   * @param verify - Called after a login with the tokens, (with `passTokenResponse: true`) Kakao's token response, and
   *   the profile; it may call `done` or return a promise.
   */
  constructor(options: KakaoStrategyOptionsWithTokenResponse, verify: KakaoVerifyWithParams);
  constructor(options: KakaoStrategyOptionsWithRequestAndTokenResponse, verify: KakaoVerifyWithRequestAndParams);
  constructor(options: KakaoStrategyOptions, verify: KakaoVerify);
  constructor(options: KakaoStrategyOptionsWithRequest, verify: KakaoVerifyWithRequest);
  constructor(options: KakaoStrategyOptions, verify: KakaoVerifyWithParams);
  constructor(options: KakaoStrategyOptionsWithRequest, verify: KakaoVerifyWithRequestAndParams);
  constructor(options: KakaoStrategyOptionsAny, verify: KakaoVerify | KakaoVerifyWithParams | KakaoVerifyWithRequest | KakaoVerifyWithRequestAndParams) {
    const resolved = resolveKakaoOptions(options, verify);
    super(resolved.oauth2, verify, resolved.config);
    this.name = 'kakao';
    this._oidc = resolved.oidc;
    this._profileFromIdToken = resolved.profileFromIdToken;
    this._profileURL = resolved.profileURL;
    this._idTokens = new KakaoIdTokenVerifier({ ...resolved.idTokens, agent: () => this._agent });
  }

  /** A login is OpenID Connect when the strategy has it on or the request asks for `openid`: it gets a fresh nonce. */
  protected override loginNonce(options: KakaoAuthenticateOptions): string | undefined {
    return this._oidc || scopeList(options.scope).includes('openid') ? createNonce() : undefined;
  }

  /** A per-request `scope` replaces the strategy's; with OIDC on, `openid` stays in it. */
  protected override loginScope(options: KakaoAuthenticateOptions): string | undefined {
    return kakaoScope(options.scope ?? this._scope, this._oidc);
  }

  /**
   * After the code exchange: the id_token first (a bad one costs no second request), then the profile from
   * `/v2/user/me` (whose id must be the id_token's `sub`) or from the id_token's claims.
   */
  protected override async completeTokens(
    tokens: TokenResult<KakaoTokenResponse>,
    transaction: LoginTransaction,
    budget: LoginBudget,
  ): Promise<LoginResult<KakaoTokenResponse, KakaoProfile>> {
    const params = tokens.results;
    const claims = await verifyLoginIdToken(this._idTokens, params.id_token, { oidc: this._oidc, nonce: transaction.nonce, budget });
    if (claims) params.id_token_claims = claims;
    // An id_token that could not be checked (one the login did not ask for, with Kakao's keys out of reach) is dropped.
    else delete params.id_token;
    let profile: KakaoProfile | undefined;
    if (this._profileFromIdToken && claims) {
      profile = profileFromIdToken(claims);
    } else {
      profile = await this.profileFor(tokens.accessToken, budget);
      // A subclass's own userProfile may map the user differently: its id is compared when it gives one.
      if (claims && typeof profile?.id === 'string') assertSameSubject(claims, profile.id);
    }
    return { params, profile };
  }

  /** Kakao's `?error=` redirect other than `access_denied`, e.g. `consent_required` after `prompt=none`. */
  protected override createAuthorizationError({ error, description, uri }: CallbackError): Error {
    return new KakaoAuthorizationError(error, description, uri);
  }

  /** An unknown `prompt` value ends the request with a `TypeError` rather than reaching Kakao. */
  protected override checkAuthenticateOptions(options: KakaoAuthenticateOptions): Error | undefined {
    const unknown = promptList(options.prompt).find((value: unknown) => typeof value !== 'string' || !PROMPTS.has(value));
    return unknown === undefined
      ? undefined
      : new TypeError(`${STRATEGY}: unknown prompt ${JSON.stringify(unknown)}; use login, none, create or select_account`);
  }

  /** The allow-listed per-request parameters of Kakao's authorize endpoint; nothing else reaches the URL. */
  override authorizationParams(options: KakaoAuthenticateOptions): Record<string, string> {
    const params: Record<string, string> = {};
    // QUIRK (docs/providers/kakao.md A1, A7.6): `prompt` values are joined with commas, sent as checked (trimmed); an empty
    // list sends none.
    const prompts = promptList(options.prompt);
    if (prompts.length > 0) params['prompt'] = prompts.join(',');
    if (typeof options.loginHint === 'string') params['login_hint'] = options.loginHint;
    // QUIRK (docs/providers/kakao.md A1, A7.6): service terms tags are comma-separated too.
    if (options.serviceTerms !== undefined) params['service_terms'] = joinList(options.serviceTerms, ',');
    return params;
  }

  /** Turns a kauth error body into a {@link KakaoTokenError} (see {@link parseKakaoTokenError}). */
  override parseErrorResponse(body: string, status: number): Error | null {
    return parseKakaoTokenError(body, status);
  }

  /** Fetches `/v2/user/me` with the access token as a Bearer header and maps it (`fetchKakaoProfile`, `parseKakaoProfile`). */
  protected override loadProfile(accessToken: string, timeout: number = this._timeout): Promise<KakaoProfile> {
    return fetchKakaoProfile({ url: this._profileURL, accessToken, timeout, agent: this._agent });
  }
}

/** The `prompt` option as a list: a string split at commas, each value trimmed (others kept for the check to refuse). */
function promptList(prompt: unknown): unknown[] {
  const values = prompt === undefined ? [] : typeof prompt === 'string' ? prompt.split(',') : Array.isArray(prompt) ? (prompt as unknown[]) : [prompt];
  return values.map((value) => (typeof value === 'string' ? value.trim() : value));
}
