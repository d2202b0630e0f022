import * as shared from '@passport-korea/internal/testing';
import type { StrategyOutcome } from '@passport-korea/internal/testing';
import { Strategy } from '../src/index.js';
import type { NaverProfile, NaverStrategyOptions, NaverTokenResponse, NaverVerifyCallback } from '../src/index.js';

export const CLIENT_ID = 'NAVER_CLIENT_ID_FIXTURE';
export const CLIENT_SECRET = 'NAVER_CLIENT_SECRET_FIXTURE';
export const CALLBACK_URL = 'https://app.example.com/auth/naver/callback';
export const ACCESS_TOKEN = 'AAAAQosjWDJieBiQZc3to9YQp6HDLvrmyKC+6+iZ3gq7qrkqf50ljZC+Lgoqrg';
export const REFRESH_TOKEN = 'c8ceMEJisO4Se7uGisHoX0f5JEii7JnipglQipkOn5Zp3tyP7dHQoP0zNKHUq2gY';
export const AUTH_CODE = 'NAVER_AUTH_CODE_FIXTURE';
export const NID = 'https://nid.naver.com';
export const OPENAPI = 'https://openapi.naver.com';

/** What the verify callback received. */
export interface VerifyCall {
  accessToken: string;
  refreshToken: string;
  params: NaverTokenResponse;
  profile: NaverProfile;
}

/** A strategy with a 5-argument verify that records its arguments and logs the profile in as the user. */
export function makeStrategy(options: Partial<NaverStrategyOptions> = {}) {
  const calls: VerifyCall[] = [];
  const strategy = new Strategy(
    { clientID: CLIENT_ID, clientSecret: CLIENT_SECRET, callbackURL: CALLBACK_URL, ...options },
    (accessToken: string, refreshToken: string, params: NaverTokenResponse, profile: NaverProfile, done: NaverVerifyCallback) => {
      calls.push({ accessToken, refreshToken, params, profile });
      done(null, { id: profile?.id });
    },
  );
  return { strategy, calls };
}

/** Starts a login at `/auth/naver`. */
export function startLogin(strategy: Strategy, session: Record<string, unknown>, options?: object) {
  return shared.startLogin(strategy, session, options, '/auth/naver');
}

/** Completes a login with Naver's redirect back to `/auth/naver/callback`. */
export function finishLogin(strategy: Strategy, session: Record<string, unknown>, query: Record<string, string>): Promise<StrategyOutcome> {
  return shared.finishLogin(strategy, session, query, '/auth/naver/callback');
}

/** Runs a whole login with {@link AUTH_CODE}. */
export function login(strategy: Strategy, options?: object): Promise<StrategyOutcome> {
  return shared.login(strategy, AUTH_CODE, options, '/auth/naver/callback');
}
