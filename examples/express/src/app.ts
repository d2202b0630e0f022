import { csrfSync } from 'csrf-sync';
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import session from 'express-session';
import type { Store } from 'express-session';
import passport from 'passport';
import {
  CookieStateStore, KakaoAPIError, KakaoAuthClient, KakaoAuthorizationError, KakaoIdTokenError, KakaoTokenError, Strategy as KakaoStrategy, ProviderRequestError as KakaoRequestError,
} from 'passport-kakao-ts';
import type { KakaoProfile, KakaoTokenResponse, KakaoVerifyCallback } from 'passport-kakao-ts';
import {
  NaverAPIError, NaverAuthClient, NaverAuthorizationError, NaverIdTokenError, NaverTokenError, Strategy as NaverStrategy, ProviderRequestError as NaverRequestError,
} from 'passport-naver-ts';
import type { NaverProfile, NaverTokenResponse, NaverVerifyCallback } from 'passport-naver-ts';
import type { AppConfig } from './config.js';
import { mountTokenRoutes } from './sdk-tokens.js';
import { createMemorySessionStore } from './sessions.js';
import { failurePage, homePage, notFoundPage, profilePage, webhooksPage } from './views.js';
import { WEBHOOK_EVENTS_KEPT, WEBHOOK_PATHS, WebhookEvents, mountWebhooks } from './webhooks.js';
import type { FailureView, ProfileView, ProviderName } from './views.js';

/** The user's tokens. They live in the server-side session store; the cookie holds only the session id. */
export interface SessionTokens {
  accessToken: string;
  refreshToken: string;
  /** ISO time. */
  expiresAt: string;
}

/** What the session keeps of a signed-in user. */
export interface SessionUser extends ProfileView {
  tokens: SessionTokens;
  /** ISO time of the login: a provider's unlink call that arrives later ends this session (see webhooks.ts). */
  signedInAt: string;
}

/** Messages shown on the home page after the session ended; fixed texts, so nothing from the URL is echoed. */
const HOME_NOTICES: Record<string, string> = {
  'kakao-logout': 'Logged out of Kakao: the tokens are revoked (the Kakao browser session stays).',
  'kakao-unlink': 'The app is unlinked from your Kakao account: consent and tokens are gone.',
  'naver-revoke': 'Your Naver tokens are revoked.',
  'unlinked-at-provider': 'You unlinked this app at Kakao or Naver (or deleted your account there), so you are signed out.',
};

function tokensFrom(accessToken: string, refreshToken: string, expiresIn: number | undefined): SessionTokens {
  return { accessToken, refreshToken, expiresAt: new Date(Date.now() + (expiresIn ?? 0) * 1000).toISOString() };
}

declare global {
  namespace Express {
    interface User extends SessionUser {}
  }
}

function withoutRaw(profile: KakaoProfile | NaverProfile): Record<string, unknown> {
  const { _raw: _ignored, _json: _alsoIgnored, ...rest } = profile;
  return rest;
}

/** What `createApp` can be given besides its configuration. */
export interface AppOptions {
  /** Where sessions live (see `createSessionStore`); default: a pruning in-memory store for this app alone. */
  sessionStore?: Store;
  /** Where the webhooks' events are kept (see webhooks.ts); default: a new one. */
  webhookEvents?: WebhookEvents;
  /** Where refused webhook calls and unexpected token-route errors are logged (one line, no secret). Default `console.warn`. */
  log?: (line: string) => void;
}

/** The form field (or `x-csrf-token` header) that carries the CSRF token on every POST. */
export const CSRF_FIELD = '_csrf';

/**
 * The synchronizer-token pattern (csrf-sync): a random token kept in the session, put in every form, and required on
 * every POST. A cross-site form post carries the session cookie (Lax lets top-level POSTs through from some browsers
 * and same-site subdomains) but cannot read the token.
 */
const csrf = csrfSync({
  getTokenFromRequest: (req) => {
    const body: unknown = req.body;
    const field = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[CSRF_FIELD] : undefined;
    if (typeof field === 'string') return field;
    const header = req.headers['x-csrf-token'];
    return typeof header === 'string' ? header : undefined;
  },
  size: 32,
});

/** Creates the app: sessions, Passport with both strategies, pages. Listening is the caller's job (see server.ts). */
export function createApp(config: AppConfig, options: AppOptions = {}): express.Express {
  const authenticator = new passport.Passport();
  const log = options.log ?? console.warn;
  const events = options.webhookEvents ?? new WebhookEvents();
  // LOGIN_STATE=cookie: the login's state, PKCE verifier and nonce in a sealed cookie instead of the session, so any
  // instance holding the same secret finishes a login another one started, with no shared session store. One store
  // serves both strategies (each login's cookie is bound to its provider and callback).
  const store = config.loginState.kind === 'cookie' ? new CookieStateStore({ secret: config.loginState.secret }) : undefined;
  // Behind a TLS-terminating proxy the callback URL never comes from the Host header: it is built from the public origin.
  const callbackURL = (provider: ProviderName) =>
    config.publicOrigin ? `${config.publicOrigin}/auth/${provider}/callback` : `/auth/${provider}/callback`;

  if (config.kakao.mode !== 'off') authenticator.use(
    new KakaoStrategy(
      {
        clientID: config.kakao.clientID,
        clientSecret: config.kakao.clientSecret,
        baseURL: config.kakao.baseURL,
        timeout: config.providerTimeoutMs,
        // Without PUBLIC_ORIGIN, relative: resolved against the host the browser used (development only).
        callbackURL: callbackURL('kakao'),
        // KAKAO_OIDC=1: an id_token with every login, verified with Kakao's JWKS (cached, never fetched per login).
        oidc: config.kakaoApp.oidc,
        store,
      },
      (_accessToken: string, _refreshToken: string, params: KakaoTokenResponse, profile: KakaoProfile, done: KakaoVerifyCallback) => {
        done(null, {
          provider: 'kakao',
          id: profile.id,
          displayName: profile.displayName,
          photo: profile.photos?.find((photo) => photo.type === 'thumbnail')?.value ?? profile.photos?.[0]?.value,
          profile: withoutRaw(profile),
          raw: profile._json,
          scopes: params.scope ? params.scope.split(' ') : [],
          tokens: tokensFrom(_accessToken, _refreshToken, params.expires_in),
          signedInAt: new Date().toISOString(),
        });
      },
    ),
  );
  if (config.naver.mode !== 'off') authenticator.use(
    new NaverStrategy(
      {
        clientID: config.naver.clientID,
        clientSecret: config.naver.clientSecret ?? '',
        baseURL: config.naver.baseURL,
        timeout: config.providerTimeoutMs,
        callbackURL: callbackURL('naver'),
        // NAVER_OIDC=1: Naver's OpenID Connect endpoints, PKCE, and an id_token verified with Naver's JWKS.
        oidc: config.naverOidc,
        store,
      },
      (_accessToken: string, _refreshToken: string, params: NaverTokenResponse, profile: NaverProfile, done: NaverVerifyCallback) => {
        done(null, {
          provider: 'naver',
          id: profile.id,
          displayName: profile.displayName,
          photo: profile.photos?.[0]?.value,
          profile: withoutRaw(profile),
          raw: profile._json,
          scopes: undefined,
          tokens: tokensFrom(_accessToken, _refreshToken, params.expires_in),
          signedInAt: new Date().toISOString(),
        });
      },
    ),
  );
  // The token lifecycle clients take the strategies' options as they are.
  const kakaoClient = config.kakao.mode === 'off' ? undefined
    : new KakaoAuthClient({ clientID: config.kakao.clientID, clientSecret: config.kakao.clientSecret, baseURL: config.kakao.baseURL, timeout: config.providerTimeoutMs });
  const naverClient = config.naver.mode === 'off' ? undefined
    : new NaverAuthClient({
      clientID: config.naver.clientID, clientSecret: config.naver.clientSecret ?? '', baseURL: config.naver.baseURL, timeout: config.providerTimeoutMs,
      // Tokens from Naver's OpenID Connect login are refreshed where they came from, /oauth2/token.
      oidc: config.naverOidc,
    });
  const enabled = (['kakao', 'naver'] as const).filter((provider) => config[provider].mode !== 'off');

  authenticator.serializeUser((user, done) => done(null, user));
  authenticator.deserializeUser((user: Express.User, done) => done(null, user));

  const app = express();
  app.disable('x-powered-by');
  // Which proxies' X-Forwarded-Proto/-For to believe: with it, req.secure is true behind a TLS-terminating proxy, and
  // express-session sends the Secure cookie. Without it, a Secure cookie is never sent over the proxy's plain HTTP.
  app.set('trust proxy', config.trustProxy);
  // Server-to-server calls and bearer-token routes first: no session, no body parser, no CSRF token (see each file).
  const webhooks = mountWebhooks(app, config, events, log);
  mountTokenRoutes(app, authenticator, config, log);
  app.use(
    session({
      name: 'sid',
      secret: config.session.secret,
      store: options.sessionStore ?? createMemorySessionStore(config.session).store,
      resave: false,
      saveUninitialized: false,
      // Rolling: every response renews the cookie and the store's expiry, so a session ends after maxAge of
      // inactivity (an abandoned login after maxAge, an active user is not signed out mid-work).
      rolling: true,
      cookie: { httpOnly: true, sameSite: 'lax', secure: config.secureCookies, maxAge: config.session.maxAgeMs },
    }),
  );
  app.use(authenticator.session());
  // A user who unlinked the app at the provider after signing in here is signed out on their next request.
  app.use((req, res, next) => {
    // A session from before signedInAt was kept counts as signed in at 0: any unlink on record ends it.
    if (!req.user || !events.unlinkedSince(req.user.provider, req.user.id, Date.parse(req.user.signedInAt) || 0)) return next();
    req.logout((error) => {
      if (error) return next(error);
      req.session.destroy(() => res.clearCookie('sid').redirect('/?notice=unlinked-at-provider'));
    });
  });
  app.use(express.urlencoded({ extended: false, limit: '4kb' }));
  // Every POST below needs the session's CSRF token; GET, HEAD and OPTIONS change nothing and pass.
  app.use(csrf.csrfSynchronisedProtection);

  app.get('/', (req, res) => {
    const key = req.query['notice'];
    // Own keys only: `constructor` or `__proto__` must not reach the page.
    const notice = typeof key === 'string' && Object.hasOwn(HOME_NOTICES, key) ? HOME_NOTICES[key] : undefined;
    res.type('html').send(homePage({ kakao: config.kakao.mode, naver: config.naver.mode }, req.user?.displayName || req.user?.id, notice, config.webhookEventsPage));
  });

  // Other users' ids: shown outside production only (a real app would put this behind its admin login).
  if (config.webhookEventsPage) {
    app.get('/webhooks', (_req, res) => {
      const urls = { kakao: webhooks.kakao ? WEBHOOK_PATHS.kakao : undefined, naver: webhooks.naver ? WEBHOOK_PATHS.naver : undefined };
      const emulatorURL = config.kakao.mode === 'emulator' ? config.kakao.baseURL : config.naver.mode === 'emulator' ? config.naver.baseURL : undefined;
      res.set('Cache-Control', 'no-store').type('html').send(webhooksPage(events.list(), urls, WEBHOOK_EVENTS_KEPT, emulatorURL));
    });
  }

  for (const provider of enabled) {
    app.get(`/auth/${provider}`, authenticator.authenticate(provider));
    app.get(`/auth/${provider}/callback`, (req, res, next) => {
      authenticator.authenticate(provider, (error: unknown, user: Express.User | false | undefined, info: unknown) => {
        if (error) return next(error);
        if (!user) {
          // The failure's code only, never its message: a Cancel's description is the provider's (or a forger's) text.
          (req.session as typeof req.session & { loginFailure?: LoginFailure }).loginFailure = loginFailureOf(info);
          return res.redirect(`/login/failed?provider=${provider}`);
        }
        // Passport regenerates the session on login (no session fixation) and keeps only the session id in the cookie.
        req.logIn(user, (loginError) => (loginError ? next(loginError) : res.redirect('/profile')));
      })(req, res, next);
    });
  }

  app.get('/profile', (req, res) => {
    if (!req.user) return res.redirect('/');
    const sessionData = req.session as typeof req.session & { notice?: string };
    const notice = sessionData.notice;
    delete sessionData.notice;
    res.type('html').send(profilePage(req.user, notice, new Date(req.user.tokens.expiresAt), csrf.generateToken(req)));
  });

  /** Runs a token action for the signed-in user; provider errors go to the failure page. */
  const tokenAction = (action: (user: Express.User, req: Request, res: Response, next: NextFunction) => Promise<void>) =>
    (req: Request, res: Response, next: NextFunction) => {
      if (!req.user) {
        res.redirect('/');
        return;
      }
      action(req.user, req, res, next).catch(next);
    };
  /** Shows `notice` once on the profile page. */
  const backToProfile = (req: Request, res: Response, notice: string) => {
    (req.session as typeof req.session & { notice?: string }).notice = notice;
    res.redirect('/profile');
  };
  /** Ends the app session too, then shows a fixed notice on the home page. */
  const endSession = (req: Request, res: Response, next: NextFunction, notice: string) => {
    req.logout((error) => {
      if (error) return next(error);
      req.session.destroy(() => res.clearCookie('sid').redirect(`/?notice=${notice}`));
    });
  };

  const kakaoFor = (): KakaoAuthClient => {
    if (!kakaoClient) throw new Error('Kakao is not configured');
    return kakaoClient;
  };
  const naverFor = (): NaverAuthClient => {
    if (!naverClient) throw new Error('Naver is not configured');
    return naverClient;
  };

  app.post('/account/refresh', tokenAction(async (user, req, res) => {
    const result = user.provider === 'kakao' ? await kakaoFor().refresh(user.tokens.refreshToken) : await naverFor().refresh(user.tokens.refreshToken);
    // Keep the refresh token the client returns: Kakao's new one when it rotated it, otherwise the old one.
    user.tokens = tokensFrom(result.accessToken, result.refreshToken, result.expiresIn);
    const rotated = 'refreshTokenRotated' in result && result.refreshTokenRotated ? 'a new refresh token' : 'the same refresh token';
    backToProfile(req, res, `Refreshed: a new access token for ${result.expiresIn} s, with ${rotated}.`);
  }));

  app.post('/account/token-info', tokenAction(async (user, req, res) => {
    if (user.provider === 'kakao') {
      const info = await kakaoFor().tokenInfo(user.tokens.accessToken);
      backToProfile(req, res, `Kakao token info: user ${info.id}, app ${info.appId}, ${info.expiresIn} s left.`);
    } else {
      const check = await naverFor().verify(user.tokens.accessToken, { info: true });
      backToProfile(req, res, `Naver token check: valid until ${check.expireDate}; allowed: ${(check.allowedProfile ?? []).join(', ')}.`);
    }
  }));

  app.post('/account/provider-logout', tokenAction(async (user, req, res, next) => {
    if (user.provider !== 'kakao') return backToProfile(req, res, 'Naver has no logout API; use Revoke tokens.');
    await kakaoFor().logout(user.tokens.accessToken);
    endSession(req, res, next, 'kakao-logout');
  }));

  app.post('/account/unlink', tokenAction(async (user, req, res, next) => {
    if (user.provider !== 'kakao') return backToProfile(req, res, 'Unlink is Kakao\'s; for Naver use Revoke tokens.');
    await kakaoFor().unlink(user.tokens.accessToken);
    endSession(req, res, next, 'kakao-unlink');
  }));

  app.post('/account/revoke', tokenAction(async (user, req, res, next) => {
    if (user.provider !== 'naver') return backToProfile(req, res, 'Revoke is Naver\'s; for Kakao use Unlink or Log out of Kakao.');
    await naverFor().revoke(user.tokens.accessToken);
    endSession(req, res, next, 'naver-revoke');
  }));

  app.post('/logout', (req, res, next) => {
    req.logout((error) => {
      if (error) return next(error);
      req.session.destroy(() => res.clearCookie('sid').redirect('/'));
    });
  });

  app.get('/login/failed', (req, res) => {
    const provider = req.query['provider'] === 'kakao' || req.query['provider'] === 'naver' ? req.query['provider'] : undefined;
    const sessionData = req.session as typeof req.session & { loginFailure?: LoginFailure };
    const failure = sessionData.loginFailure;
    delete sessionData.loginFailure;
    res.status(401).type('html').send(failurePage(describeFailure(provider, failure)));
  });

  app.use((_req, res) => {
    res.status(404).type('html').send(notFoundPage());
  });

  // Provider errors end here: a page that says what happened, never a stack trace.
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (error === csrf.invalidCsrfTokenError) {
      res.status(403).type('html').send(failurePage({
        provider: undefined,
        title: 'This request was refused',
        what: 'The form was not sent from this app\'s current page (it was open too long, or another site sent it).',
        tryThis: 'Go back, reload the page and press the button again.',
        code: 'csrf_token_invalid',
      }));
      return;
    }
    const clientStatus = clientErrorStatus(error);
    if (clientStatus !== undefined) {
      // A body too large, a charset or encoding this app does not read: the client's mistake, said as such.
      res.status(clientStatus).type('html').send(failurePage({
        provider: undefined,
        title: 'This request was refused',
        what: 'The request was too large, or not in a form this app reads.',
        tryThis: 'Go back, reload the page and try again.',
        code: String(clientStatus),
      }));
      return;
    }
    const provider = (/^\/auth\/(kakao|naver)/.exec(req.path)?.[1] as ProviderName | undefined) ?? req.user?.provider;
    const fromProvider = isProviderError(error);
    if (!fromProvider) console.error(error instanceof Error ? `${error.name}: ${error.message}` : 'Unexpected error');
    res.status(fromProvider ? 502 : 500).type('html').send(failurePage(describeError(provider, error)));
  });

  return app;
}

/** Why a login ended as a Passport failure, as the failure page tells it. */
type LoginFailure = 'access_denied' | 'state_mismatch' | 'state_expired' | 'other';

/**
 * The kind of a Passport failure, from the challenge's stable fields: `error: 'access_denied'` (Cancel, or a Naver
 * `autologin` that could not log in) and the state store's `code` (`STATE_*`). Never from its text.
 */
function loginFailureOf(info: unknown): LoginFailure {
  const challenge = typeof info === 'object' && info !== null ? (info as { code?: unknown; error?: unknown }) : {};
  if (challenge.code === 'STATE_EXPIRED') return 'state_expired';
  if (typeof challenge.code === 'string' && (challenge.code.startsWith('STATE_') || challenge.code === 'PKCE_VERIFIER_MISSING')) return 'state_mismatch';
  if (challenge.error === 'access_denied') return 'access_denied';
  return 'other';
}

/** A Passport failure (the user cancelled, or the state did not match or expired), explained in fixed texts. */
function describeFailure(provider: ProviderName | undefined, failure: LoginFailure | undefined): FailureView {
  switch (failure) {
    case 'state_mismatch':
      return {
        provider,
        what: 'The login could not be matched to this browser session (it expired, or was opened in another tab or browser).',
        tryThis: 'Start the login again from this page.',
        code: 'state_mismatch',
      };
    case 'state_expired':
      return { provider, what: 'The login took too long to come back.', tryThis: 'Start the login again from this page.', code: 'state_expired' };
    case 'access_denied':
      return {
        provider,
        what: 'You cancelled the login, or did not agree to share your profile.',
        tryThis: 'Press the login button again and choose Agree on the consent screen.',
        code: 'access_denied',
      };
    default:
      return { provider, what: 'The login was not completed.', tryThis: 'Start again from the login page.', code: undefined };
  }
}

/** The status of a client error Express's body parsers raise (413, 415, 400), when `error` is one. */
function clientErrorStatus(error: unknown): number | undefined {
  const { status, expose } = (typeof error === 'object' && error !== null ? error : {}) as { status?: unknown; expose?: unknown };
  return expose === true && typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}

/** An error of the providers or of the strategies' checks: expected outcomes, explained on the page and not logged. */
function isProviderError(error: unknown): boolean {
  return [KakaoRequestError, NaverRequestError, KakaoTokenError, NaverTokenError, KakaoAPIError, NaverAPIError,
    KakaoAuthorizationError, NaverAuthorizationError, KakaoIdTokenError, NaverIdTokenError].some((type) => error instanceof type);
}

/** The `error` values of RFC 6749 §4.1.2.1 and OpenID Connect Core §3.1.2.6: the only ones a failure page repeats. */
const OAUTH_ERROR_CODES: ReadonlySet<string> = new Set([
  'invalid_request', 'unauthorized_client', 'access_denied', 'unsupported_response_type', 'invalid_scope', 'server_error',
  'temporarily_unavailable', 'interaction_required', 'login_required', 'account_selection_required', 'consent_required',
  'invalid_request_uri', 'invalid_request_object', 'request_not_supported', 'request_uri_not_supported', 'registration_not_supported',
]);

/** An error from a provider, explained. */
function describeError(provider: ProviderName | undefined, error: unknown): FailureView {
  if (error instanceof KakaoTokenError || error instanceof NaverTokenError) {
    const kakaoCode = error instanceof KakaoTokenError ? error.errorCode : undefined;
    const reused = kakaoCode === 'KOE320' || error.errorDescription === 'no valid data in session';
    const misconfigured = kakaoCode === 'KOE010' || kakaoCode === 'KOE101' || kakaoCode === 'KOE303' || error.error === 'unauthorized_client';
    return {
      provider,
      what: reused
        ? 'This login link was already used or has expired (refreshing the callback page does this).'
        : misconfigured
          ? 'The provider refused this app\'s credentials or redirect URI.'
          : `The provider refused to issue a token (${error.error}).`,
      tryThis: misconfigured ? 'Check the client ID, client secret and the registered callback URL (see .env.example).' : 'Start the login again.',
      code: kakaoCode ?? error.error,
    };
  }
  if (error instanceof KakaoAuthorizationError || error instanceof NaverAuthorizationError) {
    // The provider ended the login with ?error= (e.g. consent_required, login_required after prompt=none).
    // The code comes from the callback URL, which anyone can write: only the codes OAuth and OpenID Connect define are
    // shown, anything else as `provider_error`.
    return { provider, what: 'The provider did not complete the login.', tryThis: 'Start the login again.', code: OAUTH_ERROR_CODES.has(error.error) ? error.error : 'provider_error' };
  }
  if (error instanceof KakaoIdTokenError || error instanceof NaverIdTokenError) {
    return { provider, what: 'The provider\'s identity token did not pass this app\'s checks.', tryThis: 'Start the login again.', code: error.code };
  }
  if (error instanceof KakaoAPIError || error instanceof NaverAPIError) {
    return { provider, what: 'The provider did not accept the new access token when reading your profile.', tryThis: 'Start the login again.', code: error instanceof KakaoAPIError ? String(error.apiCode) : error.resultcode };
  }
  if (error instanceof KakaoRequestError || error instanceof NaverRequestError) {
    return {
      provider,
      what: error.code === 'TIMEOUT' ? 'The provider did not answer in time.' : error.code === 'NETWORK_ERROR' ? 'The provider could not be reached.' : 'The provider sent an answer this app could not read.',
      tryThis: 'Wait a moment and try again.',
      code: error.code,
    };
  }
  return { provider, what: 'Something went wrong on our side.', tryThis: 'Try again; if it keeps happening, check the server log.', code: undefined };
}
