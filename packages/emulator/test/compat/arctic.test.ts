/**
 * arctic 3 (pilcrowonpaper): its Kakao and Naver providers as shipped, their hard-coded hosts rewritten to the emulator
 * by a fetch wrapper (the way to point arctic anywhere else).
 */
import * as arctic from 'arctic';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startEmulator } from '../../src/index.js';
import type { Emulator } from '../../src/index.js';
import { KAKAO_CALLBACK, NAVER_CALLBACK, bearer, get } from '../helpers.js';
import { authorizeAt, emulatorFetch, toEmulator } from './helpers.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ autoApprove: { kakao: 'kakao-full', naver: 'naver-full' } });
  vi.stubGlobal('fetch', emulatorFetch(emulator));
});
afterAll(async () => {
  vi.unstubAllGlobals();
  await emulator.close();
});
afterEach(() => emulator.setAutoApprove({ kakao: 'kakao-full', naver: 'naver-full' }));

describe('arctic 3 × Kakao', () => {
  it('logs in (space-separated scopes, state) and refreshes', async () => {
    const kakao = new arctic.Kakao(emulator.kakao.clientID, emulator.kakao.clientSecret!, KAKAO_CALLBACK);
    const state = arctic.generateState();
    const url = kakao.createAuthorizationURL(state, ['profile_nickname', 'account_email']);
    expect(url.origin).toBe('https://kauth.kakao.com');
    const back = await authorizeAt(emulator, url);
    expect(back.searchParams.get('state')).toBe(state);
    const tokens = await kakao.validateAuthorizationCode(back.searchParams.get('code')!);
    expect(tokens.accessTokenExpiresInSeconds()).toBe(21599);
    expect(tokens.scopes()).toEqual(['profile_nickname', 'profile_image', 'account_email', 'name', 'gender', 'age_range', 'birthday', 'birthyear', 'phone_number']);
    const me = await get(toEmulator(emulator, 'https://kapi.kakao.com/v2/user/me'), bearer(tokens.accessToken()));
    expect(((await me.json()) as { id: number }).id).toBe(4012345678);
    const refreshed = await kakao.refreshAccessToken(tokens.refreshToken());
    expect(refreshed.accessToken()).not.toBe(tokens.accessToken());
    expect(refreshed.hasRefreshToken()).toBe(false); // A2: not rotated with more than a month left
  });

  it('surfaces KOE320 for a reused code as an OAuth2RequestError', async () => {
    const kakao = new arctic.Kakao(emulator.kakao.clientID, emulator.kakao.clientSecret!, KAKAO_CALLBACK);
    const code = (await authorizeAt(emulator, kakao.createAuthorizationURL('s', []))).searchParams.get('code')!;
    await kakao.validateAuthorizationCode(code);
    const error = await kakao.validateAuthorizationCode(code).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(arctic.OAuth2RequestError);
    expect(error).toMatchObject({ code: 'invalid_grant', description: `authorization code not found for code=${code}` });
  });
});

describe('arctic 3 × Naver', () => {
  it('logs in as shipped, with an authorization URL without state, which real Naver accepts though its guide requires it (B1 ⚠)', async () => {
    const naver = new arctic.Naver(emulator.naver.clientID, emulator.naver.clientSecret, NAVER_CALLBACK);
    const url = naver.createAuthorizationURL();
    expect(url.searchParams.has('state')).toBe(false);
    const back = await authorizeAt(emulator, url);
    expect([...back.searchParams.keys()]).toEqual(['code']);
    const tokens = await naver.validateAuthorizationCode(back.searchParams.get('code')!);
    expect(tokens.data).toMatchObject({ token_type: 'bearer', expires_in: '3600' }); // the quirk (B2, B6.4)
    expect(() => tokens.accessTokenExpiresAt()).toThrow("Missing or invalid 'expires_in' field");
  });

  it('logs in with a state added to its URL; trips on Naver\'s string expires_in; refreshes', async () => {
    const naver = new arctic.Naver(emulator.naver.clientID, emulator.naver.clientSecret, NAVER_CALLBACK);
    const url = naver.createAuthorizationURL();
    url.searchParams.set('state', 'added-state');
    const back = await authorizeAt(emulator, url);
    const tokens = await naver.validateAuthorizationCode(back.searchParams.get('code')!);
    expect(tokens.data).toMatchObject({ token_type: 'bearer', expires_in: '3600' }); // the quirk (B2, B6.4)
    expect(() => tokens.accessTokenExpiresAt()).toThrow("Missing or invalid 'expires_in' field");
    const me = await get(toEmulator(emulator, 'https://openapi.naver.com/v1/nid/me'), bearer(tokens.accessToken()));
    expect(((await me.json()) as { response: { nickname: string } }).response.nickname).toBe('OpenAPI');
    const refreshed = await naver.refreshAccessToken(tokens.refreshToken());
    expect(refreshed.hasRefreshToken()).toBe(false); // B6.5
  });

  it('takes Naver\'s HTTP-200 error for a reused code as tokens, failing only when the access token is read', async () => {
    const naver = new arctic.Naver(emulator.naver.clientID, emulator.naver.clientSecret, NAVER_CALLBACK);
    const url = naver.createAuthorizationURL();
    url.searchParams.set('state', 's');
    const code = (await authorizeAt(emulator, url)).searchParams.get('code')!;
    await naver.validateAuthorizationCode(code);
    const replay = await naver.validateAuthorizationCode(code); // no error: HTTP 200 (B2, B6.1)
    expect(replay.data).toEqual({ error: 'invalid_request', error_description: 'no valid data in session' });
    expect(() => replay.accessToken()).toThrow("Missing or invalid 'access_token' field");
  });
});
