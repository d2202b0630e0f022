/**
 * Sign-in with a token from the Kakao or Naver SDK (issue 15; docs/providers/kakao.md A10): a native or JavaScript client
 * logs in with the provider's SDK and sends the access token here as `Authorization: Bearer …`. The answer is JSON:
 * who the token belongs to, never the token.
 *
 * No session and no CSRF token: a bearer token is not an ambient credential (a browser never attaches it to a
 * cross-site request by itself, unlike a cookie), so a forged cross-site request cannot carry one. These routes are
 * mounted before the session and CSRF middleware and set no cookie; a real app would answer with its own token (or
 * open a session deliberately) here.
 */
import type express from 'express';
import type { NextFunction, Request, Response } from 'express';
import type passport from 'passport';
import { KakaoAPIError, KakaoIdTokenError, KakaoTokenStrategy, ProviderRequestError as KakaoRequestError } from 'passport-kakao-ts';
import type { KakaoProfile, KakaoTokenCredentials, KakaoVerifyCallback } from 'passport-kakao-ts';
import { NaverAPIError, NaverTokenStrategy, ProviderRequestError as NaverRequestError } from 'passport-naver-ts';
import type { NaverProfile, NaverTokenCredentials, NaverVerifyCallback } from 'passport-naver-ts';
import type { AppConfig } from './config.js';
import type { ProviderName } from './views.js';

/** The token routes' answer on success. */
export interface TokenSignIn {
  provider: ProviderName;
  /** The provider's user id for this app: the key to look the user up by (for Naver, the only safe one). */
  id: string;
  displayName: string;
}

/** The answer on a refusal: the strategy's failure code (`MISSING_TOKEN`, `TOKEN_OF_ANOTHER_APP`, …) and message. */
export interface TokenRefusal {
  error: string;
  message: string;
}

export const TOKEN_PATHS = { kakao: '/auth/kakao/token', naver: '/auth/naver/token' } as const;

/**
 * Passport's types know one user type, the session's; these routes never open a session, and their user is a
 * {@link TokenSignIn}. The one cast of this file says so.
 */
const asUser = (user: TokenSignIn): Express.User => user as unknown as Express.User;

/** What {@link mountTokenRoutes} mounted. */
export interface MountedTokenRoutes {
  kakao: boolean;
  naver: boolean;
}

/** Which token routes `config` turns on: Kakao's needs the app id (without it, it could not refuse another app's token, A10). */
export function tokenRoutesEnabled(config: AppConfig): MountedTokenRoutes {
  return { kakao: config.kakao.mode !== 'off' && config.kakaoApp.appId !== undefined, naver: config.naver.mode !== 'off' };
}

/** Registers `kakao-token` and `naver-token` on `authenticator` and mounts their routes; call before the session middleware. */
export function mountTokenRoutes(app: express.Express, authenticator: InstanceType<typeof passport.Passport>, config: AppConfig, log: (line: string) => void): MountedTokenRoutes {
  const { appId } = config.kakaoApp;
  const enabled = tokenRoutesEnabled(config);
  if (enabled.kakao && appId !== undefined) {
    authenticator.use(new KakaoTokenStrategy(
      { appId, baseURL: config.kakao.baseURL, timeout: config.providerTimeoutMs, tokenFrom: 'header' },
      (_credentials: KakaoTokenCredentials, profile: KakaoProfile, done: KakaoVerifyCallback) =>
        done(null, asUser({ provider: 'kakao', id: profile.id, displayName: profile.displayName })),
    ));
    app.post(TOKEN_PATHS.kakao, tokenRoute(authenticator, 'kakao-token', log));
  }
  if (enabled.naver) {
    // Naver cannot say which app a token was issued to; its ids are per app, so another app's token yields an id this
    // app never stored. Look users up by this id only (never by email or phone from the profile).
    authenticator.use(new NaverTokenStrategy(
      { baseURL: config.naver.baseURL, timeout: config.providerTimeoutMs, tokenFrom: 'header' },
      (_credentials: NaverTokenCredentials, profile: NaverProfile, done: NaverVerifyCallback) =>
        done(null, asUser({ provider: 'naver', id: profile.id, displayName: profile.displayName })),
    ));
    app.post(TOKEN_PATHS.naver, tokenRoute(authenticator, 'naver-token', log));
  }
  return enabled;
}

/** The route: 200 with the user, 400/401 with the failure code, 502 when the provider could not be asked. */
function tokenRoute(authenticator: InstanceType<typeof passport.Passport>, strategy: 'kakao-token' | 'naver-token', log: (line: string) => void) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const callback = (error: unknown, user: Express.User | false, info: { code?: unknown; message?: unknown } | undefined, status: number | undefined) => {
      res.set('Cache-Control', 'no-store');
      if (error) {
        const known = error instanceof KakaoRequestError || error instanceof NaverRequestError || error instanceof KakaoAPIError ||
          error instanceof NaverAPIError || error instanceof KakaoIdTokenError;
        if (!known) log(error instanceof Error ? `${strategy}: ${error.name}` : `${strategy}: unexpected error`);
        res.status(known ? 502 : 500).json({ error: known ? 'provider_unavailable' : 'internal_error', message: 'The provider could not check the token; try again.' });
        return;
      }
      if (!user) {
        const refusal: TokenRefusal = {
          error: typeof info?.code === 'string' ? info.code : 'UNAUTHORIZED',
          message: typeof info?.message === 'string' ? info.message : 'The token was refused.',
        };
        res.status(status === 400 ? 400 : 401).json(refusal);
        return;
      }
      const { provider, id, displayName } = user as unknown as TokenSignIn;
      res.json({ provider, id, displayName } satisfies TokenSignIn);
    };
    authenticator.authenticate(strategy, { session: false }, callback)(req, res, next);
  };
}
