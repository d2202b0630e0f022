import { expectOutcome, fakeRequest, runStrategy } from '@passport-korea/internal/testing';
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

/** Starts a login: returns Kakao's authorize URL and the state stored in `session`. */
export async function startLogin(strategy: Strategy, session: Record<string, unknown>, options?: object) {
  const outcome = expectOutcome(await runStrategy(strategy, fakeRequest('/auth/kakao', session), options), 'redirect');
  const url = new URL(outcome.url);
  return { url, state: url.searchParams.get('state') ?? undefined, location: outcome.url };
}

/** Completes a login with Kakao's redirect back (`code` and the stored state). */
export function finishLogin(strategy: Strategy, session: Record<string, unknown>, query: Record<string, string>): Promise<StrategyOutcome> {
  return runStrategy(strategy, fakeRequest(`/auth/kakao/callback?${new URLSearchParams(query)}`, session));
}

/** Runs a whole login (authorize, then callback with a code) and returns the callback's outcome. */
export async function login(strategy: Strategy, options?: object): Promise<StrategyOutcome> {
  const session: Record<string, unknown> = {};
  const { state } = await startLogin(strategy, session, options);
  return finishLogin(strategy, session, { code: AUTH_CODE, ...(state ? { state } : {}) });
}
