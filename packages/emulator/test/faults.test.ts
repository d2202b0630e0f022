import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../src/index.js';
import type { Emulator } from '../src/index.js';
import { bearer, get, kakaoLogin, postForm } from './helpers.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ autoApprove: { kakao: 'kakao-full' } });
});
afterAll(() => emulator.close());
beforeEach(() => {
  emulator.clearFaults();
  emulator.setLatency(0);
  emulator.resetRequestCounts();
});

describe('fault injection', () => {
  it('adds latency to one endpoint', async () => {
    emulator.injectFault('kakao.jwks', { latencyMs: 150, times: 1 });
    const started = Date.now();
    expect((await get(emulator.kakao.jwksURL)).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    const again = Date.now();
    await get(emulator.kakao.jwksURL);
    expect(Date.now() - again).toBeLessThan(140);
  });

  it('adds latency to every request', async () => {
    emulator.setLatency(60);
    const started = Date.now();
    await get(emulator.kakao.discoveryURL);
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
  });

  it('answers with a 5xx and a malformed body, then recovers after `times`', async () => {
    emulator.injectFault('kakao.token', { status: 502, body: '<html>Bad Gateway</html>', times: 1 });
    emulator.injectFault('kakao.me', { body: '{"id":', contentType: 'application/json', times: 1 });
    const form = { grant_type: 'authorization_code', client_id: emulator.kakao.clientID };
    const broken = await postForm(emulator.kakao.tokenURL, form);
    expect(broken.status).toBe(502);
    expect(await broken.text()).toBe('<html>Bad Gateway</html>');
    const { access_token } = await kakaoLogin(emulator, 'kakao-full');
    const malformed = await get(emulator.kakao.profileURL, bearer(access_token));
    expect(malformed.status).toBe(200);
    expect(await malformed.text()).toBe('{"id":');
    expect((await get(emulator.kakao.profileURL, bearer(access_token))).status).toBe(200);
  });

  it('never answers with hang, until the client gives up', async () => {
    emulator.injectFault('naver.me', { hang: true });
    await expect(fetch(emulator.naver.profileURL, { signal: AbortSignal.timeout(200) })).rejects.toThrow();
  });

  it('counts requests per endpoint', async () => {
    await kakaoLogin(emulator, 'kakao-full');
    expect(emulator.requestCounts()).toEqual({ 'kakao.authorize': 1, 'kakao.token': 1 });
  });

  it('answers unknown paths with 404', async () => {
    expect((await get(`${emulator.url}/nowhere`)).status).toBe(404);
  });
});
