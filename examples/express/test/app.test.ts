import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { configFromEnv } from '../src/config.js';
import type { Harness } from './helpers.js';
import { startHarness } from './helpers.js';

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

/** Follows the app's redirect to the emulator and the emulator's redirect back; returns the callback path. */
async function viaEmulator(start: request.Response): Promise<string> {
  const response = await fetch(start.headers['location'] as string, { redirect: 'manual' });
  const back = new URL(response.headers.get('location')!);
  return back.pathname + back.search;
}

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
    await agent.get('/profile').expect(200);
    await agent.post('/logout').expect(302).expect('location', '/');
    await agent.get('/profile').expect(302).expect('location', '/');
  });

  it('answers unknown paths with 404', async () => {
    await request(harness.url).get('/nope').expect(404);
  });

  it('uses the real services for providers with keys, and the emulator for the rest', () => {
    const settings = { kakao: { baseURL: 'http://e', clientID: 'k', clientSecret: 's' }, naver: { baseURL: 'http://e', clientID: 'n', clientSecret: 'ns' } };
    const config = configFromEnv({ KAKAO_CLIENT_ID: 'real-key', NAVER_CLIENT_ID: 'only-id' }, settings, 'x');
    expect(config.providerTimeoutMs).toBe(10_000);
    expect(config.kakao).toEqual({ mode: 'real', clientID: 'real-key', clientSecret: undefined, baseURL: undefined });
    expect(config.naver).toEqual({ mode: 'emulator', clientID: 'n', clientSecret: 'ns', baseURL: 'http://e' });
    expect(() => configFromEnv({}, undefined, 'x')).toThrow('No kakao keys are set and the emulator is not running');
  });
});

describe('token lifecycle on the profile page', () => {
  async function signedIn(provider: 'kakao' | 'naver', user: string) {
    harness.emulator.setAutoApprove({ [provider]: user });
    const agent = request.agent(harness.url);
    await agent.get(await viaEmulator(await agent.get(`/auth/${provider}`).expect(302))).expect(302);
    return agent;
  }
  const notice = (text: string) => /data-testid="notice">([^<]*)</.exec(text)?.[1];

  it('shows the token buttons but never a token', async () => {
    const agent = await signedIn('kakao', 'kakao-full');
    const page = (await agent.get('/profile')).text;
    for (const action of ['refresh', 'token-info', 'provider-logout', 'unlink']) expect(page).toContain(`data-testid="${action}"`);
    expect(page).not.toMatch(/access_token|refresh_token"/);
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

  it('sends token actions without a session back home', async () => {
    await request(harness.url).post('/account/refresh').expect(302).expect('location', '/');
  });
});
