import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import session from 'express-session';
import passport from 'passport';
import { KakaoAPIError, KakaoAuthClient, KakaoTokenError, Strategy as KakaoStrategy, ProviderRequestError as KakaoRequestError } from 'passport-kakao-ts';
import type { KakaoProfile, KakaoTokenResponse, KakaoVerifyCallback } from 'passport-kakao-ts';
import { NaverAPIError, NaverAuthClient, NaverTokenError, Strategy as NaverStrategy, ProviderRequestError as NaverRequestError } from 'passport-naver-ts';
import type { NaverProfile, NaverTokenResponse, NaverVerifyCallback } from 'passport-naver-ts';
import type { AppConfig } from './config.js';
import { failurePage, homePage, notFoundPage, profilePage } from './views.js';
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
}

/** Messages shown on the home page after the session ended; fixed texts, so nothing from the URL is echoed. */
const HOME_NOTICES: Record<string, string> = {
  'kakao-logout': 'Logged out of Kakao: the tokens are revoked (the Kakao browser session stays).',
  'kakao-unlink': 'The app is unlinked from your Kakao account: consent and tokens are gone.',
  'naver-revoke': 'Your Naver tokens are revoked.',
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

/** Creates the app: sessions, Passport with both strategies, pages. Listening is the caller's job (see server.ts). */
export function createApp(config: AppConfig): express.Express {
  const authenticator = new passport.Passport();

  authenticator.use(
    new KakaoStrategy(
      {
        clientID: config.kakao.clientID,
        clientSecret: config.kakao.clientSecret,
        baseURL: config.kakao.baseURL,
        timeout: config.providerTimeoutMs,
        // Relative: resolved against the host the browser used, so the session cookie comes back with the callback.
        callbackURL: '/auth/kakao/callback',
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
        });
      },
    ),
  );
  authenticator.use(
    new NaverStrategy(
      {
        clientID: config.naver.clientID,
        clientSecret: config.naver.clientSecret ?? '',
        baseURL: config.naver.baseURL,
        timeout: config.providerTimeoutMs,
        callbackURL: '/auth/naver/callback',
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
        });
      },
    ),
  );
  // The token lifecycle clients take the strategies' options as they are.
  const kakao = new KakaoAuthClient({ clientID: config.kakao.clientID, clientSecret: config.kakao.clientSecret, baseURL: config.kakao.baseURL, timeout: config.providerTimeoutMs });
  const naver = new NaverAuthClient({ clientID: config.naver.clientID, clientSecret: config.naver.clientSecret ?? '', baseURL: config.naver.baseURL, timeout: config.providerTimeoutMs });

  authenticator.serializeUser((user, done) => done(null, user));
  authenticator.deserializeUser((user: Express.User, done) => done(null, user));

  const app = express();
  app.disable('x-powered-by');
  app.use(
    session({
      name: 'sid',
      secret: config.sessionSecret,
      resave: false,
      saveUninitialized: false,
      // The default MemoryStore keeps sessions in this process: fine for an example, not for production.
      cookie: { httpOnly: true, sameSite: 'lax', secure: config.secureCookies },
    }),
  );
  app.use(authenticator.session());

  app.get('/', (req, res) => {
    const notice = typeof req.query['notice'] === 'string' ? HOME_NOTICES[req.query['notice']] : undefined;
    res.type('html').send(homePage({ kakao: config.kakao.mode, naver: config.naver.mode }, req.user?.displayName || req.user?.id, notice));
  });

  for (const provider of ['kakao', 'naver'] as const) {
    app.get(`/auth/${provider}`, authenticator.authenticate(provider));
    app.get(
      `/auth/${provider}/callback`,
      // Passport regenerates the session on login (no session fixation) and keeps only the session id in the cookie.
      authenticator.authenticate(provider, { failureRedirect: `/login/failed?provider=${provider}`, failureMessage: true }),
      (_req, res) => res.redirect('/profile'),
    );
  }

  app.get('/profile', (req, res) => {
    if (!req.user) return res.redirect('/');
    const sessionData = req.session as typeof req.session & { notice?: string };
    const notice = sessionData.notice;
    delete sessionData.notice;
    res.type('html').send(profilePage(req.user, notice, new Date(req.user.tokens.expiresAt)));
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

  app.post('/account/refresh', tokenAction(async (user, req, res) => {
    const result = user.provider === 'kakao' ? await kakao.refresh(user.tokens.refreshToken) : await naver.refresh(user.tokens.refreshToken);
    // Keep the refresh token the client returns: Kakao's new one when it rotated it, otherwise the old one.
    user.tokens = tokensFrom(result.accessToken, result.refreshToken, result.expiresIn);
    const rotated = 'refreshTokenRotated' in result && result.refreshTokenRotated ? 'a new refresh token' : 'the same refresh token';
    backToProfile(req, res, `Refreshed: a new access token for ${result.expiresIn} s, with ${rotated}.`);
  }));

  app.post('/account/token-info', tokenAction(async (user, req, res) => {
    if (user.provider === 'kakao') {
      const info = await kakao.tokenInfo(user.tokens.accessToken);
      backToProfile(req, res, `Kakao token info: user ${info.id}, app ${info.appId}, ${info.expiresIn} s left.`);
    } else {
      const check = await naver.verify(user.tokens.accessToken, { info: true });
      backToProfile(req, res, `Naver token check: valid until ${check.expireDate}; allowed: ${(check.allowedProfile ?? []).join(', ')}.`);
    }
  }));

  app.post('/account/provider-logout', tokenAction(async (user, req, res, next) => {
    if (user.provider !== 'kakao') return backToProfile(req, res, 'Naver has no logout API; use Revoke tokens.');
    await kakao.logout(user.tokens.accessToken);
    endSession(req, res, next, 'kakao-logout');
  }));

  app.post('/account/unlink', tokenAction(async (user, req, res, next) => {
    if (user.provider !== 'kakao') return backToProfile(req, res, 'Unlink is Kakao\'s; for Naver use Revoke tokens.');
    await kakao.unlink(user.tokens.accessToken);
    endSession(req, res, next, 'kakao-unlink');
  }));

  app.post('/account/revoke', tokenAction(async (user, req, res, next) => {
    if (user.provider !== 'naver') return backToProfile(req, res, 'Revoke is Naver\'s; for Kakao use Unlink or Log out of Kakao.');
    await naver.revoke(user.tokens.accessToken);
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
    const sessionData = req.session as typeof req.session & { messages?: string[] };
    const message = sessionData.messages?.at(-1);
    delete sessionData.messages;
    res.status(401).type('html').send(failurePage(describeFailure(provider, message)));
  });

  app.use((_req, res) => {
    res.status(404).type('html').send(notFoundPage());
  });

  // Provider errors end here: a page that says what happened, never a stack trace.
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const provider = (/^\/auth\/(kakao|naver)/.exec(req.path)?.[1] as ProviderName | undefined) ?? req.user?.provider;
    if (!(error instanceof KakaoRequestError || error instanceof NaverRequestError || error instanceof KakaoTokenError ||
      error instanceof NaverTokenError || error instanceof KakaoAPIError || error instanceof NaverAPIError)) {
      console.error(error instanceof Error ? `${error.name}: ${error.message}` : 'Unexpected error');
    }
    res.status(502).type('html').send(failurePage(describeError(provider, error)));
  });

  return app;
}

/** A Passport failure (the user cancelled, or the state did not match). */
function describeFailure(provider: ProviderName | undefined, message: string | undefined): FailureView {
  if (message === undefined) {
    return { provider, what: 'The login was not completed.', tryThis: 'Start again from the login page.', code: undefined };
  }
  if (/state/i.test(message)) {
    return {
      provider,
      what: 'The login could not be matched to this browser session (it expired, or was opened in another tab or browser).',
      tryThis: 'Start the login again from this page.',
      code: 'state_mismatch',
    };
  }
  return {
    provider,
    what: `You cancelled the login, or did not agree to share your profile (${message}).`,
    tryThis: 'Press the login button again and choose Agree on the consent screen.',
    code: 'access_denied',
  };
}

/** An error from a provider, explained. */
function describeError(provider: ProviderName | undefined, error: unknown): FailureView {
  if (error instanceof KakaoTokenError || error instanceof NaverTokenError) {
    const kakaoCode = error instanceof KakaoTokenError ? error.errorCode : undefined;
    const reused = kakaoCode === 'KOE320' || error.errorDescription === 'no valid data in session';
    const misconfigured = kakaoCode === 'KOE010' || kakaoCode === 'KOE101' || kakaoCode === 'KOE303' || error.code === 'unauthorized_client';
    return {
      provider,
      what: reused
        ? 'This login link was already used or has expired (refreshing the callback page does this).'
        : misconfigured
          ? 'The provider refused this app\'s credentials or redirect URI.'
          : `The provider refused to issue a token (${error.code}).`,
      tryThis: misconfigured ? 'Check the client ID, client secret and the registered callback URL (see .env.example).' : 'Start the login again.',
      code: kakaoCode ?? error.code,
    };
  }
  if (error instanceof KakaoAPIError || error instanceof NaverAPIError) {
    return { provider, what: 'The provider did not accept the new access token when reading your profile.', tryThis: 'Start the login again.', code: String(error.code) };
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
