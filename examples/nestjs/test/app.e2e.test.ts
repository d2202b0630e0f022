/**
 * The NestJS example end to end, through the emulator, with supertest: both providers' logins, Cancel, forged and
 * missing state, provider errors, per-request options on the authorize URL, the JWT session and account deletion.
 */
import { DEFAULT_NAVER_USERS, naverUserId } from 'kakao-naver-emulator';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Harness } from './helpers.js';
import { ForbiddenException } from '@nestjs/common';
import { KakaoStrategy } from '../src/auth/kakao.strategy.js';
import { SessionService } from '../src/auth/session.service.js';
import { cookieNamed, jwtClaims, setCookies, startHarness } from './helpers.js';

let harness: Harness;
beforeAll(async () => {
  // One listening server: the callback must come back to the origin the login started on (Kakao checks redirect_uri).
  harness = await startHarness({}, { PROVIDER_TIMEOUT_MS: '500' });
});
afterAll(() => harness.close());
beforeEach(() => {
  harness.emulator.setAutoApprove({});
  harness.emulator.clearFaults();
});
afterEach(() => {
  vi.useRealTimers();
});

type Provider = 'kakao' | 'naver';

const naverFull = DEFAULT_NAVER_USERS.find((user) => user.key === 'naver-full');
if (!naverFull) throw new Error('the emulator has no naver-full user');

/** Follows the app's redirect to the emulator (auto-approving) and returns the emulator's redirect back, as a path. */
async function viaEmulator(start: request.Response): Promise<string> {
  const response = await fetch(String(start.headers['location']), { redirect: 'manual' });
  const back = new URL(response.headers.get('location') ?? '');
  expect(back.origin).toBe(harness.url);
  return back.pathname + back.search;
}

/** Logs in with `provider` as `user`; returns the agent holding the app's session cookie, and that cookie's header. */
async function login(provider: Provider, user: string): Promise<{ agent: ReturnType<typeof request.agent>; sessionCookie: string }> {
  harness.emulator.setAutoApprove({ [provider]: user });
  const agent = request.agent(harness.url);
  const callback = await viaEmulator(await agent.get(`/auth/${provider}`).expect(302));
  const done = await agent.get(callback).expect(303).expect('location', '/');
  const sessionCookie = cookieNamed(done.headers, 'app_session');
  if (!sessionCookie) throw new Error('no session cookie after the callback');
  return { agent, sessionCookie };
}

/** The failure page's reason code. */
function failureCode(html: string): string | undefined {
  return /<code data-testid="failure-code">([^<]*)<\/code>/.exec(html)?.[1];
}

/** A page must never show a stack trace or an error class's raw output. */
function expectNoInternals(html: string): void {
  expect(html).not.toMatch(/\bat [\w.<>]+ \(|node_modules|\.ts:\d+|"statusCode"/);
}

describe('home', () => {
  it('shows both login buttons and says the emulator is in use', async () => {
    const page = (await request(harness.url).get('/').expect(200).expect('content-type', 'text/html; charset=utf-8')).text;
    expect(page).toContain('<a class="button" data-testid="login-kakao" href="/auth/kakao" style="background:#FEE500;color:#191919">');
    expect(page).toContain('<a class="button" data-testid="login-naver" href="/auth/naver" style="background:#03C75A;color:#FFFFFF">');
    expect(page).toContain('Kakao: the local emulator (no keys needed) · Naver: the local emulator (no keys needed)');
  });

  it('shows only the fixed notices, never text from the URL', async () => {
    const page = (await request(harness.url).get('/?notice=%3Cscript%3Ealert(1)%3C/script%3E').expect(200)).text;
    expect(page).not.toContain('data-testid="notice"');
    expect(page).not.toContain('<script>');
    for (const key of ['constructor', '__proto__', 'toString']) {
      expect((await request(harness.url).get(`/?notice=${key}`).expect(200)).text).not.toContain('data-testid="notice"');
    }
  });
});

describe('/me', () => {
  it('answers 401 JSON without a session, and with a forged or tampered JWT', async () => {
    const expected = { statusCode: 401, message: 'You are not signed in (or your session expired).' };
    expect((await request(harness.url).get('/me').expect(401)).body).toEqual(expected);
    const { sessionCookie } = await login('kakao', 'kakao-full');
    const jwt = sessionCookie.split(';')[0]?.split('=')[1] ?? '';
    const [header, payload, signature] = jwt.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ ...jwtClaims(jwt), sub: '1' })).toString('base64url');
    await request(harness.url).get('/me').set('Cookie', `app_session=${header}.${forgedPayload}.${signature}`).expect(401, expected);
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${payload}.`;
    await request(harness.url).get('/me').set('Cookie', `app_session=${none}`).expect(401, expected);
  });
});

describe('login with Kakao (OpenID Connect on the emulator)', () => {
  it('redirects with state, PKCE and a nonce, keeps the transaction in a sealed cookie scoped to the callback', async () => {
    const start = await request(harness.url).get('/auth/kakao').expect(302);
    const location = new URL(String(start.headers['location']));
    expect(`${location.origin}${location.pathname}`).toBe(`${harness.emulator.url}/oauth/authorize`);
    expect(location.searchParams.get('client_id')).toBe('emulator-kakao-rest-api-key');
    expect(location.searchParams.get('redirect_uri')).toBe(`${harness.url}/auth/kakao/callback`);
    expect(location.searchParams.get('scope')).toBe('openid');
    expect(location.searchParams.get('code_challenge_method')).toBe('S256');
    expect(location.searchParams.get('nonce')).toMatch(/^[\w-]{20,}$/);
    expect(location.searchParams.has('prompt')).toBe(false);
    const state = location.searchParams.get('state') ?? '';
    expect(state).toMatch(/^[\w-]{32}$/);
    const cookie = cookieNamed(start.headers, 'oauth2_login');
    expect(cookie).toMatch(new RegExp(`^oauth2_login\\.${state}=[\\w-]*\\.\\.[\\w-]+\\.[\\w-]+\\.[\\w-]+; Max-Age=600; Path=/auth/kakao/callback; HttpOnly; SameSite=Lax$`));
    // No session middleware: the login cookie and the store's pending list are the only cookies.
    expect(setCookies(start.headers)).toEqual([expect.stringMatching(/^oauth2_login\.[\w-]{32}=/), expect.stringMatching(/^oauth2_login\.pending-7Cdj1c=[\w-]{32}~\d+; Max-Age=600; Path=\/;/)]);
  });

  it('calls back, starts the app session as a JWT cookie, and /me shows the token response', async () => {
    harness.emulator.setAutoApprove({ kakao: 'kakao-full' });
    const agent = request.agent(harness.url);
    const callback = await viaEmulator(await agent.get('/auth/kakao').expect(302));
    expect(callback).toMatch(/^\/auth\/kakao\/callback\?code=[^&]+&state=[\w-]+$/);
    const before = Date.now();
    const done = await agent.get(callback).expect(303).expect('location', '/');
    // The login cookie is cleared, the session cookie set: httpOnly, SameSite=Lax, the whole site, 12 hours.
    expect(cookieNamed(done.headers, 'oauth2_login')).toMatch(/^oauth2_login\.[\w-]+=; Max-Age=0; Path=\/auth\/kakao\/callback; HttpOnly; SameSite=Lax$/);
    const session = cookieNamed(done.headers, 'app_session') ?? '';
    expect(session).toMatch(/^app_session=[\w-]+\.[\w-]+\.[\w-]+; Max-Age=43200; Path=\/; Expires=[^;]+; HttpOnly; SameSite=Lax$/);
    const claims = jwtClaims(session.split(';')[0]?.slice('app_session='.length) ?? '');
    expect(Object.keys(claims).sort()).toEqual(['auth_time', 'exp', 'iat', 'name', 'prv', 'rexp', 'scp', 'sub', 'tok']);
    expect(claims).toMatchObject({ sub: '4012345678', prv: 'kakao', name: '홍길동' });
    // The provider tokens are sealed: nothing in the claims reads as a token or as JSON.
    expect(Buffer.from(String(claims['tok']), 'base64url').toString('latin1')).not.toMatch(/accessToken|refreshToken/);

    const me = (await agent.get('/me').expect(200)).body;
    expect(me).toEqual({
      provider: 'kakao',
      id: '4012345678',
      displayName: '홍길동',
      scopes: expect.arrayContaining(['openid']),
      accessTokenExpiresAt: expect.any(String),
      refreshTokenExpiresAt: expect.any(String),
      authTime: expect.any(String),
    });
    // expires_in 21599 s and refresh_token_expires_in 5183999 s of the token response, as absolute times.
    expect(Date.parse(me.accessTokenExpiresAt) - before).toBeGreaterThan(21_590_000);
    expect(Date.parse(me.accessTokenExpiresAt) - Date.now()).toBeLessThanOrEqual(21_599_000);
    expect(Date.parse(me.refreshTokenExpiresAt) - before).toBeGreaterThan(5_183_990_000);
    // auth_time of the verified id_token.
    expect(Math.abs(Date.parse(me.authTime) - before)).toBeLessThan(60_000);
    expect((await agent.get('/').expect(200)).text).toContain('Signed in with Kakao as <strong data-testid="display-name">홍길동</strong>');
  });

  it('passes ?prompt=login and ?service_terms through to the authorize URL, and nothing else from the query', async () => {
    const withPrompt = new URL(String((await request(harness.url).get('/auth/kakao?prompt=login&service_terms=terms_a,terms_b').expect(302)).headers['location']));
    expect(withPrompt.searchParams.get('prompt')).toBe('login');
    expect(withPrompt.searchParams.get('service_terms')).toBe('terms_a,terms_b');
    const junk = new URL(String((await request(harness.url).get('/auth/kakao?prompt=evil&service_terms=a%20b&scope=talk_message&login_hint=x').expect(302)).headers['location']));
    expect(junk.searchParams.has('prompt')).toBe(false);
    expect(junk.searchParams.has('service_terms')).toBe(false);
    expect(junk.searchParams.has('login_hint')).toBe(false);
    expect(junk.searchParams.get('scope')).toBe('openid');
  });
});

describe('login with Naver', () => {
  it('calls back, starts the app session, and /me shows the user', async () => {
    const { agent, sessionCookie } = await login('naver', 'naver-full');
    expect(sessionCookie).toMatch(/; HttpOnly; SameSite=Lax$/);
    const me = (await agent.get('/me').expect(200)).body;
    expect(me).toEqual({
      provider: 'naver',
      id: naverUserId('emulatorNaverClientId', naverFull),
      displayName: 'OpenAPI',
      accessTokenExpiresAt: expect.any(String),
    });
    // Naver's expires_in is the string "3600"; the strategy hands validate() a number.
    expect(Date.parse(me.accessTokenExpiresAt) - Date.now()).toBeGreaterThan(3_590_000);
    expect(Date.parse(me.accessTokenExpiresAt) - Date.now()).toBeLessThanOrEqual(3_600_000);
  });

  it('passes ?auth_type=reprompt, and ?prompt=login as auth_type=reauthenticate, to the authorize URL', async () => {
    const reprompt = new URL(String((await request(harness.url).get('/auth/naver?auth_type=reprompt').expect(302)).headers['location']));
    expect(`${reprompt.origin}${reprompt.pathname}`).toBe(`${harness.emulator.url}/oauth2.0/authorize`);
    expect(reprompt.searchParams.get('auth_type')).toBe('reprompt');
    const login = new URL(String((await request(harness.url).get('/auth/naver?prompt=login').expect(302)).headers['location']));
    expect(login.searchParams.get('auth_type')).toBe('reauthenticate');
    const plain = new URL(String((await request(harness.url).get('/auth/naver?auth_type=other').expect(302)).headers['location']));
    expect(plain.searchParams.has('auth_type')).toBe(false);
  });
});

describe.each([
  ['kakao', 'kakao-full', 'Kakao'],
  ['naver', 'naver-full', 'Naver'],
] as const)('%s: failures land on a page with a reason code', (provider, user, label) => {
  it('Cancel: 401, access_denied, the login cookie cleared', async () => {
    const agent = request.agent(harness.url);
    const start = await agent.get(`/auth/${provider}`).expect(302);
    const consent = await (await fetch(String(start.headers['location']))).text();
    const transaction = /name="transaction" value="([^"]+)"/.exec(consent)?.[1] ?? '';
    const decision = await fetch(`${harness.emulator.url}/__emulator/decision`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ transaction, user, decision: 'cancel' }).toString(),
    });
    const back = new URL(decision.headers.get('location') ?? '');
    expect(back.searchParams.get('error')).toBe('access_denied');
    const page = await agent.get(back.pathname + back.search).expect(401).expect('content-type', 'text/html; charset=utf-8');
    expect(page.text).toContain(`<h1 data-testid="failure-title">${label} login did not complete</h1>`);
    expect(page.text).toContain('You cancelled the login, or did not agree to share your profile.');
    expect(failureCode(page.text)).toBe('access_denied');
    expect(cookieNamed(page.headers, 'oauth2_login')).toMatch(/=; Max-Age=0; /);
    expect(cookieNamed(page.headers, 'app_session')).toBeUndefined();
    expectNoInternals(page.text);
  });

  it('a forged state: 403, STATE_MISMATCH; no state: 403, STATE_MISSING; no token request either way', async () => {
    const agent = request.agent(harness.url);
    await agent.get(`/auth/${provider}`).expect(302);
    const tokenRequests = harness.emulator.requestCounts()[`${provider}.token`] ?? 0;
    const forged = await agent.get(`/auth/${provider}/callback?code=stolen-code&state=forgedstate123`).expect(403);
    expect(failureCode(forged.text)).toBe('STATE_MISMATCH');
    expect(forged.text).toContain('could not be matched to this browser');
    const missing = await agent.get(`/auth/${provider}/callback?code=stolen-code`).expect(403);
    expect(failureCode(missing.text)).toBe('STATE_MISSING');
    expect(harness.emulator.requestCounts()[`${provider}.token`] ?? 0).toBe(tokenRequests);
    expectNoInternals(forged.text);
  });

  it('a provider error redirect: its code when OAuth defines it, provider_error for any other text in the URL', async () => {
    const standard = await request(harness.url).get(`/auth/${provider}/callback?error=consent_required&state=x`).expect(502);
    expect(failureCode(standard.text)).toBe('consent_required');
    const forged = encodeURIComponent('Your account is locked. Call +82-10-0000-0000');
    const page = await request(harness.url).get(`/auth/${provider}/callback?error=${forged}&state=x`).expect(502);
    expect(failureCode(page.text)).toBe('provider_error');
    expect(page.text).not.toContain('locked');
  });

  it('a genuine state replayed in another browser (without its cookie): 403, STATE_MISMATCH', async () => {
    harness.emulator.setAutoApprove({ [provider]: user });
    const callback = await viaEmulator(await request(harness.url).get(`/auth/${provider}`).expect(302));
    const page = await request(harness.url).get(callback).expect(403);
    expect(failureCode(page.text)).toBe('STATE_MISMATCH');
  });

  it('a provider error (token endpoint answering 502 HTML): 502, INVALID_RESPONSE, no stack trace', async () => {
    harness.emulator.setAutoApprove({ [provider]: user });
    harness.emulator.injectFault(`${provider}.token`, { status: 502, body: '<html>upstream down</html>', times: 1 });
    const agent = request.agent(harness.url);
    const callback = await viaEmulator(await agent.get(`/auth/${provider}`).expect(302));
    const page = await agent.get(callback).expect(502).expect('content-type', 'text/html; charset=utf-8');
    expect(page.text).toContain('The provider sent an answer this app could not read.');
    expect(failureCode(page.text)).toBe('INVALID_RESPONSE');
    expect(page.text).not.toContain('upstream down');
    expect(cookieNamed(page.headers, 'app_session')).toBeUndefined();
    expectNoInternals(page.text);
  });

  it('a provider that does not answer in time: 502, TIMEOUT', async () => {
    harness.emulator.setAutoApprove({ [provider]: user });
    harness.emulator.injectFault(`${provider}.me`, { hang: true, times: 1 });
    const agent = request.agent(harness.url);
    const callback = await viaEmulator(await agent.get(`/auth/${provider}`).expect(302));
    const page = await agent.get(callback).expect(502);
    expect(failureCode(page.text)).toBe('TIMEOUT');
    expect(page.text).toContain('The provider did not answer in time.');
  });

  it('a reused code (the callback reloaded): 502 with the provider\'s code', async () => {
    harness.emulator.setAutoApprove({ [provider]: user });
    const agent = request.agent(harness.url);
    const start = await agent.get(`/auth/${provider}`).expect(302);
    const loginCookie = (cookieNamed(start.headers, 'oauth2_login') ?? '').split(';')[0] ?? '';
    const callback = await viaEmulator(start);
    await agent.get(callback).expect(303);
    // Replay with the login cookie put back: the state passes, the provider refuses the code.
    const page = await request(harness.url).get(callback).set('Cookie', loginCookie).expect(502);
    expect(failureCode(page.text)).toBe(provider === 'kakao' ? 'KOE320' : 'invalid_request');
    expect(page.text).toContain('already used or has expired');
    expect(page.text).not.toMatch(/code=[^&\s<]{6,}/);
  });
});

describe('errors thrown by validate()', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('an HttpException reaches the filter with its status and the app\'s own message', async () => {
    vi.spyOn(KakaoStrategy.prototype, 'validate').mockRejectedValueOnce(new ForbiddenException('This account is suspended.'));
    harness.emulator.setAutoApprove({ kakao: 'kakao-full' });
    const agent = request.agent(harness.url);
    const page = await agent.get(await viaEmulator(await agent.get('/auth/kakao').expect(302))).expect(403);
    expect(page.text).toContain('<p data-testid="failure-what">This account is suspended.</p>');
    expect(failureCode(page.text)).toBe('HTTP_403');
    expect(cookieNamed(page.headers, 'app_session')).toBeUndefined();
  });

  it('any other error: 500, INTERNAL_ERROR, its message kept off the page', async () => {
    vi.spyOn(KakaoStrategy.prototype, 'validate').mockRejectedValueOnce(new Error('database password=hunter2 refused'));
    harness.emulator.setAutoApprove({ kakao: 'kakao-full' });
    const agent = request.agent(harness.url);
    const page = await agent.get(await viaEmulator(await agent.get('/auth/kakao').expect(302))).expect(500);
    expect(failureCode(page.text)).toBe('INTERNAL_ERROR');
    expect(page.text).not.toContain('hunter2');
    expectNoInternals(page.text);
  });
});

describe.each([
  ['kakao', 'kakao-full', 'kakao.unlink', 'unlinked from your Kakao account'],
  ['naver', 'naver-full', 'naver.revoke', 'Naver tokens are revoked'],
] as const)('%s: account deletion', (provider, user, endpoint, notice) => {
  it('unlinks or revokes at the provider, clears the session cookie, and the old tokens are dead', async () => {
    const { agent, sessionCookie } = await login(provider, user);
    const jwt = sessionCookie.split(';')[0]?.slice('app_session='.length) ?? '';
    const session = await harness.app.get(SessionService).read({ cookies: { app_session: jwt } });
    const accessToken = session?.tokens.accessToken ?? '';
    const profileURL = `${harness.emulator.url}${provider === 'kakao' ? '/v2/user/me' : '/v1/nid/me'}`;
    const profile = () => fetch(profileURL, { headers: { Authorization: `Bearer ${accessToken}` } });
    expect((await profile()).status).toBe(200);
    const before = harness.emulator.requestCounts()[endpoint] ?? 0;
    const done = await agent.post('/account/delete').set('Origin', harness.url).expect(303).expect('location', `/?notice=${provider}-deleted`);
    expect(harness.emulator.requestCounts()[endpoint]).toBe(before + 1);
    expect(cookieNamed(done.headers, 'app_session')).toMatch(/^app_session=; Path=\/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax$/);
    await agent.get('/me').expect(401);
    expect((await agent.get(`/?notice=${provider}-deleted`).expect(200)).text).toContain(notice);
    // The provider no longer takes the access token the session held.
    expect((await profile()).status).toBe(401);
  });

  it('counts a link the user already removed at the provider as deleted: the cookie is cleared, no error page', async () => {
    const { agent } = await login(provider, user);
    await harness.emulator.unlinkApp(provider, user);
    const done = await agent.post('/account/delete').set('Origin', harness.url).expect(303).expect('location', `/?notice=${provider}-deleted`);
    expect(cookieNamed(done.headers, 'app_session')).toMatch(/^app_session=; /);
    await agent.get('/me').expect(401);
  });

  it('counts it as deleted too when the expired access token\'s refresh is refused because the link is gone', async () => {
    const { agent } = await login(provider, user);
    await harness.emulator.unlinkApp(provider, user);
    const tokenRequests = harness.emulator.requestCounts()[`${provider}.token`] ?? 0;
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 7 * 3600 * 1000);
    await agent.post('/account/delete').set('Origin', harness.url).expect(303).expect('location', `/?notice=${provider}-deleted`);
    expect(harness.emulator.requestCounts()[`${provider}.token`]).toBe(tokenRequests + 1);
  });

  it('refreshes an expired access token first', async () => {
    const { agent } = await login(provider, user);
    const tokenRequests = harness.emulator.requestCounts()[`${provider}.token`] ?? 0;
    // Seven hours later: past Kakao's 6 h and Naver's 1 h access tokens, within the 12 h session.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 7 * 3600 * 1000);
    await agent.post('/account/delete').set('Origin', harness.url).expect(303).expect('location', `/?notice=${provider}-deleted`);
    expect(harness.emulator.requestCounts()[`${provider}.token`]).toBe(tokenRequests + 1);
  });

  it('refuses a cross-site POST (CSRF): 403, CSRF_ORIGIN, nothing sent to the provider', async () => {
    const { agent } = await login(provider, user);
    const before = harness.emulator.requestCounts()[endpoint] ?? 0;
    const evil = await agent.post('/account/delete').set('Origin', 'https://evil.example').expect(403);
    expect(failureCode(evil.text)).toBe('CSRF_ORIGIN');
    const noOrigin = await agent.post('/account/delete').expect(403);
    expect(failureCode(noOrigin.text)).toBe('CSRF_ORIGIN');
    const badReferer = await agent.post('/account/delete').set('Referer', 'https://evil.example/page').expect(403);
    expect(failureCode(badReferer.text)).toBe('CSRF_ORIGIN');
    expect(harness.emulator.requestCounts()[endpoint] ?? 0).toBe(before);
    // The same-origin Referer is accepted when a browser sends no Origin.
    await agent.post('/account/delete').set('Referer', `${harness.url}/`).expect(303);
  });
});

describe('logout and deletion without a session', () => {
  it('deletion without a session: 401 page NOT_SIGNED_IN', async () => {
    const page = await request(harness.url).post('/account/delete').set('Origin', harness.url).expect(401);
    expect(failureCode(page.text)).toBe('NOT_SIGNED_IN');
  });

  it('logout clears the session cookie', async () => {
    const { agent } = await login('kakao', 'kakao-full');
    const done = await agent.post('/logout').set('Origin', harness.url).expect(303).expect('location', '/?notice=logged-out');
    expect(cookieNamed(done.headers, 'app_session')).toMatch(/^app_session=; Path=\/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax$/);
    await agent.get('/me').expect(401);
  });
});
