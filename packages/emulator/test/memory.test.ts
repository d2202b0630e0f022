/** Issued codes and tokens are forgotten once they expire (emulator time), so a long-running emulator stays flat. */
import { describe, expect, it, vi } from 'vitest';
import { startEmulator } from '../src/index.js';
import { KAKAO_CALLBACK, bearer, get, kakaoCode, kakaoLogin, naverCode, naverLogin, postForm } from './helpers.js';

const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;

describe('expired codes and tokens are dropped', () => {
  it('keeps live tokens, drops each kind when its lifetime passes, and ends empty', async () => {
    const emulator = await startEmulator();
    try {
      const kakao = await kakaoLogin(emulator, 'kakao-full');
      await naverLogin(emulator, 'naver-full');
      await kakaoCode(emulator, 'kakao-full'); // abandoned: never exchanged
      await naverCode(emulator, 'naver-full');
      // Refreshing adds an access token to the Kakao refresh token's set.
      await postForm(emulator.kakao.tokenURL, {
        grant_type: 'refresh_token', client_id: emulator.kakao.clientID, client_secret: emulator.kakao.clientSecret!, refresh_token: String(kakao['refresh_token']),
      });
      expect(emulator.storedCounts()).toEqual({
        kakao: { codes: 1, accessTokens: 2, refreshTokens: 1 },
        naver: { codes: 1, accessTokens: 1, refreshTokens: 1 },
        pendingLogins: 0,
      });
      emulator.advanceTime(11 * 60 * 1000); // codes live 10 minutes
      expect(emulator.storedCounts()).toEqual({
        kakao: { codes: 0, accessTokens: 2, refreshTokens: 1 },
        naver: { codes: 0, accessTokens: 1, refreshTokens: 1 },
        pendingLogins: 0,
      });
      emulator.advanceTime(6 * HOUR); // Naver access 1 h, Kakao access 6 h: expired, still known as expired for a day
      expect(emulator.storedCounts().kakao.accessTokens).toBe(2);
      expect(emulator.storedCounts().naver.accessTokens).toBe(1);
      expect(await (await get(emulator.kakao.profileURL, bearer(kakao['access_token']))).json()).toEqual({ msg: 'this access token is already expired', code: -401 });
      emulator.advanceTime(DAY);
      expect(emulator.storedCounts()).toEqual({
        kakao: { codes: 0, accessTokens: 0, refreshTokens: 1 },
        naver: { codes: 0, accessTokens: 0, refreshTokens: 1 },
        pendingLogins: 0,
      });
      // The refresh token still works after its access tokens were dropped.
      const refreshed = await postForm(emulator.kakao.tokenURL, {
        grant_type: 'refresh_token', client_id: emulator.kakao.clientID, client_secret: emulator.kakao.clientSecret!, refresh_token: String(kakao['refresh_token']),
      });
      expect(refreshed.status).toBe(200);
      emulator.advanceTime(61 * DAY); // Kakao refresh: 2 months
      expect(emulator.storedCounts().kakao).toEqual({ codes: 0, accessTokens: 0, refreshTokens: 0 });
      expect(emulator.storedCounts().naver.refreshTokens).toBe(1);
      emulator.advanceTime(365 * DAY); // Naver refresh: a year (⚠ undocumented)
      expect(emulator.storedCounts()).toEqual({
        kakao: { codes: 0, accessTokens: 0, refreshTokens: 0 },
        naver: { codes: 0, accessTokens: 0, refreshTokens: 0 },
        pendingLogins: 0,
      });
    } finally {
      await emulator.close();
    }
  });

  it('drops logins abandoned on the consent page after ten minutes', async () => {
    const emulator = await startEmulator();
    try {
      const query = new URLSearchParams({ client_id: emulator.kakao.clientID, redirect_uri: KAKAO_CALLBACK, response_type: 'code' });
      expect((await get(`${emulator.kakao.authorizationURL}?${query}`)).status).toBe(200);
      expect(emulator.storedCounts().pendingLogins).toBe(1);
      emulator.advanceTime(9 * 60 * 1000);
      expect(emulator.storedCounts().pendingLogins).toBe(1);
      emulator.advanceTime(2 * 60 * 1000);
      expect(emulator.storedCounts().pendingLogins).toBe(0);
    } finally {
      await emulator.close();
    }
  });

  it('drops what expired in real time before serving the next request', async () => {
    const emulator = await startEmulator({ autoApprove: { kakao: 'kakao-full' } });
    try {
      await kakaoCode(emulator, 'kakao-full');
      expect(emulator.storedCounts().kakao.codes).toBe(1);
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(Date.now() + 11 * 60 * 1000);
      expect((await get(`${emulator.url}/nowhere`)).status).toBe(404);
      expect(emulator.storedCounts().kakao.codes).toBe(1); // unknown paths do no work
      expect((await get(emulator.kakao.jwksURL)).status).toBe(200);
      expect(emulator.storedCounts().kakao.codes).toBe(0);
    } finally {
      vi.useRealTimers();
      await emulator.close();
    }
  });
});
