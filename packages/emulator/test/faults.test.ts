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

describe('fault probability', () => {
  /** The statuses of `count` JWKS requests in a row. */
  async function statuses(target: Emulator, count: number): Promise<number[]> {
    const seen: number[] = [];
    for (let i = 0; i < count; i += 1) {
      const response = await get(target.kakao.jwksURL);
      await response.text();
      seen.push(response.status);
    }
    return seen;
  }

  it('applies a fault to about its share of requests, the same ones again with the same seed', async () => {
    const first = await startEmulator({ faultSeed: 42 });
    const second = await startEmulator({ faultSeed: 42 });
    const other = await startEmulator({ faultSeed: 7 });
    try {
      for (const target of [first, second, other]) target.injectFault('kakao.jwks', { status: 503, body: '<html>busy</html>', probability: 0.25 });
      const [a, b, c] = [await statuses(first, 400), await statuses(second, 400), await statuses(other, 400)];
      expect(new Set(a)).toEqual(new Set([200, 503]));
      const faulted = a.filter((status) => status === 503).length;
      // 100 expected; the standard deviation is under 9.
      expect(faulted).toBeGreaterThan(60);
      expect(faulted).toBeLessThan(140);
      expect(b).toEqual(a);
      expect(c).not.toEqual(a);
    } finally {
      await Promise.all([first.close(), second.close(), other.close()]);
    }
  });

  it('never applies with probability 0, always with 1', async () => {
    emulator.injectFault('kakao.jwks', { status: 500, probability: 0 });
    expect(await statuses(emulator, 20)).toEqual(Array(20).fill(200));
    emulator.clearFaults();
    emulator.injectFault('kakao.jwks', { status: 500, probability: 1 });
    expect(await statuses(emulator, 20)).toEqual(Array(20).fill(500));
  });

  it('lets a request it is not drawn for through to the next fault', async () => {
    const target = await startEmulator({ faultSeed: 1 });
    try {
      target.injectFault('kakao.jwks', { status: 503, probability: 0.5 });
      target.injectFault('kakao.jwks', { status: 500 });
      const seen = await statuses(target, 40);
      expect(new Set(seen)).toEqual(new Set([500, 503]));
    } finally {
      await target.close();
    }
  });

  it('counts `times` only for the requests it applied to', async () => {
    const target = await startEmulator({ faultSeed: 3 });
    try {
      target.injectFault('kakao.jwks', { status: 503, probability: 0.3, times: 3 });
      const seen = await statuses(target, 60);
      expect(seen.filter((status) => status === 503)).toHaveLength(3);
      expect(seen.filter((status) => status === 200)).toHaveLength(57);
    } finally {
      await target.close();
    }
  });

  it('refuses a probability outside 0 to 1', () => {
    expect(() => emulator.injectFault('kakao.jwks', { status: 500, probability: 1.5 })).toThrow(
      new TypeError("A fault's probability must be a number from 0 to 1, got 1.5"),
    );
    expect(() => emulator.injectFault('kakao.jwks', { status: 500, probability: Number.NaN })).toThrow(TypeError);
  });
});
