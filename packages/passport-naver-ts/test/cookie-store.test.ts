/**
 * CookieStateStore with the Naver strategy, in Express 5 with no session middleware: exact cookie attributes, the
 * state carried to the code exchange, the cookie cleared on every callback outcome, and bad cookies refused as 403
 * Passport failures with stable codes. Naver is strict nock.
 */
import { loginCookiePattern, useLoginCookieWatch, useStrictNock } from '@passport-korea/internal/testing';
import express from 'express';
import nock from 'nock';
import passport from 'passport';
import request from 'supertest';
import { describe, expect, it, vi } from 'vitest';
import { CookieStateStore, Strategy } from '../src/index.js';
import type { NaverProfile, NaverStrategyOptions, NaverTokenResponse, NaverVerifyCallback } from '../src/index.js';
import { TOKEN_RESPONSE_DOC, USER_FULL_DOC } from './fixtures/naver.js';
import { ACCESS_TOKEN, CALLBACK_URL, CLIENT_ID, CLIENT_SECRET, NID, OPENAPI } from './helpers.js';

useStrictNock();

const SECRET = 'naver-cookie-test-secret-0123456789abcdefgh';
const CALLBACK_PATH = '/auth/naver/callback';
const LOGIN_COOKIE = loginCookiePattern(CALLBACK_PATH, true);
const cleared = (name: string) => `${name}=; Max-Age=0; Path=${CALLBACK_PATH}; HttpOnly; Secure; SameSite=Lax`;

/** Login cookies the test saw; no console line may carry a piece of one (checked after each test). */
const seen = { cookies: useLoginCookieWatch() };

interface Outcome {
  err: unknown;
  user: unknown;
  info: unknown;
  status: unknown;
}

function makeApp(store: CookieStateStore, options: Partial<NaverStrategyOptions> = {}, configure?: (app: express.Express) => void) {
  const calls: string[] = [];
  const outcomes: Outcome[] = [];
  const authenticator = new passport.Passport();
  authenticator.use(
    new Strategy(
      { clientID: CLIENT_ID, clientSecret: CLIENT_SECRET, callbackURL: CALLBACK_URL, store, ...options },
      (_a: string, _r: string, _params: NaverTokenResponse, profile: NaverProfile, done: NaverVerifyCallback) => {
        calls.push(profile.id);
        done(null, { id: profile.id });
      },
    ),
  );
  const app = express();
  configure?.(app);
  app.get('/auth/naver', authenticator.authenticate('naver', { session: false }));
  app.get(CALLBACK_PATH, (req, res, next) => {
    authenticator.authenticate('naver', { session: false }, (err: unknown, user: unknown, info: unknown, status: unknown) => {
      outcomes.push({ err, user, info, status });
      if (err) return next(err);
      if (!user) return res.status(typeof status === 'number' ? status : 401).json({ info });
      res.json({ user });
    })(req, res, next);
  });
  app.use((error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    res.status(500).json({ name: error.name, code: (error as { code?: unknown }).code });
  });
  return { app, calls, outcomes };
}

function setCookies(response: request.Response): string[] {
  const header = response.headers['set-cookie'] as unknown;
  return header === undefined ? [] : Array.isArray(header) ? (header as string[]) : [String(header)];
}

async function start(app: express.Express, headers: Record<string, string> = {}) {
  const response = await request(app).get('/auth/naver').set(headers).expect(302);
  const location = new URL(response.headers['location'] as string);
  const [raw, ...others] = setCookies(response);
  const state = location.searchParams.get('state')!;
  // Beside the login's cookie, only the pending list that names it (a cookie of its own, pinned in its own tests).
  expect(others).toHaveLength(1);
  expect(others[0]).toMatch(new RegExp(`^[\\w-]+\\.pending-[\\w-]{6}=(?:[^;]*\\|)?${state}~\\d+; Max-Age=\\d+; Path=/; HttpOnly;( Secure;)? SameSite=Lax$`));
  const match = LOGIN_COOKIE.exec(raw ?? '');
  expect(match, `Set-Cookie: ${raw}`).not.toBeNull();
  expect(match![1]).toBe(state);
  seen.cookies.add(match![2]!);
  return { state, location, name: `oauth2_login.${state}`, value: match![2]!, pair: `oauth2_login.${state}=${match![2]!}`, raw: raw! };
}

function callback(app: express.Express, query: Record<string, string>, cookie?: string) {
  const call = request(app).get(`${CALLBACK_PATH}?${new URLSearchParams(query)}`);
  return cookie === undefined ? call : call.set('Cookie', cookie);
}

/** Mocks Naver's token exchange (capturing its form) and profile. */
function mockNaver() {
  const captured: { form?: Record<string, string> } = {};
  nock(NID)
    .post(/^\/oauth2\.0\/token/, (body: Record<string, string>) => {
      captured.form = body;
      return true;
    })
    .reply(200, TOKEN_RESPONSE_DOC);
  nock(OPENAPI).get('/v1/nid/me').matchHeader('authorization', `Bearer ${ACCESS_TOKEN}`).reply(200, USER_FULL_DOC);
  return captured;
}

function expectRefused(response: request.Response, made: ReturnType<typeof makeApp>, code: string) {
  expect(response.status).toBe(403);
  expect(made.outcomes).toHaveLength(1);
  expect(made.outcomes[0]).toEqual({ err: null, user: false, info: { code, message: expect.any(String) }, status: 403 });
  expect(response.body).toEqual({ info: made.outcomes[0]!.info });
  expect(made.calls, 'the verify callback must not run').toEqual([]);
}

describe('a Naver login without sessions', () => {
  it('completes, sending the state from the cookie with the code exchange, and clears the cookie', async () => {
    const made = makeApp(new CookieStateStore({ secret: SECRET }));
    const login = await start(made.app);
    expect(login.location.origin + login.location.pathname).toBe(`${NID}/oauth2.0/authorize`);
    const captured = mockNaver();
    const response = await callback(made.app, { code: 'c0de', state: login.state }, login.pair).expect(200);
    expect(response.body).toEqual({ user: { id: '32742776' } });
    expect(captured.form).toMatchObject({ grant_type: 'authorization_code', code: 'c0de', state: login.state });
    expect(setCookies(response)).toEqual([cleared(login.name)]);
  });

  it('sets the cookie HttpOnly, SameSite=Lax, Path = the callback path, Max-Age=600, Secure over HTTPS or for an https callback', async () => {
    const made = makeApp(new CookieStateStore({ secret: SECRET }), { callbackURL: `http://app.example.com${CALLBACK_PATH}` }, (app) => app.set('trust proxy', true));
    const [plain] = setCookies(await request(made.app).get('/auth/naver').expect(302));
    expect(plain).toMatch(loginCookiePattern(CALLBACK_PATH));
    seen.cookies.add(/=([^;]+)/.exec(plain!)![1]!);
    // The default callback URL of these tests is https: Secure, though the request came over plain HTTP.
    expect((await start(makeApp(new CookieStateStore({ secret: SECRET })).app)).raw).toMatch(/; HttpOnly; Secure; SameSite=Lax$/);
    const [secure] = setCookies(await request(made.app).get('/auth/naver').set('X-Forwarded-Proto', 'https').expect(302));
    expect(secure).toMatch(/^oauth2_login\.[A-Za-z0-9_-]{32}=[^;]+; Max-Age=600; Path=\/auth\/naver\/callback; HttpOnly; Secure; SameSite=Lax$/);
    seen.cookies.add(/=([^;]+)/.exec(secure!)![1]!);
  });

  it('clears the cookie when Naver redirects back with ?error=access_denied and the state', async () => {
    const made = makeApp(new CookieStateStore({ secret: SECRET }));
    const login = await start(made.app);
    const response = await callback(made.app, { error: 'access_denied', error_description: 'Canceled By User', state: login.state }, login.pair).expect(401);
    expect(response.body).toEqual({ info: { message: 'Canceled By User', code: 'ACCESS_DENIED', error: 'access_denied' } });
    expect(setCookies(response)).toEqual([cleared(login.name)]);
    expect(made.calls).toEqual([]);
  });

  it('lets two logins in two tabs both complete', async () => {
    const made = makeApp(new CookieStateStore({ secret: SECRET }));
    const first = await start(made.app);
    const second = await start(made.app);
    mockNaver();
    await callback(made.app, { code: 'c2', state: second.state }, `${first.pair}; ${second.pair}`).expect(200);
    mockNaver();
    await callback(made.app, { code: 'c1', state: first.state }, first.pair).expect(200);
    expect(made.calls).toEqual(['32742776', '32742776']);
  });
});

describe('bad input: a 403 Passport failure, never an error', () => {
  it('refuses a tampered cookie: STATE_INVALID, and clears it', async () => {
    const made = makeApp(new CookieStateStore({ secret: SECRET }));
    const login = await start(made.app);
    const parts = login.value.split('.');
    parts[4] = (parts[4]![0] === 'A' ? 'B' : 'A') + parts[4]!.slice(1);
    const response = await callback(made.app, { code: 'c0de', state: login.state }, `${login.name}=${parts.join('.')}`);
    expectRefused(response, made, 'STATE_INVALID');
    expect(setCookies(response)).toEqual([cleared(login.name)]);
  });

  it('refuses a cookie sealed under a secret rotated out: STATE_INVALID; opens it while the old secret is listed', async () => {
    const old = makeApp(new CookieStateStore({ secret: 'an-old-naver-login-cookie-secret-0123456789' }));
    const login = await start(old.app);
    const rotated = makeApp(new CookieStateStore({ secret: SECRET }));
    expectRefused(await callback(rotated.app, { code: 'c0de', state: login.state }, login.pair), rotated, 'STATE_INVALID');
    const listed = makeApp(new CookieStateStore({ secret: [SECRET, 'an-old-naver-login-cookie-secret-0123456789'] }));
    mockNaver();
    await callback(listed.app, { code: 'c0de', state: login.state }, login.pair).expect(200);
  });

  it('refuses another browser\'s login (STATE_MISMATCH) and a callback with no cookie (STATE_MISMATCH) or no state (STATE_MISSING)', async () => {
    const made = makeApp(new CookieStateStore({ secret: SECRET }));
    const victim = await start(made.app);
    const attacker = await start(made.app);
    expectRefused(await callback(made.app, { code: 'c0de', state: attacker.state }, victim.pair), made, 'STATE_MISMATCH');
    made.outcomes.length = 0;
    expectRefused(await callback(made.app, { code: 'c0de', state: victim.state }), made, 'STATE_MISMATCH');
    made.outcomes.length = 0;
    expectRefused(await callback(made.app, { code: 'c0de' }, victim.pair), made, 'STATE_MISSING');
  });

  it('refuses the browser\'s replay after a successful login (its cookie cleared): STATE_MISMATCH', async () => {
    const made = makeApp(new CookieStateStore({ secret: SECRET }));
    const login = await start(made.app);
    mockNaver();
    await callback(made.app, { code: 'c0de', state: login.state }, login.pair).expect(200);
    made.outcomes.length = 0;
    made.calls.length = 0;
    expectRefused(await callback(made.app, { code: 'c0de', state: login.state }), made, 'STATE_MISMATCH');
  });

  it('refuses an expired cookie: STATE_EXPIRED', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-03-01T00:00:00Z') });
    try {
      const made = makeApp(new CookieStateStore({ secret: SECRET }));
      const login = await start(made.app);
      vi.setSystemTime(new Date('2026-03-01T00:10:01Z'));
      expectRefused(await callback(made.app, { code: 'c0de', state: login.state }, login.pair), made, 'STATE_EXPIRED');
    } finally {
      vi.useRealTimers();
    }
  });

  it('refuses oversized and garbage cookies: STATE_INVALID', async () => {
    const made = makeApp(new CookieStateStore({ secret: SECRET }));
    const login = await start(made.app);
    for (const value of [login.value + 'A'.repeat(4096), 'garbage', '..', login.value.replace(/\.[^.]+$/, '')]) {
      made.outcomes.length = 0;
      expectRefused(await callback(made.app, { code: 'c0de', state: login.state }, `${login.name}=${value}`), made, 'STATE_INVALID');
    }
  });

  it('refuses a cookie sealed for Kakao (same secret, client id and callback URL) under the right name: STATE_INVALID', async () => {
    const store = new CookieStateStore({ secret: SECRET });
    // What the Kakao strategy seals: the same transaction bound to Kakao's authorize URL.
    const headers: Record<string, string[]> = {};
    const res = { getHeader: (name: string) => headers[name.toLowerCase()], setHeader: (name: string, value: string[]) => void (headers[name.toLowerCase()] = value) };
    const handle = await new Promise<string>((resolve, reject) =>
      store.store({ headers: {}, res } as never, 'verifier', { passportKorea: 1 }, { clientID: CLIENT_ID, authorizationURL: 'https://kauth.kakao.com/oauth/authorize', tokenURL: 'https://kauth.kakao.com/oauth/token', callbackURL: CALLBACK_URL }, (err, value) =>
        err ? reject(err as Error) : resolve(value!),
      ),
    );
    const [raw] = headers['set-cookie']!;
    const match = LOGIN_COOKIE.exec(raw!)!;
    expect(match[1]).toBe(handle);
    seen.cookies.add(match[2]!);
    const made = makeApp(store);
    expectRefused(await callback(made.app, { code: 'c0de', state: handle }, `oauth2_login.${handle}=${match[2]!}`), made, 'STATE_INVALID');
  });

  it('throws a TypeError at construction for a missing or short secret', () => {
    expect(() => new CookieStateStore({} as never)).toThrow(TypeError);
    expect(() => new CookieStateStore({ secret: 'x'.repeat(31) })).toThrow(new TypeError('CookieStateStore: secret must be at least 32 bytes (it has 31)'));
    expect(() => new CookieStateStore({ secret: [SECRET, 'x'.repeat(31)] })).toThrow(TypeError);
  });
});
