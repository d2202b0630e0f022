import * as shared from '@passport-korea/internal/testing';
import type { StrategyOutcome } from '@passport-korea/internal/testing';
import { Strategy } from '../src/index.js';
import type { KakaoProfile, KakaoStrategyOptions, KakaoTokenResponse, KakaoVerifyCallback } from '../src/index.js';

export const CLIENT_ID = 'REST_API_KEY_FIXTURE';
export const CLIENT_SECRET = 'CLIENT_SECRET_FIXTURE';
export const CALLBACK_URL = 'https://app.example.com/auth/kakao/callback';
export const ACCESS_TOKEN = 'j6SgR9kzMMk-access-token-fixture';
export const AUTH_CODE = 'AUTH_CODE_FIXTURE';
export const KAUTH = 'https://kauth.kakao.com';
export const KAPI = 'https://kapi.kakao.com';

/** What the verify callback received. */
export interface VerifyCall {
  accessToken: string;
  refreshToken: string;
  params: KakaoTokenResponse;
  profile: KakaoProfile;
}

/** A strategy with a 5-argument verify that records its arguments and logs the profile in as the user. */
export function makeStrategy(options: Partial<KakaoStrategyOptions> = {}) {
  const calls: VerifyCall[] = [];
  const strategy = new Strategy(
    { clientID: CLIENT_ID, clientSecret: CLIENT_SECRET, callbackURL: CALLBACK_URL, ...options },
    (accessToken: string, refreshToken: string, params: KakaoTokenResponse, profile: KakaoProfile, done: KakaoVerifyCallback) => {
      calls.push({ accessToken, refreshToken, params, profile });
      done(null, { id: profile?.id });
    },
  );
  return { strategy, calls };
}

/** Starts a login at `/auth/kakao`. */
export function startLogin(strategy: Strategy, session: Record<string, unknown>, options?: object) {
  return shared.startLogin(strategy, session, options, '/auth/kakao');
}

/** Completes a login with Kakao's redirect back to `/auth/kakao/callback`. */
export function finishLogin(strategy: Strategy, session: Record<string, unknown>, query: Record<string, string>): Promise<StrategyOutcome> {
  return shared.finishLogin(strategy, session, query, '/auth/kakao/callback');
}

/** Runs a whole login with {@link AUTH_CODE}. */
export function login(strategy: Strategy, options?: object): Promise<StrategyOutcome> {
  return shared.login(strategy, AUTH_CODE, options, '/auth/kakao/callback');
}
