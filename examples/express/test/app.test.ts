import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SessionUser } from '../src/app.js';
import type { Harness } from './helpers.js';
import { csrfTokenIn, startHarness, viaEmulator } from './helpers.js';

let harness: Harness;
beforeAll(async () => {
  // One listening server: the callback must come back to the origin the login started on (Kakao checks redirect_uri).
  harness = await startHarness({}, { PROVIDER_TIMEOUT_MS: '300' });
  await harness.listen();
});
afterAll(() => harness.close());
beforeEach(() => {
  harness.emulator.setAutoApprove({});
  harness.emulator.clearFaults();
});

describe('home', () => {
  it('shows both login buttons in the providers\' colours and says the emulator is in use', async () => {
    const page = (await request(harness.url).get('/').expect(200)).text;
    expect(page).toContain('href="/auth/kakao" style="background:#FEE500;color:#191919"');
    expect(page).toContain('href="/auth/naver" style="background:#03C75A;color:#FFFFFF"');
    expect(page).toContain('Kakao: the local emulator (no keys needed)');
  });
});

describe.each([
  ['kakao', 'kakao-full', '홍길동', 'profile_nickname, profile_image, account_email'],
  ['naver', 'naver-full', 'OpenAPI', undefined],
] as const)('login with %s', (provider, user, name, scopesPrefix) => {
  it('redirects, consents, calls back, keeps the user in the session and shows the profile', async () => {
    harness.emulator.setAutoApprove({ [provider]: user });
    const agent = request.agent(harness.url);
    const start = await agent.get(`/auth/${provider}`).expect(302);
    expect(start.headers['location']).toMatch(new RegExp(`^${harness.emulator.url}/oauth2?\\.?0?/authorize\\?`));
    const cookieBefore = (start.headers['set-cookie'] as unknown as string[])[0]!.split(';')[0];
    const callback = await viaEmulator(start);
    const done = await agent.get(callback).expect(302).expect('location', '/profile');
    const cookieAfter = (done.headers['set-cookie'] as unknown as string[])[0]!.split(';')[0];
    expect(cookieAfter, 'the session is regenerated on login').not.toBe(cookieBefore);
    expect((done.headers['set-cookie'] as unknown as string[]).join(';')).not.toMatch(/access_token|AAAA/);
    const page = (await agent.get('/profile').expect(200)).text;
    expect(page).toContain(`<h1 data-testid="display-name">${name}</h1>`);
    expect(page).toContain('data-testid="raw-json"');
    if (scopesPrefix) expect(page).toContain(`<p data-testid="scopes">${scopesPrefix}`);
    else expect(page).toContain('Naver has no scopes');
    expect((await agent.get('/').expect(200)).text).toContain(`Signed in as <strong>${name}</strong>`);
  });

  it('lands a cancelled login on the failure page', async () => {
    const agent = request.agent(harness.url);
    const start = await agent.get(`/auth/${provider}`).expect(302);
    const consent = await (await fetch(start.headers['location'] as string)).text();
    const transaction = /name="transaction" value="([^"]+)"/.exec(consent)![1]!;
    const decision = await fetch(`${harness.emulator.url}/__emulator/decision`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ transaction, user, decision: 'cancel' }).toString(),
    });
    const back = new URL(decision.headers.get('location')!);
    await agent.get(back.pathname + back.search).expect(302).expect('location', `/login/failed?provider=${provider}`);
    const page = await agent.get(`/login/failed?provider=${provider}`).expect(401);
    expect(page.text).toContain('You cancelled the login');
    expect(page.text).toContain('<code data-testid="failure-code">access_denied</code>');
  });

  it('lands a provider error on the failure page without a stack trace', async () => {
    harness.emulator.setAutoApprove({ [provider]: user });
    harness.emulator.injectFault(`${provider}.token`, { status: 502, body: '<html>upstream down</html>', times: 1 });
    const agent = request.agent(harness.url);
    const callback = await viaEmulator(await agent.get(`/auth/${provider}`).expect(302));
    const page = await agent.get(callback).expect(502);
    expect(page.text).toContain('The provider sent an answer this app could not read.');
    expect(page.text).toContain('<code data-testid="failure-code">INVALID_RESPONSE</code>');
    expect(page.text).not.toMatch(/at .*\.(js|ts):\d+/);
  });
});

describe('errors explained', () => {
  it('explains a replayed Kakao callback (KOE320)', async () => {
    harness.emulator.setAutoApprove({ kakao: 'kakao-full' });
    const agent = request.agent(harness.url);
    const callback = await viaEmulator(await agent.get('/auth/kakao').expect(302));
    await agent.get(callback).expect(302);
    const again = await agent.get('/auth/kakao').expect(302);
    const state = new URL(again.headers['location'] as string).searchParams.get('state')!;
    const code = new URL(callback, 'http://x').searchParams.get('code')!;
    const page = await agent.get(`/auth/kakao/callback?code=${code}&state=${state}`).expect(502);
    expect(page.text).toContain('This login link was already used or has expired');
    expect(page.text).toContain('<code data-testid="failure-code">KOE320</code>');
  });

  it('explains a provider error redirect other than Cancel (consent_required) by its code, and logs nothing', async () => {
    const logged: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void logged.push(args);
    try {
      const page = await request(harness.url).get('/auth/kakao/callback?error=consent_required&error_description=Call%20%2B82-2-000&state=x').expect(502);
      expect(page.text).toContain('The provider did not complete the login.');
      expect(page.text).toContain('<code data-testid="failure-code">consent_required</code>');
      expect(page.text).not.toContain('+82-2-000');
    } finally {
      console.error = original;
    }
    expect(logged).toEqual([]);
  });

  it('shows an error value OAuth does not define as provider_error: the callback URL is anyone\'s to write', async () => {
    const forged = encodeURIComponent('Your account is locked. Call +82-10-0000-0000');
    const page = await request(harness.url).get(`/auth/kakao/callback?error=${forged}&state=x`).expect(502);
    expect(page.text).toContain('<code data-testid="failure-code">provider_error</code>');
    expect(page.text).not.toContain('locked');
  });

  it('tells a Cancel by its code, never echoing the provider\'s description (nor mistaking one that says "state")', async () => {
    for (const description of ['Your account is locked. Call +82-2-000-0000', 'bad state']) {
      const agent = request.agent(harness.url);
      const start = await agent.get('/auth/naver').expect(302);
      const state = new URL(start.headers['location'] as string).searchParams.get('state')!;
      await agent.get(`/auth/naver/callback?${new URLSearchParams({ error: 'access_denied', error_description: description, state })}`).expect(302).expect('location', '/login/failed?provider=naver');
      const page = (await agent.get('/login/failed?provider=naver').expect(401)).text;
      expect(page).toContain('<code data-testid="failure-code">access_denied</code>');
      expect(page).not.toContain(description);
    }
  });

  it('answers a client error (a body over 4 kB) with its own status, not as a provider failure', async () => {
    const page = await request(harness.url).post('/logout').type('form').send(`x=${'a'.repeat(5000)}`).expect(413);
    expect(page.text).toContain('<code data-testid="failure-code">413</code>');
    expect(page.text).not.toContain('our side');
  });

  it('shows no notice for a key that is not one of its own (constructor, __proto__)', async () => {
    for (const key of ['constructor', '__proto__', 'toString']) {
      expect((await request(harness.url).get(`/?notice=${key}`).expect(200)).text).not.toContain('data-testid="notice"');
    }
    expect((await request(harness.url).get('/?notice=naver-revoke').expect(200)).text).toContain('data-testid="notice"');
  });

  it('explains a forged state', async () => {
    const agent = request.agent(harness.url);
    await agent.get('/auth/naver').expect(302);
    await agent.get('/auth/naver/callback?code=x&state=forged').expect(302).expect('location', '/login/failed?provider=naver');
    expect((await agent.get('/login/failed?provider=naver')).text).toContain('could not be matched to this browser session');
  });

  it('explains a silent provider', async () => {
    harness.emulator.setAutoApprove({ naver: 'naver-full' });
    harness.emulator.injectFault('naver.me', { hang: true, times: 1 });
    const agent = request.agent(harness.url);
    const callback = await viaEmulator(await agent.get('/auth/naver').expect(302));
    const page = await agent.get(callback).expect(502);
    expect(page.text).toContain('The provider did not answer in time.');
  });
});

describe('sessions and pages', () => {
  it('logs out and forgets the user', async () => {
    harness.emulator.setAutoApprove({ kakao: 'kakao-nickname' });
    const agent = request.agent(harness.url);
    await agent.get(await viaEmulator(await agent.get('/auth/kakao').expect(302))).expect(302);
    const token = csrfTokenIn((await agent.get('/profile').expect(200)).text);
    await agent.post('/logout').type('form').send({ _csrf: token }).expect(302).expect('location', '/');
    await agent.get('/profile').expect(302).expect('location', '/');
  });

  it('answers unknown paths with 404', async () => {
    await request(harness.url).get('/nope').expect(404);
  });
});

describe('token lifecycle on the profile page', () => {
  /** A signed-in browser whose `post` sends the form's CSRF token, as the page's buttons do. */
  async function signedIn(provider: 'kakao' | 'naver', user: string) {
    harness.emulator.setAutoApprove({ [provider]: user });
    const agent = request.agent(harness.url);
    const done = await agent.get(await viaEmulator(await agent.get(`/auth/${provider}`).expect(302))).expect(302);
    const token = csrfTokenIn((await agent.get('/profile').expect(200)).text);
    // sid=s%3A<id>.<signature>
    const sessionID = /^sid=s%3A([^.]+)\./.exec((done.headers['set-cookie'] as unknown as string[])[0]!)![1]!;
    return {
      sessionID,
      get: (path: string) => agent.get(path),
      post: (path: string) => agent.post(path).type('form').send({ _csrf: token }),
    };
  }
  const notice = (text: string) => /data-testid="notice">([^<]*)</.exec(text)?.[1];

  /** The tokens the session holds for the signed-in user (what the page must never show). */
  async function tokensOf(sessionID: string): Promise<string[]> {
    const data = await new Promise<unknown>((resolve, reject) => {
      harness.sessions.store.get(sessionID, (error, value) => (error ? reject(error as Error) : resolve(value)));
    });
    const { accessToken, refreshToken } = (data as { passport: { user: SessionUser } }).passport.user.tokens;
    return [accessToken, refreshToken];
  }
  /** Throws when any 12 characters in a row of a token appear anywhere in the HTML. */
  function assertNoToken(page: string, tokens: string[]): void {
    for (const token of tokens) {
      expect(token.length, 'a real token').toBeGreaterThanOrEqual(20);
      for (let i = 0; i + 12 <= token.length; i++) {
        if (page.includes(token.slice(i, i + 12))) throw new Error(`Part of a token (characters ${i}-${i + 11}) is on the page`);
      }
    }
  }

  it.each([
    ['kakao', 'kakao-full', ['refresh', 'token-info', 'provider-logout', 'unlink']],
    ['naver', 'naver-full', ['refresh', 'token-info', 'revoke']],
  ] as const)('shows the %s token buttons but neither token, before and after a refresh', async (provider, user, actions) => {
    const agent = await signedIn(provider, user);
    const page = (await agent.get('/profile').expect(200)).text;
    for (const action of actions) expect(page).toContain(`data-testid="${action}"`);
    const tokens = await tokensOf(agent.sessionID);
    assertNoToken(page, tokens);
    // The check can fail: the same page with either token printed in it is caught.
    for (const token of tokens) expect(() => assertNoToken(page.replace('</main>', `<p>${token}</p></main>`), tokens)).toThrow('is on the page');
    await agent.post('/account/refresh').expect(302);
    const refreshed = await tokensOf(agent.sessionID);
    expect(refreshed[0], 'the refresh replaced the access token').not.toBe(tokens[0]);
    assertNoToken((await agent.get('/profile').expect(200)).text, [...tokens, ...refreshed]);
  });

  it('refreshes a Kakao token, keeping the refresh token Kakao did not rotate, and the new token works', async () => {
    const agent = await signedIn('kakao', 'kakao-full');
    harness.emulator.resetRequestCounts();
    await agent.post('/account/refresh').expect(302).expect('location', '/profile');
    expect(notice((await agent.get('/profile')).text)).toBe('Refreshed: a new access token for 21599 s, with the same refresh token.');
    await agent.post('/account/refresh').expect(302);
    await agent.post('/account/token-info').expect(302);
    expect(notice((await agent.get('/profile')).text)).toMatch(/^Kakao token info: user 4012345678, app 100001, 2159\d s left\.$/);
    expect(harness.emulator.requestCounts()).toEqual({ 'kakao.token': 2, 'kakao.tokenInfo': 1 });
  });

  it('rotates the Kakao refresh token in its last month and keeps the new one', async () => {
    const agent = await signedIn('kakao', 'kakao-nickname');
    harness.emulator.advanceTime(31 * 24 * 3600 * 1000);
    await agent.post('/account/refresh').expect(302);
    expect(notice((await agent.get('/profile')).text)).toBe('Refreshed: a new access token for 21599 s, with a new refresh token.');
    await agent.post('/account/refresh').expect(302);
    expect(notice((await agent.get('/profile')).text)).toContain('Refreshed');
  });

  it('logs out of Kakao (revoking tokens) and unlinks, each ending the app session', async () => {
    const a = await signedIn('kakao', 'kakao-full');
    await a.post('/account/provider-logout').expect(302).expect('location', '/?notice=kakao-logout');
    expect(notice((await a.get('/?notice=kakao-logout')).text)).toBe('Logged out of Kakao: the tokens are revoked (the Kakao browser session stays).');
    await a.get('/profile').expect(302).expect('location', '/');
    const b = await signedIn('kakao', 'kakao-full');
    await b.post('/account/unlink').expect(302).expect('location', '/?notice=kakao-unlink');
    harness.emulator.setAutoApprove({ kakao: 'kakao-full' });
    const none = await fetch(`${harness.emulator.kakao.authorizationURL}?client_id=${harness.emulator.kakao.clientID}&redirect_uri=${encodeURIComponent(`${harness.url}/auth/kakao/callback`)}&response_type=code&prompt=none`, { redirect: 'manual' });
    expect(new URL(none.headers.get('location')!).searchParams.get('error')).toBe('consent_required');
  });

  it('refreshes, checks and revokes a Naver token', async () => {
    const agent = await signedIn('naver', 'naver-name');
    const page = (await agent.get('/profile')).text;
    for (const action of ['refresh', 'token-info', 'revoke']) expect(page).toContain(`data-testid="${action}"`);
    await agent.post('/account/refresh').expect(302);
    expect(notice((await agent.get('/profile')).text)).toBe('Refreshed: a new access token for 3600 s, with the same refresh token.');
    await agent.post('/account/token-info').expect(302);
    expect(notice((await agent.get('/profile')).text)).toMatch(/^Naver token check: valid until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d; allowed: id, name\.$/);
    await agent.post('/account/revoke').expect(302).expect('location', '/?notice=naver-revoke');
  });

  it('shows a provider error during a token action on the failure page', async () => {
    const agent = await signedIn('kakao', 'kakao-full');
    harness.emulator.injectFault('kakao.token', { status: 400, body: '{"error":"invalid_grant","error_description":"expired_or_invalid_refresh_token","error_code":"KOE322"}', contentType: 'application/json', times: 1 });
    const page = await agent.post('/account/refresh').expect(502);
    expect(page.text).toContain('<code data-testid="failure-code">KOE322</code>');
  });

  it('refuses token actions without a session (no CSRF token to match) and calls no provider', async () => {
    harness.emulator.resetRequestCounts();
    const page = await request(harness.url).post('/account/refresh').type('form').send({ _csrf: 'x' }).expect(403);
    expect(page.text).toContain('<code data-testid="failure-code">csrf_token_invalid</code>');
    expect(harness.emulator.requestCounts()).toEqual({});
  });
});
