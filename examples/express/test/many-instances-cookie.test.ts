/**
 * Many instances without Redis (issue 17): with `LOGIN_STATE=cookie` the login's state, PKCE verifier and nonce travel
 * in a sealed cookie (`CookieStateStore`), so a login that starts on instance A completes on instance B with no shared
 * store at all, for both providers. Sessions stay per instance (B's holds the user, A's knows nothing of it), which is
 * what REDIS_URL adds. And with OIDC on, each instance fetches Kakao's JWKS once, not once per login: measured.
 */
import { startEmulator } from 'kakao-naver-emulator';
import type { Emulator } from 'kakao-naver-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from './helpers.js';
import { CookieJar, startHarness, startTwoInstances } from './helpers.js';

/** The load balancer's origin: both instances build callback URLs from it; the test plays the balancer. */
const PUBLIC_ORIGIN = 'http://localhost:8080';
/** Shared by the instances, as every instance of a deployment gets the same environment. */
const COOKIE_ENV = { PUBLIC_ORIGIN, LOGIN_STATE: 'cookie', LOGIN_STATE_SECRET: 'c0ffee'.repeat(8) };

/** The public URL sent to instance `base` (what the balancer does). */
const on = (base: string, publicURL: string) => {
  const url = new URL(publicURL);
  return `${base}${url.pathname}${url.search}`;
};

/** Starts a login on `from`, consents on the emulator, and brings the callback to `to`. */
async function loginAcross(emulator: Emulator, from: Harness, to: Harness, provider: 'kakao' | 'naver', user: string) {
  emulator.setAutoApprove({ [provider]: user });
  const browser = new CookieJar();
  const start = await browser.get(`${from.url}/auth/${provider}`);
  expect(start.status).toBe(302);
  const authorize = new URL(start.headers.get('location')!);
  const stateCookies = [...browser.cookies.keys()];
  const consent = await fetch(authorize, { redirect: 'manual' });
  const callback = consent.headers.get('location')!;
  expect(callback.startsWith(`${PUBLIC_ORIGIN}/auth/${provider}/callback?code=`)).toBe(true);
  const done = await browser.get(on(to.url, callback));
  return { browser, authorize, stateCookies, done };
}

describe('LOGIN_STATE=cookie, two instances, no Redis, no shared session store', () => {
  let emulator: Emulator;
  let a: Harness;
  let b: Harness;

  beforeAll(async () => {
    emulator = await startEmulator({ naver: { requireState: true } });
    [a, b] = await startTwoInstances(COOKIE_ENV, emulator);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await emulator?.close();
  });

  it('keeps sessions in each process, and the login state in the cookie', () => {
    expect(a.sessions.kind).toBe('memory');
    expect(b.sessions.kind).toBe('memory');
    expect(a.config.loginState).toEqual({ kind: 'cookie', secret: COOKIE_ENV.LOGIN_STATE_SECRET });
  });

  it.each([
    ['kakao', 'kakao-full', '홍길동', '4012345678'],
    ['naver', 'naver-full', 'OpenAPI', undefined],
  ] as const)('completes a %s login that starts on instance A and comes back to instance B', async (provider, user, name, kakaoId) => {
    const { browser, stateCookies, done } = await loginAcross(emulator, a, b, provider, user);
    // A put the login in one sealed cookie (and its name in the store's pending list) and opened no session for it.
    expect(stateCookies).toHaveLength(2);
    expect(stateCookies[0]).toMatch(/^oauth2_login\.[\w-]{32}$/);
    expect(stateCookies[1]).toMatch(/^oauth2_login\.pending-[\w-]{6}$/);
    expect(await a.sessions.size()).toBe(0);

    expect(done.status).toBe(302);
    expect(done.headers.get('location')).toBe('/profile');
    // B cleared the login cookie and opened the session.
    expect([...browser.cookies.keys()]).toEqual(['sid']);
    const profile = await browser.get(`${b.url}/profile`);
    expect(profile.status).toBe(200);
    const page = await profile.text();
    expect(page).toContain(`<h1 data-testid="display-name">${name}</h1>`);
    if (kakaoId) expect(page).toContain(`<code data-testid="user-id">${kakaoId}</code>`);
    // The session itself is B's alone: without REDIS_URL, A does not know it.
    const onA = await browser.get(`${a.url}/profile`);
    expect(onA.status).toBe(302);
    expect(onA.headers.get('location')).toBe('/');
  });

  it('fails the same login with the state in each instance\'s own session (what the cookie store fixes)', async () => {
    const [first, second] = await startTwoInstances({ PUBLIC_ORIGIN }, emulator);
    try {
      const { browser, done } = await loginAcross(emulator, first, second, 'naver', 'naver-full');
      expect(done.status).toBe(302);
      expect(done.headers.get('location')).toBe('/login/failed?provider=naver');
      // The state check is what failed (not some other step): the failure page says so.
      expect(await (await browser.get(`${second.url}/login/failed?provider=naver`)).text()).toContain('could not be matched to this browser session');
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('refuses the login cookie of another deployment (another secret): state check fails on B', async () => {
    const other = await startHarness({}, { ...COOKIE_ENV, LOGIN_STATE_SECRET: 'beef'.repeat(12) }, { emulator });
    await other.listen();
    try {
      const { browser, done } = await loginAcross(emulator, other, b, 'kakao', 'kakao-full');
      expect(done.status).toBe(302);
      expect(done.headers.get('location')).toBe('/login/failed?provider=kakao');
      expect(await (await browser.get(`${b.url}/login/failed?provider=kakao`)).text()).toContain('could not be matched to this browser session');
    } finally {
      await other.close();
    }
  });
});

describe('Kakao OIDC over two instances: JWKS fetches', () => {
  const LOGINS = 10;
  let emulator: Emulator;
  let a: Harness;
  let b: Harness;

  beforeAll(async () => {
    emulator = await startEmulator({ naver: { requireState: true } });
    [a, b] = await startTwoInstances({ ...COOKIE_ENV, KAKAO_OIDC: '1' }, emulator);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await emulator?.close();
  });

  it(`fetches the JWKS once per instance, not once per login (${LOGINS} logins spread over A and B)`, async () => {
    emulator.resetRequestCounts();
    const users = ['kakao-full', 'kakao-nickname'] as const;
    for (let i = 0; i < LOGINS; i++) {
      const [from, to] = i % 2 === 0 ? [a, b] : [b, a];
      const user = users[i % users.length]!;
      const { browser, authorize, done } = await loginAcross(emulator, from, to, 'kakao', user);
      // OIDC is on: openid asked for, with a nonce (kept in the sealed cookie with the state).
      expect(authorize.searchParams.get('scope')?.split(/[ ,]/)).toContain('openid');
      expect(authorize.searchParams.get('nonce')).toMatch(/^[\w-]{16,}$/);
      expect(done.headers.get('location')).toBe('/profile');
      const page = await (await browser.get(`${to.url}/profile`)).text();
      expect(page).toContain(`<code data-testid="user-id">${emulator.users.kakao.find((u) => u.key === user)!.id}</code>`);
    }
    const counts = emulator.requestCounts();
    console.log(`JWKS fetches for ${LOGINS} Kakao OIDC logins over 2 instances: ${counts['kakao.jwks'] ?? 0} (token requests: ${counts['kakao.token'] ?? 0})`);
    expect(counts['kakao.token']).toBe(LOGINS);
    expect(counts['kakao.jwks']).toBe(2);
  });
});
