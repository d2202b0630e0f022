/**
 * Deployment hardening of the example: the public origin and TRUST_PROXY behind a TLS-terminating proxy (12.13), CSRF
 * tokens on every POST (12.14), and sessions that expire and are pruned (20.2).
 */
import { startEmulator } from 'kakao-naver-emulator';
import type { Emulator } from 'kakao-naver-emulator';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Harness, HarnessOptions } from './helpers.js';
import { csrfTokenIn, setCookies, startHarness, viaEmulator } from './helpers.js';

let emulator: Emulator;
const harnesses: Harness[] = [];
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());
afterEach(async () => {
  emulator.setAutoApprove({});
  await Promise.all(harnesses.splice(0).map((h) => h.close()));
});

async function harness(env: NodeJS.ProcessEnv = {}, session: HarnessOptions['session'] = {}): Promise<Harness> {
  const h = await startHarness({}, env, { emulator, session });
  harnesses.push(h);
  await h.listen();
  return h;
}

const redirectURI = (response: request.Response) => new URL(response.headers['location'] as string).searchParams.get('redirect_uri');

describe('behind a TLS-terminating proxy', () => {
  it.each(['kakao', 'naver'] as const)('builds the %s callback URL from PUBLIC_ORIGIN: a forged Host header changes nothing', async (provider) => {
    const h = await harness({ PUBLIC_ORIGIN: 'https://app.example.com', TRUST_PROXY: '1' });
    for (const host of ['evil.example', 'app.example.com.evil.example:8443']) {
      const start = await request(h.url).get(`/auth/${provider}`).set('Host', host).set('X-Forwarded-Host', host).expect(302);
      expect(redirectURI(start)).toBe(`https://app.example.com/auth/${provider}/callback`);
    }
  });

  it('without PUBLIC_ORIGIN (development) follows the Host header: the setting is what protects the redirect_uri', async () => {
    const h = await harness();
    const start = await request(h.url).get('/auth/kakao').set('Host', 'evil.example').expect(302);
    expect(redirectURI(start)).toBe('http://evil.example/auth/kakao/callback');
  });

  it('sends the Secure session cookie over the proxy\'s plain HTTP only when TRUST_PROXY trusts its X-Forwarded-Proto', async () => {
    const trusted = await harness({ PUBLIC_ORIGIN: 'https://app.example.com', TRUST_PROXY: 'loopback' });
    const viaProxy = await request(trusted.url).get('/auth/kakao').set('X-Forwarded-Proto', 'https').expect(302);
    expect(setCookies(viaProxy)).toHaveLength(1);
    expect(setCookies(viaProxy)[0]).toMatch(/^sid=s%3A[^;]+; Path=\/; Expires=[^;]+; HttpOnly; Secure; SameSite=Lax$/);
    // Plain HTTP without the proxy's header: express-session does not send a Secure cookie over it.
    expect(setCookies(await request(trusted.url).get('/auth/kakao').expect(302))).toEqual([]);

    const untrusted = await harness({ PUBLIC_ORIGIN: 'https://app.example.com' });
    expect(setCookies(await request(untrusted.url).get('/auth/kakao').set('X-Forwarded-Proto', 'https').expect(302))).toEqual([]);
  });

  it('completes a login through the proxy with PUBLIC_ORIGIN and TRUST_PROXY', async () => {
    const h = await harness({ PUBLIC_ORIGIN: 'http://localhost:8080', TRUST_PROXY: 'loopback' });
    emulator.setAutoApprove({ naver: 'naver-full' });
    const agent = request.agent(h.url);
    const start = await agent.get('/auth/naver').expect(302);
    expect(redirectURI(start)).toBe('http://localhost:8080/auth/naver/callback');
    await agent.get(await viaEmulator(start)).expect(302).expect('location', '/profile');
    expect((await agent.get('/profile').expect(200)).text).toContain('<h1 data-testid="display-name">OpenAPI</h1>');
  });
});

describe('CSRF', () => {
  /** Signed in with `provider`; returns the browser and the page's token. */
  async function signedIn(h: Harness, provider: 'kakao' | 'naver', user: string) {
    emulator.setAutoApprove({ [provider]: user });
    const agent = request.agent(h.url);
    await agent.get(await viaEmulator(await agent.get(`/auth/${provider}`).expect(302))).expect(302);
    const page = (await agent.get('/profile').expect(200)).text;
    return { agent, token: csrfTokenIn(page), page };
  }

  it('puts the session\'s token in every form that posts', async () => {
    const h = await harness();
    const { page, token } = await signedIn(h, 'kakao', 'kakao-full');
    const forms = page.match(/<form method="post"[^>]*>/g) ?? [];
    expect(forms).toHaveLength(5); // logout, refresh, token-info, provider-logout, unlink
    expect(page.match(new RegExp(`<input type="hidden" name="_csrf" value="${token}">`, 'g'))).toHaveLength(5);
    expect(token).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    ['kakao', 'kakao-full', '/account/refresh'],
    ['kakao', 'kakao-full', '/account/token-info'],
    ['kakao', 'kakao-full', '/account/provider-logout'],
    ['kakao', 'kakao-full', '/account/unlink'],
    ['kakao', 'kakao-full', '/logout'],
    ['naver', 'naver-full', '/account/refresh'],
    ['naver', 'naver-full', '/account/token-info'],
    ['naver', 'naver-full', '/account/revoke'],
  ] as const)('refuses a cross-site %s POST %s with the session cookie but no or a wrong token, calling no provider', async (provider, user, path) => {
    const h = await harness();
    const { agent, token } = await signedIn(h, provider, user);
    emulator.resetRequestCounts();
    const attempts = [
      agent.post(path).set('Origin', 'https://evil.example').type('form').send({}),
      agent.post(path).set('Origin', 'https://evil.example').type('form').send({ _csrf: token.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')) }),
      agent.post(path).set('X-CSRF-Token', 'x'.repeat(64)).send(''),
    ];
    for (const attempt of attempts) {
      const refused = await attempt.expect(403).expect('content-type', /text\/html/);
      expect(refused.text).toContain('<h1 data-testid="failure-title">This request was refused</h1>');
      expect(refused.text).toContain('<code data-testid="failure-code">csrf_token_invalid</code>');
      expect(refused.text).not.toMatch(/at .*\.(js|ts):\d+|ForbiddenError/);
    }
    expect(emulator.requestCounts()).toEqual({});
    // Still signed in: nothing happened. The page's own form, with the token, works.
    await agent.get('/profile').expect(200);
    await agent.post(path).type('form').send({ _csrf: token }).expect(302);
  });
});

describe('session lifetime', () => {
  it('gives the cookie a max age of 8 hours and renews it on every response (rolling)', async () => {
    const h = await harness();
    const first = setCookies(await request(h.url).get('/auth/kakao').expect(302))[0]!;
    const expires = Date.parse(/Expires=([^;]+)/.exec(first)![1]!);
    expect(Math.abs(expires - (Date.now() + 8 * 3600 * 1000))).toBeLessThan(5000);
    const cookie = first.split(';')[0]!;
    const again = await request(h.url).get('/').set('Cookie', cookie).expect(200);
    expect(setCookies(again)[0]!.split(';')[0]).toBe(cookie);
  });

  it('forgets 5,000 abandoned logins once they expire: the store is back to where it started', async () => {
    // The real lifetime (8 hours), a fast prune timer, and a clock moved forward instead of waiting 8 hours.
    const h = await harness({}, { pruneIntervalMs: 100 });
    expect(h.config.session.maxAgeMs).toBe(8 * 3600 * 1000);
    expect(await h.sessions.size()).toBe(0);
    let next = 0;
    // 25 browsers at a time, each a new visitor who goes to the provider and never comes back.
    await Promise.all(Array.from({ length: 25 }, async () => {
      while (next < 5000) {
        next++;
        const response = await fetch(`${h.url}/auth/${next % 2 ? 'kakao' : 'naver'}`, { redirect: 'manual' });
        expect(response.status).toBe(302);
        await response.arrayBuffer();
      }
    }));
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    await sleep(300);
    expect(await h.sessions.size(), 'pruning keeps live sessions').toBe(5000);
    const now = Date.now.bind(Date);
    const later = vi.spyOn(Date, 'now').mockImplementation(() => now() + 8 * 3600 * 1000 + 60_000);
    try {
      const deadline = now() + 5000;
      while ((await h.sessions.size()) > 0 && now() < deadline) await sleep(50);
      expect(await h.sessions.size()).toBe(0);
    } finally {
      later.mockRestore();
    }
  });
});
