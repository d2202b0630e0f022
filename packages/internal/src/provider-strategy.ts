import { createHash } from 'node:crypto';
import type { Request } from 'express';
import type { Agent } from 'node:http';
import { stringify } from 'node:querystring';
import OAuth2Strategy from 'passport-oauth2';
import { LoginBudget } from './budget.js';
import { sanitizeProviderText } from './errors.js';
import type { ProviderName } from './errors.js';
import { settleCallback } from './http.js';
import { reportError } from './passport-actions.js';
import { SessionStateStore, failure, loadTransaction, saveTransaction, storeKeepsState } from './login-state.js';
import type { AnyStateStore, LoginTransaction, StateStoreMeta } from './login-state.js';
import { randomToken } from './random.js';
import { checkTransportOptions, hideClientSecret, readCallbackError } from './strategy-support.js';
import type { CallbackError } from './strategy-support.js';
import { TOKEN_REQUEST_TIMEOUT, createTokenExchange, readTokenCallback } from './token-exchange.js';
import type { TokenCallback, TokenExchangeConfig, TokenResult } from './token-exchange.js';
import { callVerify, toError } from './verify.js';
import type { VerifyForm } from './verify.js';

/** What the base class needs besides passport-oauth2's options. */
export interface ProviderStrategyConfig {
  provider: ProviderName;
  /** The class name used in messages, e.g. `KakaoStrategy`. */
  owner: string;
  /** Deadline per request to the provider, in milliseconds. */
  timeout: number;
  /** Deadline for all of one login's requests to the provider together, in milliseconds. */
  loginTimeout: number;
  /** Which arguments the app's verify callback takes. */
  verifyForm: VerifyForm;
  /** Rewrites a successful token response into its typed shape. */
  normalizeTokenResponse?: ((json: Record<string, unknown>) => Record<string, unknown>) | undefined;
}

/**
 * `skipUserProfile` as passport-oauth2 reads it: a boolean, a function answering at once, or one answering through a
 * callback with the access token in hand.
 */
export type SkipUserProfile = boolean | (() => boolean) | ((accessToken: string, done: (err: unknown, skip?: boolean) => void) => void);

/** passport-oauth2's options as the base class takes them (`state` and `store` are resolved here). */
export type ProviderStrategyOptions = Omit<OAuth2Strategy.StrategyOptions, 'store' | 'pkce'> & {
  state?: boolean | undefined;
  /** `true` (S256) or `false`; anything else is refused. */
  pkce?: boolean | undefined;
  /** Any passport-oauth2 state store, including the 5-argument kind (PKCE) such as `CookieStateStore`. */
  store?: OAuth2Strategy.StateStore | AnyStateStore | undefined;
  skipUserProfile?: SkipUserProfile | undefined;
} & Pick<StrategyTransportOptions, 'agent' | 'insecureAllowLoginCSRF'>;

/**
 * Options both web strategies take beside their provider's own: the transport passport-oauth2 users know
 * (`agent`, `customHeaders`) and the one way to run a login without CSRF protection.
 */
export interface StrategyTransportOptions {
  /**
   * An HTTP(S) agent (a proxy, keep-alive, a test's counting agent) for every request a login makes (the code
   * exchange, the profile, the JWKS) and for refreshes through passport-oauth2-refresh. The same as calling
   * `strategy._oauth2.setAgent(agent)`.
   */
  agent?: Agent | undefined;
  /** Headers sent with the token request (passport-oauth2's `customHeaders`, node-oauth's rule: ours win on a clash). */
  customHeaders?: Record<string, string> | undefined;
  /**
   * Unsafe. A login needs something that ties the callback to the browser that started it: a stored `state` (the
   * default), PKCE, or a `state` of the app's own given to `authenticate` with `state: false`. Without any of these a
   * login does not start (a `TypeError`), and a callback without `state` is refused: otherwise an attacker's `code` is
   * exchanged in the victim's browser (login CSRF). `true` lets such logins run anyway; default `false`.
   */
  insecureAllowLoginCSRF?: boolean | undefined;
}

/** The token response and profile a login hands to the verify callback. */
export interface LoginResult<Params extends object = Record<string, unknown>, Profile extends object = object> {
  params: Params;
  profile: Profile | undefined;
}

/** A request as the strategy reads it: Express's, NestJS's or Fastify's. */
interface LoginRequest {
  query?: unknown;
  body?: unknown;
  headers?: Record<string, string | string[] | undefined>;
  url?: string;
  originalUrl?: string;
  app?: { get?: (setting: string) => unknown };
  socket?: { encrypted?: boolean };
  connection?: { encrypted?: boolean };
}

/** passport-oauth2's instance fields this class reads. */
interface OAuth2Fields {
  _authorizeUrl: string;
  _accessTokenUrl: string;
  _clientId: string;
}

/**
 * What the Kakao and Naver strategies share on top of passport-oauth2's `Strategy`. The class keeps passport-oauth2's
 * options, state stores, hooks (`authorizationParams`, `tokenParams`, `userProfile`, `parseErrorResponse`) and its
 * `_oauth2` client (for passport-oauth2-refresh), and runs both legs of a login itself:
 *
 * - the redirect: the transaction (state handle, PKCE verifier, OIDC nonce, the app's `state`) saved in one store call;
 * - the callback: the transaction loaded back, the code exchanged, the provider's extra steps ({@link completeTokens}),
 *   all within one time budget, then the app's verify callback in the form it asked for, whatever it throws or rejects.
 */
export abstract class ProviderStrategy<Params extends object = Record<string, unknown>, Profile extends object = object> extends OAuth2Strategy {
  /** Deadline per request to the provider, in milliseconds. */
  protected readonly _timeout: number;
  /** Deadline for all of one login's requests to the provider, in milliseconds. */
  protected readonly _loginTimeout: number;
  private readonly _provider: ProviderName;
  private readonly _verifyForm: VerifyForm;
  private readonly _tokenConfig: TokenExchangeConfig;
  declare protected _key: string;
  declare protected _scope: string | string[] | undefined;
  declare protected _scopeSeparator: string;
  declare protected _callbackURL: string | undefined;
  declare protected _stateStore: AnyStateStore;
  declare protected _pkceMethod: string | undefined;
  declare protected _trustProxy: boolean | undefined;
  declare protected _skipUserProfile: SkipUserProfile;
  declare protected _verify: (...args: unknown[]) => unknown;
  /** `state: false` and no store: no transaction is kept, and a string `state` of `authenticate` is the app's own. */
  private readonly _appKeepsState: boolean;
  /** `insecureAllowLoginCSRF`: logins with neither a stored state, nor PKCE, nor the app's own `state` may run. */
  private readonly _allowLoginCSRF: boolean;
  private readonly _owner: string;

  constructor(options: ProviderStrategyOptions, verify: (...args: never[]) => unknown, config: ProviderStrategyConfig) {
    const key = options.sessionKey ?? 'oauth2';
    const store = options.store ?? (options.state ? new SessionStateStore(key, config.owner) : undefined);
    const skip: unknown = options.skipUserProfile;
    if (skip !== undefined && typeof skip !== 'boolean' && typeof skip !== 'function') {
      throw new TypeError(`${config.owner}: skipUserProfile must be true, false or a function`);
    }
    if (typeof skip === 'function' && skip.length === 1) {
      // passport-oauth2 calls a function of fewer than two parameters with none: `(accessToken) => …` would get nothing.
      throw new TypeError(`${config.owner}: a skipUserProfile function takes no parameter, () => boolean, or two, (accessToken, done)`);
    }
    checkTransportOptions(options, config.owner);
    const { agent, insecureAllowLoginCSRF, ...oauth2Options } = options;
    super({ ...oauth2Options, sessionKey: key, store } as OAuth2Strategy.StrategyOptions, verify as OAuth2Strategy.VerifyFunction);
    hideClientSecret(this._oauth2);
    if (agent !== undefined) this._oauth2.setAgent(agent);
    if (this._pkceMethod && this._stateStore.store.length < 5) {
      // passport-oauth2's 4-, 3- and 2-argument stores have no place for the PKCE verifier: the code could never be
      // exchanged. Said here, rather than as a failed login at the provider.
      throw new TypeError(
        `${config.owner}: PKCE is on, and the state store's store() takes no verifier (fewer than 5 arguments): give a store of the (req, verifier, state, meta, callback) kind, such as CookieStateStore, or say pkce: false`,
      );
    }
    this._appKeepsState = store === undefined;
    this._allowLoginCSRF = insecureAllowLoginCSRF === true;
    this._owner = config.owner;
    this._timeout = config.timeout;
    this._loginTimeout = config.loginTimeout;
    this._provider = config.provider;
    this._verifyForm = config.verifyForm;
    this._tokenConfig = {
      provider: config.provider,
      timeout: config.timeout,
      parseErrorResponse: (body, status) => this.parseErrorResponse(body, status),
      normalizeTokenResponse: config.normalizeTokenResponse,
      // passport-oauth2-refresh calls the exchange on a client of its own, which has no agent: the strategy's is used.
      agent: () => this._agent,
    };
    // The code exchange of every login goes through this method, as in passport-oauth2, so that a test's stub of
    // `strategy._oauth2.getOAuthAccessToken` replaces it; passport-oauth2-refresh copies it onto its own client. It
    // keeps node-oauth's calling convention.
    (this._oauth2 as unknown as { getOAuthAccessToken: unknown }).getOAuthAccessToken = createTokenExchange(this._tokenConfig);
  }

  /**
   * Starts a login (redirect to the provider) or completes one (the callback with `code`). The provider's error
   * redirect ends the login: `access_denied` (the user pressed Cancel) as a Passport failure, anything else as the
   * provider's authorization error. Every other problem reaches Passport's `error` once; nothing is left unhandled.
   */
  override authenticate(request: Request, authenticateOptions?: object): void {
    const req = request as unknown as LoginRequest;
    const options = (authenticateOptions ?? {}) as Record<string, unknown>;
    const callbackError = readCallbackError(req);
    const code = readParam(req, 'code');
    const work = callbackError
      ? this.endWithProviderError(req, options, callbackError)
      : this.checkAuthenticateOptions(options) ?? (code === undefined ? this.startLogin(req, options) : this.finishLogin(req, options, code));
    // What a Passport action throws (an app's custom callback, say) rejects `work` and is reported to `error`; what
    // `error` throws goes to Express (see reportError). The request always ends.
    if (work instanceof Error) reportError(this, req, work);
    else work.catch((error: unknown) => reportError(this, req, toError(error, `${this._provider} login`)));
  }

  /** Redirects to the provider, with the transaction saved in the state store. */
  private async startLogin(req: LoginRequest, options: Record<string, unknown>): Promise<void> {
    const meta = this.stateMeta(req, options);
    const params: Record<string, string> = { ...this.authorizationParams(options) };
    const nonce = this.loginNonce(options);
    if (nonce !== undefined) params['nonce'] = nonce;
    params['response_type'] = 'code';
    if (meta.callbackURL) params['redirect_uri'] = meta.callbackURL;
    const scope = this.loginScope(options);
    if (scope) params['scope'] = scope;
    let verifier: string | undefined;
    if (this._pkceMethod) {
      verifier = randomToken(32);
      params['code_challenge'] = createHash('sha256').update(verifier).digest('base64url');
      params['code_challenge_method'] = 'S256';
    }
    const appState = options['state'];
    if (this._appKeepsState) {
      // With `state: false` and no store, a string state is the app's own CSRF token, sent as it is (passport-oauth2's
      // convention). With a store it is the app's data like any other: kept with the transaction under a random handle
      // and returned as `info.state`, never a way around the state check, the PKCE verifier or the nonce.
      if (nonce !== undefined) {
        throw new TypeError(
          `${this._owner}: this login asks for an id_token (OpenID Connect), and with state: false and no store its nonce has nowhere to be kept, so the id_token could not be checked: turn state on, or give a store (e.g. CookieStateStore)`,
        );
      }
      if (typeof appState === 'string' && appState.length > 0) params['state'] = appState;
    } else {
      if (nonce !== undefined && !storeKeepsState(this._stateStore)) {
        throw new TypeError('The state store does not keep per-login data (its store() takes fewer than 4 arguments), so the OpenID Connect nonce has nowhere to go');
      }
      const handle = await saveTransaction(this._stateStore, req, meta, { verifier, nonce, appState } satisfies LoginTransaction);
      if (handle !== undefined) params['state'] = handle;
    }
    if (params['state'] === undefined && verifier === undefined && !this._allowLoginCSRF) {
      throw new TypeError(
        `${this._owner}: this login has no CSRF protection (no stored state, no PKCE, and no state of the app's own), so an attacker's code could be exchanged in this browser: turn state on (the default), or pkce: true, or pass authenticate(name, { state: token }) and check it at the callback; to run without any, say insecureAllowLoginCSRF: true`,
      );
    }
    this.redirect(authorizeURL(this._oauth2Fields._authorizeUrl, { ...params, client_id: this._oauth2Fields._clientId }));
  }

  /** The callback: state, code exchange, the provider's steps, then the app's verify callback. */
  private async finishLogin(req: LoginRequest, options: Record<string, unknown>, code: string): Promise<void> {
    const meta = this.stateMeta(req, options);
    const callbackState = readParam(req, 'state');
    if (this._appKeepsState && callbackState === undefined && !this._allowLoginCSRF) {
      // No store, no PKCE: the only tie to the browser is the app's own state, and this callback has none.
      this.fail(failure('STATE_MISSING', 'Unable to verify authorization request state.'), 403);
      return;
    }
    const transaction = await loadTransaction(this._stateStore, req, meta, callbackState);
    if (!transaction.ok) {
      this.fail(transaction.challenge as object, 403);
      return;
    }
    if (this._pkceMethod && transaction.verifier === undefined) {
      // PKCE fails closed: a stored login without its verifier (another strategy's, one written with PKCE off) is refused,
      // as passport-oauth2 refuses it, rather than exchanged without the proof.
      this.fail(failure('PKCE_VERIFIER_MISSING', 'Unable to verify authorization request state.'), 403);
      return;
    }
    const budget = new LoginBudget(this._provider, this._timeout, this._loginTimeout);
    const params: Record<string, string> = { ...this.codeExchangeParams(options, callbackState), grant_type: 'authorization_code' };
    if (meta.callbackURL) params['redirect_uri'] = meta.callbackURL;
    if (transaction.verifier !== undefined) params['code_verifier'] = transaction.verifier;
    const tokens = await this.exchangeCode(code, params, budget.nextTimeout());
    const { params: tokenResponse, profile } = await this.completeTokens(tokens, transaction, budget);
    callVerify(
      this._verify,
      this._verifyForm,
      { req, accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, params: tokenResponse, profile },
      (err, user, info) => {
        if (err) return this.error(err as Error);
        if (!user) return this.fail(info as object);
        // As passport-oauth2: a message string reaches Passport as it is (e.g. for `successMessage`), an object gets the
        // app's `state` data, nothing becomes `{}`.
        if (info && typeof info !== 'object') return this.success(user as Express.User, info as object);
        const merged = { ...(info as object | undefined) } as Record<string, unknown>;
        if (transaction.appState !== undefined) merged['state'] = transaction.appState;
        this.success(user as Express.User, merged);
      },
      (thrown) => reportError(this, req, thrown, 'A Passport callback'),
    );
  }

  /**
   * The code exchange, through `this._oauth2.getOAuthAccessToken` as in passport-oauth2 (so an app's stub of it is what
   * runs), with this login's remaining time as the deadline. Whatever the method answers is checked: an error that is
   * not an `Error` (node-oauth's `{ statusCode, data }`) becomes the provider's typed error, as passport-oauth2 makes it.
   */
  private exchangeCode(code: string, params: Record<string, string>, timeout: number): Promise<TokenResult<Params>> {
    const request: Record<string | symbol, unknown> = { ...params };
    // Non-enumerable: a stub that compares its params deeply (sinon's calledWith, say) sees only passport-oauth2's.
    Object.defineProperty(request, TOKEN_REQUEST_TIMEOUT, { value: timeout, enumerable: false });
    const client = this._oauth2 as unknown as { getOAuthAccessToken(code: string, params: object, callback: TokenCallback): void };
    return new Promise<TokenResult<Params>>((resolve, reject) => {
      client.getOAuthAccessToken(code, request, (err, accessToken, refreshToken, results) => {
        const read = readTokenCallback(this._tokenConfig, this._oauth2Fields._accessTokenUrl, err, accessToken, refreshToken, results);
        if (read instanceof Error) reject(read);
        // The one place the token response's JSON meets its provider's type (normalized by `normalizeTokenResponse`).
        else resolve(read as TokenResult<Params>);
      });
    });
  }

  /**
   * Ends a login the provider ended with `?error=`. The login's transaction is consumed first (a cookie store's cookie
   * is cleared), and the provider's text is cleaned before it reaches a message.
   */
  private async endWithProviderError(req: LoginRequest, options: Record<string, unknown>, callbackError: CallbackError): Promise<void> {
    await loadTransaction(this._stateStore, req, this.stateMeta(req, options), readParam(req, 'state')).catch(() => undefined);
    const description = callbackError.description === undefined ? undefined : sanitizeProviderText(callbackError.description);
    if (callbackError.error === 'access_denied') {
      this.fail({ message: description || 'The user denied access.', code: 'ACCESS_DENIED', error: 'access_denied' });
    } else {
      const uri = callbackError.uri === undefined ? undefined : sanitizeProviderText(callbackError.uri);
      this.error(this.createAuthorizationError({ error: sanitizeProviderText(callbackError.error), description, uri }));
    }
  }

  /**
   * The provider's steps between the code exchange and the verify callback. By default: the profile
   * ({@link ProviderStrategy.profileFor}). Kakao adds the id_token check here. Requests take their deadline from `budget`.
   */
  protected async completeTokens(tokens: TokenResult<Params>, _transaction: LoginTransaction, budget: LoginBudget): Promise<LoginResult<Params, Profile>> {
    return { params: tokens.results, profile: await this.profileFor(tokens.accessToken, budget) };
  }

  /**
   * The login's profile, as passport-oauth2 loads it: `undefined` when `skipUserProfile` says so (a boolean, `fn()` or
   * `fn(accessToken, done)`), else from the subclass's own `userProfile` when it overrides it, else the provider's
   * user info fetched within the login's budget.
   */
  protected async profileFor(accessToken: string, budget: LoginBudget): Promise<Profile | undefined> {
    // A boolean (the usual case) is answered at once: no extra promise on every login.
    const skip = this.skipsProfile(accessToken);
    if (typeof skip === 'boolean' ? skip : await skip) return undefined;
    if (this.userProfile === ProviderStrategy.prototype.userProfile) return this.loadProfile(accessToken, budget.nextTimeout());
    return new Promise<Profile | undefined>((resolve, reject) => {
      // A subclass's own userProfile maps the user as it likes: its profile is the app's to type.
      this.userProfile(accessToken, (err, profile) => (err ? reject(err) : resolve(profile as Profile | undefined)));
    });
  }

  private skipsProfile(accessToken: string): boolean | Promise<boolean> {
    const skip = this._skipUserProfile;
    if (typeof skip !== 'function') return skip === true;
    if (skip.length < 2) {
      const answer: unknown = (skip as () => unknown)();
      if (typeof answer !== 'boolean') throw new TypeError('skipUserProfile() must return true or false (an async function answers through (accessToken, done))');
      return answer;
    }
    return new Promise<boolean>((resolve, reject) => {
      skip(accessToken, (err, result) => (err ? reject(err) : resolve(Boolean(result))));
    });
  }

  /** A fresh nonce for this login when it uses OpenID Connect; none by default. */
  protected loginNonce(_options: object): string | undefined {
    return undefined;
  }

  /** The `scope` parameter of this login: the per-request `scope`, else the strategy's, joined with its separator. */
  protected loginScope(options: { scope?: string | string[] | undefined }): string | undefined {
    const scope = options.scope ?? this._scope;
    if (scope === undefined || scope.length === 0) return undefined;
    return Array.isArray(scope) ? scope.join(this._scopeSeparator) : scope;
  }

  /** Extra fields of the code exchange (passport-oauth2's `tokenParams`); Naver adds the callback's `state`. */
  protected codeExchangeParams(options: object, _callbackState: string | undefined): Record<string, string> {
    return { ...this.tokenParams(options) };
  }

  /** Fetches and maps the user's profile (see {@link ProviderStrategy.loadProfile}) for passport-oauth2. */
  override userProfile(accessToken: string, done: (err?: unknown, profile?: object) => void): void {
    settleCallback(this.loadProfile(accessToken, this._timeout), done);
  }

  /** Fetches the provider's user info with the access token and maps it to the normalized profile. */
  protected abstract loadProfile(accessToken: string, timeout: number): Promise<Profile>;

  /** Builds the provider's error for an `?error=` redirect other than `access_denied`. */
  protected abstract createAuthorizationError(error: CallbackError): Error;

  /** Validates per-request options; returns the error to end the request with, if any. */
  protected checkAuthenticateOptions(_options: object): Error | undefined {
    return undefined;
  }

  /** The HTTP agent set through passport-oauth2's `_oauth2.setAgent`, if any. */
  protected get _agent(): Agent | undefined {
    return (this._oauth2 as unknown as { _agent?: Agent })._agent;
  }

  private get _oauth2Fields(): OAuth2Fields {
    return this._oauth2 as unknown as OAuth2Fields;
  }

  /** What the state store is told about this login; `callbackURL` made absolute from the request when relative. */
  private stateMeta(req: LoginRequest, options: Record<string, unknown>): StateStoreMeta {
    let callbackURL = (options['callbackURL'] as string | undefined) ?? this._callbackURL;
    if (callbackURL && !/^[a-z][a-z0-9+.-]*:/i.test(callbackURL)) callbackURL = new URL(callbackURL, requestOrigin(req, this._trustProxy)).toString();
    const client = this._oauth2Fields;
    return { authorizationURL: client._authorizeUrl, tokenURL: client._accessTokenUrl, clientID: client._clientId, callbackURL };
  }

  /**
   * passport-oauth2 wraps token errors in `InternalOAuthError` unless they look like node-oauth's `{ statusCode, data }`;
   * the token exchange here already yields typed errors, so they pass through unchanged.
   * @internal
   */
  protected _createOAuthError(message: string, err: unknown): Error {
    return err instanceof Error ? err : new OAuth2Strategy.InternalOAuthError(message, err);
  }
}

/** A callback parameter from the query (or the form body, for `form_post`), only when it is one plain string. */
function readParam(req: LoginRequest, name: string): string | undefined {
  for (const source of [req.query, req.body]) {
    const value = typeof source === 'object' && source !== null ? (source as Record<string, unknown>)[name] : undefined;
    if (typeof value === 'string' && value.length > 0) return value;
  }
  return undefined;
}

/**
 * The origin the browser used, to resolve a relative `callbackURL`. `X-Forwarded-Proto`/`-Host` count only with the
 * strategy's `proxy` option or Express's `trust proxy`. Works for Express, NestJS and Fastify requests alike (where
 * passport-oauth2's `originalURL` reads `req.connection`, which Fastify requests do not have).
 */
function requestOrigin(req: LoginRequest, trustProxy: boolean | undefined): string {
  const headers = req.headers ?? {};
  const trusted = trustProxy === true || Boolean(req.app?.get?.('trust proxy'));
  const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value)?.split(',')[0]?.trim();
  const forwardedProto = trusted ? first(headers['x-forwarded-proto'])?.toLowerCase() : undefined;
  const tls = (req.socket ?? req.connection)?.encrypted === true || forwardedProto === 'https';
  const host = (trusted ? first(headers['x-forwarded-host']) : undefined) ?? first(headers['host']) ?? 'localhost';
  return `${tls ? 'https' : 'http'}://${host}`;
}

/** The authorize URL with `params` merged into its query, encoded as passport-oauth2 encodes it. */
function authorizeURL(base: string, params: Record<string, string>): string {
  const url = new URL(base);
  const query = { ...Object.fromEntries(url.searchParams), ...params };
  url.search = stringify(query);
  return url.toString();
}
