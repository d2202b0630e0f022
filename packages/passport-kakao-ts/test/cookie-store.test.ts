/**
 * CookieStateStore with the Kakao strategy, in Express 5 with no session middleware: the cookie's attributes, every
 * kind of bad cookie refused as a 403 Passport failure with a stable code, secret checks and rotation, two tabs, and
 * OpenID Connect (the nonce in the cookie) through the emulator. Kakao is nock (strict) or the emulator on 127.0.0.1.
 */
import { createCipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { loginCookiePattern, useLoginCookieWatch, useStrictNock } from '@passport-korea/internal/testing';
import express from 'express';
import { EncryptJWT, decodeProtectedHeader, jwtDecrypt } from 'jose';
import { startEmulator } from 'kakao-naver-emulator';
import type { Emulator } from 'kakao-naver-emulator';
import nock from 'nock';
import passport from 'passport';
import { CookieStateStore as NaverCookieStateStore, Strategy as NaverStrategy } from 'passport-naver-ts';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { CookieStateStore, KakaoIdTokenError, Strategy } from '../src/index.js';
import type { KakaoProfile, KakaoStrategyOptions, KakaoTokenResponse, KakaoVerifyCallback } from '../src/index.js';
import { TOKEN_RESPONSE_REST_OBS, USER_FULL_CONSENT_DOC } from './fixtures/kakao.js';
import { CALLBACK_URL, CLIENT_ID, CLIENT_SECRET, KAPI, KAUTH } from './helpers.js';

useStrictNock();

const SECRET = 'kakao-cookie-test-secret-0123456789abcdef';
const OLD_SECRET = 'the-previous-login-cookie-secret-0123456789';
const CALLBACK_PATH = '/auth/kakao/callback';
/** One login's Set-Cookie, exactly: `oauth2_login.<state>=<JWE>; Max-Age=600; Path=<callback path>; HttpOnly; SameSite=Lax`. */
const LOGIN_COOKIE = loginCookiePattern(CALLBACK_PATH, true);
/** The callback URL over plain HTTP (a local app): its login cookie is not `Secure`. */
const PLAIN_CALLBACK_URL = `http://app.example.com${CALLBACK_PATH}`;

/** Login cookies the test saw; no console line may carry a piece of one (checked after each test). */
const seen = { cookies: useLoginCookieWatch() };

/** What Passport handed the route's custom callback. */
interface Outcome {
  err: unknown;
  user: unknown;
  info: unknown;
  status: unknown;
}

/**
 * An Express 5 app with no session middleware and the cookie store, the way "Without sessions" shows it. The callback
 * route records Passport's outcome and answers it as JSON: 200 (user), the failure's status (info), or 500 (error).
 */
function makeApp(store: CookieStateStore, options: Partial<KakaoStrategyOptions> = {}, configure?: (app: express.Express) => void) {
  const calls: string[] = [];
  const outcomes: Outcome[] = [];
  const authenticator = new passport.Passport();
  authenticator.use(
    new Strategy(
      { clientID: CLIENT_ID, clientSecret: CLIENT_SECRET, callbackURL: CALLBACK_URL, store, ...options },
      (_a: string, _r: string, _params: KakaoTokenResponse, profile: KakaoProfile, done: KakaoVerifyCallback) => {
        calls.push(profile.id);
        done(null, { id: profile.id });
      },
    ),
  );
  const app = express();
  configure?.(app);
  app.get('/auth/kakao', authenticator.authenticate('kakao', { session: false }));
  app.get(CALLBACK_PATH, (req, res, next) => {
    authenticator.authenticate('kakao', { session: false }, (err: unknown, user: unknown, info: unknown, status: unknown) => {
      outcomes.push({ err, user, info, status });
      if (err) return next(err);
      if (!user) return res.status(typeof status === 'number' ? status : 401).json({ info });
      res.json({ user });
    })(req, res, next);
  });
  app.get('/auth/kakao/big', authenticator.authenticate('kakao', { session: false, state: { note: 'x'.repeat(1200) } } as object));
  app.get('/plain/callback', authenticator.authenticate('kakao', { session: false }), (_req, res) => {
    res.json({ ok: true });
  });
  app.use((error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    res.status(500).json({ name: error.name, code: (error as { code?: unknown }).code });
  });
  return { app, calls, outcomes };
}

/** The Set-Cookie headers of a response. */
function setCookies(response: request.Response): string[] {
  const header = response.headers['set-cookie'] as unknown;
  return header === undefined ? [] : Array.isArray(header) ? (header as string[]) : [String(header)];
}

/** Starts a login: the state sent to Kakao and the login's cookie, checked attribute by attribute. */
type Target = Parameters<typeof request>[0];

async function start(app: Target, headers: Record<string, string> = {}, pattern = LOGIN_COOKIE) {
  const response = await request(app).get('/auth/kakao').set(headers).expect(302);
  const location = new URL(response.headers['location'] as string);
  const [raw, ...others] = setCookies(response);
  const state = location.searchParams.get('state')!;
  // Beside the login's cookie, only the pending list that names it (a cookie of its own, pinned in its own tests).
  expect(others).toHaveLength(1);
  expect(others[0]).toMatch(new RegExp(`^[\\w-]+\\.pending-[\\w-]{6}=(?:[^;]*\\|)?${state}~\\d+; Max-Age=\\d+; Path=/; HttpOnly;( Secure;)? SameSite=Lax$`));
  const match = pattern.exec(raw ?? '');
  expect(match, `Set-Cookie: ${raw}`).not.toBeNull();
  expect(match![1]).toBe(state);
  seen.cookies.add(match![2]!);
  return { state, location, name: `oauth2_login.${state}`, value: match![2]!, pair: `oauth2_login.${state}=${match![2]!}`, raw: raw! };
}

function mockKakaoLogin() {
  nock(KAUTH).post('/oauth/token').reply(200, TOKEN_RESPONSE_REST_OBS);
  nock(KAPI).get('/v2/user/me').query(true).reply(200, USER_FULL_CONSENT_DOC);
}

/** The callback as the browser sends it back, with `cookie` as its Cookie header (none when undefined). */
function callback(app: Target, query: Record<string, string>, cookie?: string, path = CALLBACK_PATH) {
  const call = request(app).get(`${path}?${new URLSearchParams(query)}`);
  return cookie === undefined ? call : call.set('Cookie', cookie);
}

/** Asserts the callback was a 403 Passport failure with `code`, never an error, and that verify never ran. */
function expectRefused(response: request.Response, made: { outcomes: Outcome[]; calls: string[] }, code: string) {
  expect(response.status).toBe(403);
  expect(made.outcomes).toHaveLength(1);
  const [outcome] = made.outcomes;
  expect(outcome!.err).toBeNull();
  expect(outcome!.user).toBe(false);
  expect(outcome!.status).toBe(403);
  expect(outcome!.info).toEqual({ code, message: expect.any(String) });
  expect(response.body).toEqual({ info: outcome!.info });
  expect(made.calls, 'the verify callback must not run').toEqual([]);
  for (const cookie of seen.cookies) expect(JSON.stringify(response.body)).not.toContain(cookie.split('.')[3]!.slice(0, 16));
}

/** The Set-Cookie that clears `name`, exactly. */
const cleared = (name: string, path = CALLBACK_PATH, secure = true) => `${name}=; Max-Age=0; Path=${path}; HttpOnly;${secure ? ' Secure;' : ''} SameSite=Lax`;

describe('a login without sessions', () => {
  it('completes: the state and verifier come back from the cookie, which the callback clears', async () => {
    const made = makeApp(new CookieStateStore({ secret: SECRET }));
    const login = await start(made.app);
    expect(login.location.searchParams.get('code_challenge_method')).toBe('S256');
    let verifierSent: string | undefined;
    nock(KAUTH)
      .post('/oauth/token', (body: Record<string, string>) => {
        verifierSent = body['code_verifier'];
        return body['code'] === 'c0de';
      })
      .reply(200, TOKEN_RESPONSE_REST_OBS);
    nock(KAPI).get('/v2/user/me').query(true).reply(200, USER_FULL_CONSENT_DOC);
    const response = await callback(made.app, { code: 'c0de', state: login.state }, login.pair).expect(200);
    expect(response.body).toEqual({ user: { id: '123456789' } });
    expect(made.calls).toEqual(['123456789']);
    // The verifier matches the challenge sent at the start.
    const { createHash } = await import('node:crypto');
    expect(createHash('sha256').update(verifierSent!).digest('base64url')).toBe(login.location.searchParams.get('code_challenge'));
    expect(setCookies(response)).toEqual([cleared(login.name)]);
  });

  it('answers a refusal with 403 under Passport\'s own failure handling too (no custom callback)', async () => {
    const made = makeApp(new CookieStateStore({ secret: SECRET }));
    await callback(made.app, { code: 'c0de', state: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }, undefined, '/plain/callback').expect(403);
    expect(made.calls).toEqual([]);
  });
});

describe('cookie attributes', () => {
  it('are HttpOnly, SameSite=Lax, Path = the callback path, Max-Age=600, and not Secure over plain HTTP', async () => {
    const made = makeApp(new CookieStateStore({ secret: SECRET }), { callbackURL: PLAIN_CALLBACK_URL });
    const [raw] = setCookies(await request(made.app).get('/auth/kakao').expect(302));
    expect(raw).toMatch(loginCookiePattern(CALLBACK_PATH));
    seen.cookies.add(/=([^;]+)/.exec(raw!)![1]!);
  });

  it('are Secure when the callback URL is https, though the request reached the app over plain HTTP (TLS ended at a proxy)', async () => {
    const made = makeApp(new CookieStateStore({ secret: SECRET }));
    const login = await start(made.app);
    expect(login.raw).toMatch(/; HttpOnly; Secure; SameSite=Lax$/);
    mockKakaoLogin();
    const response = await callback(made.app, { code: 'c0de', state: login.state }, login.pair).expect(200);
    expect(setCookies(response)).toEqual([`${login.name}=; Max-Age=0; Path=${CALLBACK_PATH}; HttpOnly; Secure; SameSite=Lax`]);
  });

  it('are Secure when the request came over HTTPS (req.secure, here through trust proxy)', async () => {
    const made = makeApp(new CookieStateStore({ secret: SECRET }), { callbackURL: PLAIN_CALLBACK_URL }, (app) => app.set('trust proxy', true));
    const response = await request(made.app).get('/auth/kakao').set('X-Forwarded-Proto', 'https').expect(302);
    const [raw] = setCookies(response);
    expect(raw).toMatch(/^oauth2_login\.[A-Za-z0-9_-]{32}=[^;]+; Max-Age=600; Path=\/auth\/kakao\/callback; HttpOnly; Secure; SameSite=Lax$/);
    seen.cookies.add(/=([^;]+)/.exec(raw!)![1]!);
    // Without trust proxy, the same header does not make the request HTTPS.
    const plain = makeApp(new CookieStateStore({ secret: SECRET }), { callbackURL: PLAIN_CALLBACK_URL });
    const [insecure] = setCookies(await request(plain.app).get('/auth/kakao').set('X-Forwarded-Proto', 'https').expect(302));
    expect(insecure).not.toMatch(/Secure/);
    seen.cookies.add(/=([^;]+)/.exec(insecure!)![1]!);
  });

  it('are Secure when configured (secure: true), and never with secure: false even over HTTPS', async () => {
    const secure = makeApp(new CookieStateStore({ secret: SECRET, secure: true }));
    const [on] = setCookies(await request(secure.app).get('/auth/kakao').expect(302));
    expect(on).toMatch(/; HttpOnly; Secure; SameSite=Lax$/);
    const off = makeApp(new CookieStateStore({ secret: SECRET, secure: false }), {}, (app) => app.set('trust proxy', true));
    const [never] = setCookies(await request(off.app).get('/auth/kakao').set('X-Forwarded-Proto', 'https').expect(302));
    expect(never).toMatch(/; Path=\/auth\/kakao\/callback; HttpOnly; SameSite=Lax$/);
    for (const raw of [on, never]) seen.cookies.add(/=([^;]+)/.exec(raw!)![1]!);
  });

  it('take the path of a relative callbackURL, the cookieName, maxAge and path options', async () => {
    const relative = makeApp(new CookieStateStore({ secret: SECRET }), { callbackURL: '/auth/kakao/callback' });
    const [plain] = setCookies(await request(relative.app).get('/auth/kakao').expect(302));
    expect(plain).toMatch(loginCookiePattern(CALLBACK_PATH));
    seen.cookies.add(/=([^;]+)/.exec(plain!)![1]!);
    const custom = makeApp(new CookieStateStore({ secret: SECRET, cookieName: 'kakao_login', maxAge: 120, path: '/auth' }));
    const [raw] = setCookies(await request(custom.app).get('/auth/kakao').expect(302));
    expect(raw).toMatch(/^kakao_login\.[A-Za-z0-9_-]{32}=[^;]+; Max-Age=120; Path=\/auth; HttpOnly; Secure; SameSite=Lax$/);
    seen.cookies.add(/=([^;]+)/.exec(raw!)![1]!);
  });

  it('clear the cookie (Max-Age=0) on a failed callback: a refused cookie and a token error alike', async () => {
    const made = makeApp(new CookieStateStore({ secret: SECRET }));
    const login = await start(made.app);
    const refused = await callback(made.app, { code: 'c0de', state: login.state }, `${login.name}=garbage`);
    expectRefused(refused, made, 'STATE_INVALID');
    expect(setCookies(refused)).toEqual([cleared(login.name)]);

    const second = await start(made.app);
    nock(KAUTH).post('/oauth/token').reply(400, '{"error":"invalid_grant","error_description":"authorization code not found","error_code":"KOE320"}');
    const failed = await callback(made.app, { code: 'c0de', state: second.state }, second.pair).expect(500);
    expect(failed.body).toEqual({ name: 'KakaoTokenError', code: 'TOKEN_REQUEST_FAILED' });
    expect(setCookies(failed)).toEqual([cleared(second.name)]);
  });

  it('clear the cookie when Kakao redirects back with ?error=access_denied and the state', async () => {
    const made = makeApp(new CookieStateStore({ secret: SECRET }));
    const login = await start(made.app);
    const response = await callback(made.app, { error: 'access_denied', error_description: 'User denied access', state: login.state }, login.pair).expect(401);
    expect(response.body).toEqual({ info: { message: 'User denied access', code: 'ACCESS_DENIED', error: 'access_denied' } });
    expect(made.calls).toEqual([]);
    expect(setCookies(response)).toEqual([cleared(login.name)]);
  });

  it('take the path of each login\'s own callback URL when one store serves two', async () => {
    const store = new CookieStateStore({ secret: SECRET });
    const paths: string[] = [];
    for (const app of [makeApp(store, { callbackURL: 'https://app.example.com/auth/kakao/callback2' }), makeApp(store), makeApp(store, { callbackURL: 'https://app.example.com/auth/kakao/callback2' })]) {
      const [raw] = setCookies(await request(app.app).get('/auth/kakao').expect(302));
      seen.cookies.add(/^oauth2_login\.[^=]+=([^;]+);/.exec(raw!)![1]!);
      paths.push(/; Path=([^;]+);/.exec(raw!)![1]!);
    }
    expect(paths).toEqual(['/auth/kakao/callback2', CALLBACK_PATH, '/auth/kakao/callback2']);
  });
});

describe('bad input: a 403 Passport failure with a stable code, never an error', () => {
  it('refuses a tampered cookie (one byte of the ciphertext changed): STATE_INVALID', async () => {
    const made = makeApp(new CookieStateStore({ secret: SECRET }));
    const login = await start(made.app);
    const parts = login.value.split('.');
    const ciphertext = parts[3]!;
    parts[3] = (ciphertext[0] === 'A' ? 'B' : 'A') + ciphertext.slice(1);
    expectRefused(await callback(made.app, { code: 'c0de', state: login.state }, `${login.name}=${parts.join('.')}`), made, 'STATE_INVALID');
  });

  it('refuses a tampered protected header (another kid): STATE_INVALID', async () => {
    const made = makeApp(new CookieStateStore({ secret: SECRET }));
    const login = await start(made.app);
    const parts = login.value.split('.');
    const header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString()) as Record<string, unknown>;
    parts[0] = Buffer.from(JSON.stringify({ ...header, kid: 'another-kid' })).toString('base64url');
    expectRefused(await callback(made.app, { code: 'c0de', state: login.state }, `${login.name}=${parts.join('.')}`), made, 'STATE_INVALID');
  });

  it('refuses a cookie sealed under a secret rotated out of the list: STATE_INVALID', async () => {
    const before = makeApp(new CookieStateStore({ secret: OLD_SECRET }));
    const after = makeApp(new CookieStateStore({ secret: [SECRET] }));
    const login = await start(before.app);
    expectRefused(await callback(after.app, { code: 'c0de', state: login.state }, login.pair), after, 'STATE_INVALID');
  });

  it('opens a cookie sealed under the old secret while it is still in the list, and seals new ones with the first', async () => {
    const before = makeApp(new CookieStateStore({ secret: OLD_SECRET }));
    const rotating = makeApp(new CookieStateStore({ secret: [SECRET, OLD_SECRET] }));
    const login = await start(before.app);
    mockKakaoLogin();
    await callback(rotating.app, { code: 'c0de', state: login.state }, login.pair).expect(200);
    expect(rotating.calls).toEqual(['123456789']);

    // A cookie the rotating app seals opens under the new secret alone, and not under the old one alone.
    const fresh = await start(rotating.app);
    const oldOnly = makeApp(new CookieStateStore({ secret: OLD_SECRET }));
    expectRefused(await callback(oldOnly.app, { code: 'c0de', state: fresh.state }, fresh.pair), oldOnly, 'STATE_INVALID');
    const newOnly = makeApp(new CookieStateStore({ secret: SECRET }));
    mockKakaoLogin();
    await callback(newOnly.app, { code: 'c0de', state: fresh.state }, fresh.pair).expect(200);
  });

  it('refuses the callback of another browser\'s login: no cookie for that state (STATE_MISMATCH)', async () => {
    const made = makeApp(new CookieStateStore({ secret: SECRET }));
    const victim = await start(made.app);
    const attacker = await start(made.app);
    // The attacker's callback URL (their state) in the victim's browser, which holds only the victim's cookie.
    expectRefused(await callback(made.app, { code: 'attacker-code', state: attacker.state }, victim.pair), made, 'STATE_MISMATCH');
  });

  it('refuses another login\'s cookie renamed to the callback\'s state: STATE_INVALID', async () => {
    const made = makeApp(new CookieStateStore({ secret: SECRET }));
    const mine = await start(made.app);
    const theirs = await start(made.app);
    expectRefused(await callback(made.app, { code: 'c0de', state: theirs.state }, `${theirs.name}=${mine.value}`), made, 'STATE_INVALID');
  });

  it('refuses the callback replayed by the browser after a successful login (its cookie was cleared): STATE_MISMATCH', async () => {
    const made = makeApp(new CookieStateStore({ secret: SECRET }));
    const login = await start(made.app);
    mockKakaoLogin();
    const first = await callback(made.app, { code: 'c0de', state: login.state }, login.pair).expect(200);
    expect(setCookies(first)).toEqual([cleared(login.name)]);
    made.outcomes.length = 0;
    made.calls.length = 0;
    // The browser honoured Max-Age=0, so it sends the same URL back without the cookie; nothing reaches Kakao (strict nock).
    expectRefused(await callback(made.app, { code: 'c0de', state: login.state }), made, 'STATE_MISMATCH');
  });

  it('refuses an expired cookie (the login took longer than maxAge): STATE_EXPIRED, and still clears it', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-03-01T00:00:00Z') });
    try {
      const made = makeApp(new CookieStateStore({ secret: SECRET }));
      const login = await start(made.app);
      vi.setSystemTime(new Date('2026-03-01T00:10:01Z'));
      const response = await callback(made.app, { code: 'c0de', state: login.state }, login.pair);
      expectRefused(response, made, 'STATE_EXPIRED');
      expect(setCookies(response)).toEqual([cleared(login.name)]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('accepts the same cookie one second before it expires (the expiry check can pass)', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2026-03-01T00:00:00Z') });
    try {
      const made = makeApp(new CookieStateStore({ secret: SECRET }));
      const login = await start(made.app);
      vi.setSystemTime(new Date('2026-03-01T00:09:59Z'));
      mockKakaoLogin();
      await callback(made.app, { code: 'c0de', state: login.state }, login.pair).expect(200);
    } finally {
      vi.useRealTimers();
    }
  });

  it('refuses a callback with no cookie (STATE_MISMATCH) and one with no state (STATE_MISSING)', async () => {
    const made = makeApp(new CookieStateStore({ secret: SECRET }));
    const login = await start(made.app);
    expectRefused(await callback(made.app, { code: 'c0de', state: login.state }), made, 'STATE_MISMATCH');
    made.outcomes.length = 0;
    expectRefused(await callback(made.app, { code: 'c0de' }, login.pair), made, 'STATE_MISSING');
    made.outcomes.length = 0;
    // A state that could not be a cookie name's suffix is not looked up at all.
    expectRefused(await callback(made.app, { code: 'c0de', state: 'a;b=c' }, login.pair), made, 'STATE_MISSING');
  });

  it('refuses an oversized cookie and garbage cookies: STATE_INVALID', async () => {
    const made = makeApp(new CookieStateStore({ secret: SECRET }));
    const login = await start(made.app);
    const [header, , iv, ciphertext, tag] = login.value.split('.');
    const garbage = [
      `${header}..${iv}.${ciphertext}${'A'.repeat(4100)}.${tag}`,
      'not-a-jwe',
      '%E0%A4%A', // a broken percent-encoding
      `${header}..${iv}.${ciphertext}`,
      'eyJhbGciOiJub25lIn0.eyJoIjoieCJ9.',
      login.value.split('.').slice(0, 3).join('.') + '..',
    ];
    for (const value of garbage) {
      made.outcomes.length = 0;
      expectRefused(await callback(made.app, { code: 'c0de', state: login.state }, `${login.name}=${value}`), made, 'STATE_INVALID');
    }
  });

  it('opens a cookie jose sealed with the same key and claims, and refuses jose-sealed ones without exp, with a future nbf, crit or zip', async () => {
    const made = makeApp(new CookieStateStore({ secret: SECRET }));
    const cookieKey = new Uint8Array(hkdfSync('sha256', Buffer.from(SECRET), new Uint8Array(0), 'passport-korea CookieStateStore v1', 32));
    const login = await start(made.app);
    const { payload } = await jwtDecrypt(login.value, cookieKey);
    const { kid } = decodeProtectedHeader(login.value);
    const now = Math.floor(Date.now() / 1000);
    const reseal = (claims: Record<string, unknown>, header: Record<string, unknown> = {}) =>
      new EncryptJWT(claims).setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid: kid!, ...header }).encrypt(cookieKey);
    // jose will not write crit or zip headers: sealed by hand, as a compact JWE with the same key.
    const sealRaw = (header: Record<string, unknown>, claims: Record<string, unknown>) => {
      const encoded = Buffer.from(JSON.stringify({ alg: 'dir', enc: 'A256GCM', kid, ...header })).toString('base64url');
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', cookieKey, iv).setAAD(Buffer.from(encoded));
      const ciphertext = Buffer.concat([cipher.update(JSON.stringify(claims)), cipher.final()]);
      return [encoded, '', iv.toString('base64url'), ciphertext.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
    };
    const { exp: _exp, ...withoutExp } = payload;
    const refused = [
      await reseal(withoutExp),
      await reseal({ ...payload, h: 42 }),
      await reseal({ ...payload, b: ['not', 'a', 'string'] }),
      await reseal({ ...payload, v: 42 }),
      await reseal({ ...payload, nbf: now + 60 }),
      await reseal({ ...payload, iat: 'yesterday' }),
      sealRaw({ crit: ['exp'] }, payload),
      sealRaw({ zip: 'DEF' }, payload),
      sealRaw({ enc: 'A128GCM' }, payload),
    ];
    // The hand-sealed form itself opens: what refuses the ones above is their header.
    const handSealed = sealRaw({}, payload);
    for (const value of refused) {
      seen.cookies.add(value);
      made.outcomes.length = 0;
      expectRefused(await callback(made.app, { code: 'c0de', state: login.state }, `${login.name}=${value}`), made, 'STATE_INVALID');
    }
    for (const value of [await reseal(payload), handSealed]) {
      seen.cookies.add(value);
      mockKakaoLogin();
      await callback(made.app, { code: 'c0de', state: login.state }, `${login.name}=${value}`).expect(200);
    }
    expect(made.calls).toEqual(['123456789', '123456789']);
  });

  it('refuses a cookie the Naver strategy sealed (same secret, client id and callback URL), under the right name: STATE_INVALID', async () => {
    // Each package bundles its own CookieStateStore class; same secret, same cookie names.
    const naverStore = new NaverCookieStateStore({ secret: SECRET });
    const authenticator = new passport.Passport();
    authenticator.use(new NaverStrategy({ clientID: CLIENT_ID, clientSecret: CLIENT_SECRET, callbackURL: CALLBACK_URL, store: naverStore }, (_a, _r, p, done) => done(null, p)));
    const naverApp = express();
    naverApp.get('/auth/naver', authenticator.authenticate('naver', { session: false }));
    const response = await request(naverApp).get('/auth/naver').expect(302);
    expect(new URL(response.headers['location'] as string).origin).toBe('https://nid.naver.com');
    const [raw] = setCookies(response);
    const match = LOGIN_COOKIE.exec(raw!)!;
    seen.cookies.add(match[2]!);
    const made = makeApp(new CookieStateStore({ secret: SECRET }));
    expectRefused(await callback(made.app, { code: 'c0de', state: match[1]! }, `oauth2_login.${match[1]!}=${match[2]!}`), made, 'STATE_INVALID');
  });

  it('refuses a cookie sealed for another callback URL of the same app: STATE_INVALID', async () => {
    const store = new CookieStateStore({ secret: SECRET });
    const other = makeApp(store, { callbackURL: 'https://app.example.com/auth/kakao/callback2' });
    const [raw] = setCookies(await request(other.app).get('/auth/kakao').expect(302));
    const [, state, value] = /^oauth2_login\.([^=]+)=([^;]+);/.exec(raw!)!;
    seen.cookies.add(value!);
    const made = makeApp(store);
    expectRefused(await callback(made.app, { code: 'c0de', state: state! }, `oauth2_login.${state!}=${value!}`), made, 'STATE_INVALID');
  });
});

describe('the secret', () => {
  it('is required: a TypeError at construction without one', () => {
    expect(() => new CookieStateStore(undefined as never)).toThrow(TypeError);
    expect(() => new CookieStateStore({} as never)).toThrow(new TypeError('CookieStateStore: each secret must be a string or bytes'));
    expect(() => new CookieStateStore({ secret: undefined as never })).toThrow(TypeError);
    expect(() => new CookieStateStore({ secret: '' })).toThrow(new TypeError('CookieStateStore: secret must be at least 32 bytes (it has 0)'));
    expect(() => new CookieStateStore({ secret: [] })).toThrow(new TypeError('CookieStateStore requires a secret'));
  });

  it('must have at least 32 bytes, counted in UTF-8, strings and bytes alike, each one of a list', () => {
    expect(() => new CookieStateStore({ secret: 'x'.repeat(31) })).toThrow(new TypeError('CookieStateStore: secret must be at least 32 bytes (it has 31)'));
    expect(() => new CookieStateStore({ secret: 'x'.repeat(32) })).not.toThrow();
    expect(() => new CookieStateStore({ secret: randomBytes(31) })).toThrow(TypeError);
    expect(() => new CookieStateStore({ secret: randomBytes(32) })).not.toThrow();
    // 11 Hangul syllables are 33 UTF-8 bytes.
    expect(() => new CookieStateStore({ secret: '카카오로그인쿠키비밀값' })).not.toThrow();
    expect(() => new CookieStateStore({ secret: [SECRET, 'short'] })).toThrow(new TypeError('CookieStateStore: secret #2 must be at least 32 bytes (it has 5)'));
  });

  it('rejects bad cookieName, maxAge and secure options, and a missing options object, with a TypeError naming it', () => {
    expect(() => new CookieStateStore({ secret: SECRET, cookieName: 'a;b' })).toThrow(new TypeError('CookieStateStore: cookieName may use letters, digits, _ and - only'));
    for (const maxAge of [0, 1.5]) {
      expect(() => new CookieStateStore({ secret: SECRET, maxAge })).toThrow(new TypeError('CookieStateStore: maxAge must be a positive whole number of seconds'));
    }
    expect(() => new CookieStateStore({ secret: SECRET, secure: 'yes' as never })).toThrow(new TypeError('CookieStateStore: secure must be true or false'));
    for (const options of [undefined, null, 'secret']) {
      expect(() => new CookieStateStore(options as never)).toThrow(new TypeError('CookieStateStore requires an options object with a secret'));
    }
  });

  it('rejects a path a cookie cannot carry at construction, not at every login', () => {
    for (const path of ['/cb;x', 'auth', '/é', '/a\nb']) {
      expect(() => new CookieStateStore({ secret: SECRET, path })).toThrow(new TypeError('CookieStateStore: path must start with / and hold only printable ASCII other than ; and <'));
    }
  });
});

describe('edge cases of the store', () => {
  it('adds its cookie to those the app set before it, never replacing them', async () => {
    const made = makeApp(new CookieStateStore({ secret: SECRET }), {}, (app) => {
      app.use((_req, res, next) => {
        res.setHeader('Set-Cookie', 'theme=dark; Path=/');
        next();
      });
    });
    const response = await request(made.app).get('/auth/kakao').expect(302);
    const [first, second, ...rest] = setCookies(response);
    expect(first).toBe('theme=dark; Path=/');
    expect(second).toMatch(LOGIN_COOKIE);
    expect(rest).toEqual([expect.stringMatching(/^oauth2_login\.pending-7Cdj1c=/)]);
    seen.cookies.add(/=([^;]+)/.exec(second!)![1]!);
  });

  it('words its refusals exactly (the challenge Passport fails with)', async () => {
    const made = makeApp(new CookieStateStore({ secret: SECRET }));
    const login = await start(made.app);
    await callback(made.app, { code: 'c0de' }, login.pair).expect(403);
    await callback(made.app, { code: 'c0de', state: 'x'.repeat(32) }, login.pair).expect(403);
    await callback(made.app, { code: 'c0de', state: login.state }, `${login.name}=garbage`).expect(403);
    expect(made.outcomes.map((outcome) => outcome.info)).toEqual([
      { code: 'STATE_MISSING', message: 'Unable to verify authorization request state.' },
      { code: 'STATE_MISMATCH', message: 'Invalid authorization request state.' },
      { code: 'STATE_INVALID', message: 'Invalid authorization request state.' },
    ]);
  });

  it("refuses to seal a login whose cookie browsers would not keep (over 4 KB of the app's state): an error, no cookie", async () => {
    const authenticator = new passport.Passport();
    const store = new CookieStateStore({ secret: SECRET });
    authenticator.use(new Strategy({ clientID: CLIENT_ID, clientSecret: CLIENT_SECRET, callbackURL: CALLBACK_URL, store }, () => undefined));
    const app = express();
    app.get('/auth/kakao', authenticator.authenticate('kakao', { session: false, state: 'x'.repeat(5000) }));
    app.use((error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => void res.status(500).json({ message: error.message }));
    const response = await request(app).get('/auth/kakao').expect(500);
    expect(response.body.message).toMatch(/^CookieStateStore: this login's cookie would be \d+ bytes, more than the 4096 browsers keep: keep less in authenticate's state option$/);
    expect(setCookies(response)).toEqual([]);
  });

  it('calls its callbacks outside its promises: a callback that throws is not an unhandled rejection', async () => {
    const store = new CookieStateStore({ secret: SECRET });
    const meta = { authorizationURL: `${KAUTH}/oauth/authorize`, tokenURL: `${KAUTH}/oauth/token`, clientID: CLIENT_ID, callbackURL: CALLBACK_URL };
    const headers: Record<string, unknown> = {};
    const res = { getHeader: (name: string) => headers[name.toLowerCase()], setHeader: (name: string, value: unknown) => void (headers[name.toLowerCase()] = value) };
    const rejections: unknown[] = [];
    const uncaught: unknown[] = [];
    const onRejection = (reason: unknown) => void rejections.push(reason);
    const onUncaught = (error: unknown) => void uncaught.push(error);
    process.on('unhandledRejection', onRejection);
    const vitestHandlers = process.listeners('uncaughtException');
    process.removeAllListeners('uncaughtException');
    process.on('uncaughtException', onUncaught);
    try {
      store.store({ headers: {}, res } as never, 'verifier', undefined, meta, () => {
        throw new Error('redirect threw');
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(uncaught).toEqual([new Error('redirect threw')]);
      expect(rejections).toEqual([]);
    } finally {
      process.off('unhandledRejection', onRejection);
      process.off('uncaughtException', onUncaught);
      for (const handler of vitestHandlers) process.on('uncaughtException', handler);
    }
  });

  it("sets the cookie on the part of a callback path before a ';', which a cookie Path cannot hold", async () => {
    const made = makeApp(new CookieStateStore({ secret: SECRET }), { callbackURL: 'https://app.example.com/auth/kakao/callback;v=1' });
    const [raw] = setCookies(await request(made.app).get('/auth/kakao').expect(302));
    expect(raw).toMatch(/; Path=\/auth\/kakao\/; HttpOnly; Secure; SameSite=Lax$/);
    seen.cookies.add(/=([^;]+)/.exec(raw!)![1]!);
  });
});

describe('two tabs', () => {
  it('lets two logins started in two tabs both complete, each with its own cookie named after its state', async () => {
    const made = makeApp(new CookieStateStore({ secret: SECRET }));
    const first = await start(made.app);
    const second = await start(made.app);
    expect(first.name).not.toBe(second.name);
    // The browser holds both cookies and sends both to the callback path.
    const jar = `${first.pair}; ${second.pair}`;
    mockKakaoLogin();
    const b = await callback(made.app, { code: 'code-2', state: second.state }, jar).expect(200);
    expect(setCookies(b)).toEqual([cleared(second.name)]);
    mockKakaoLogin();
    const a = await callback(made.app, { code: 'code-1', state: first.state }, first.pair).expect(200);
    expect(setCookies(a)).toEqual([cleared(first.name)]);
    expect(made.calls).toEqual(['123456789', '123456789']);
  });
});

/**
 * A browser's cookie jar, as RFC 6265 keeps one: a cookie per name and path, replaced or removed (`Max-Age=0`) by a
 * later Set-Cookie, and sent to the paths its `Path` matches, longer paths first, then in the order they were made.
 */
class BrowserJar {
  private cookies: Array<{ name: string; value: string; path: string; made: number }> = [];
  private made = 0;

  take(response: request.Response): void {
    for (const line of setCookies(response)) {
      const [pair, ...attributes] = line.split('; ');
      const [name, value] = [pair!.slice(0, pair!.indexOf('=')), pair!.slice(pair!.indexOf('=') + 1)];
      const path = attributes.find((a) => a.startsWith('Path='))?.slice(5) ?? '/';
      const gone = attributes.includes('Max-Age=0');
      const index = this.cookies.findIndex((c) => c.name === name && c.path === path);
      if (index !== -1) {
        if (gone) this.cookies.splice(index, 1);
        else this.cookies[index] = { ...this.cookies[index]!, value };
      } else if (!gone) {
        this.cookies.push({ name, value, path, made: (this.made += 1) });
      }
    }
  }

  header(path: string): string {
    const matches = (cookiePath: string) =>
      path === cookiePath || (path.startsWith(cookiePath) && (cookiePath.endsWith('/') || path[cookiePath.length] === '/'));
    return this.cookies
      .filter((c) => matches(c.path))
      .sort((a, b) => b.path.length - a.path.length || a.made - b.made)
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
  }

  /** Bytes of the login cookies (the store's, pending list included) a request to `path` carries. */
  loginBytes(path: string): number {
    return this.header(path).split('; ').filter((pair) => pair.startsWith('oauth2_login.')).join('; ').length;
  }
}

describe('pending logins are bounded per browser', () => {
  it('after 40 unfinished starts the 41st login completes, and no callback carries more than 4 KB of login cookies', async () => {
    const made = makeApp(new CookieStateStore({ secret: SECRET }));
    const jar = new BrowserJar();
    let state = '';
    for (let i = 0; i < 41; i += 1) {
      const response = await request(made.app).get('/auth/kakao').set('Cookie', jar.header('/auth/kakao')).expect(302);
      jar.take(response);
      state = new URL(response.headers['location'] as string).searchParams.get('state')!;
      expect(jar.loginBytes(CALLBACK_PATH)).toBeLessThanOrEqual(4096);
    }
    // Five logins are pending (the default maxPending), the newest five: each about 500 bytes.
    expect(jar.header(CALLBACK_PATH).split('; ').filter((pair) => /^oauth2_login\.[\w-]{32}=/.test(pair))).toHaveLength(5);
    mockKakaoLogin();
    const done = await callback(made.app, { code: 'code-41', state }, jar.header(CALLBACK_PATH)).expect(200);
    jar.take(done);
    expect(made.calls).toEqual(['123456789']);
    // The finished login is off the list; the four older ones are still there to complete.
    expect(jar.header(CALLBACK_PATH).split('; ').filter((pair) => /^oauth2_login\.[\w-]{32}=/.test(pair))).toHaveLength(4);
  });

  it('names the pending logins in a list cookie for the callback (Path=/, so every login route sees it), and drops the oldest beyond maxPending', async () => {
    const made = makeApp(new CookieStateStore({ secret: SECRET, maxPending: 2 }));
    const jar = new BrowserJar();
    const states: string[] = [];
    const responses: request.Response[] = [];
    for (let i = 0; i < 3; i += 1) {
      const response = await request(made.app).get('/auth/kakao').set('Cookie', jar.header('/auth/kakao')).expect(302);
      jar.take(response);
      responses.push(response);
      states.push(new URL(response.headers['location'] as string).searchParams.get('state')!);
    }
    const size = (response: request.Response) => setCookies(response)[0]!.split(';')[0]!.length;
    expect(setCookies(responses[0]!)[1]).toBe(
      `oauth2_login.pending-7Cdj1c=${states[0]}~${size(responses[0]!)}; Max-Age=600; Path=/; HttpOnly; Secure; SameSite=Lax`,
    );
    // The third start drops the first login: its cookie is cleared, the list names the other two.
    expect(setCookies(responses[2]!).slice(1)).toEqual([
      cleared(`oauth2_login.${states[0]}`),
      `oauth2_login.pending-7Cdj1c=${states[1]}~${size(responses[1]!)}|${states[2]}~${size(responses[2]!)}; Max-Age=600; Path=/; HttpOnly; Secure; SameSite=Lax`,
    ]);
    const dropped = await callback(made.app, { code: 'code-1', state: states[0]! }, jar.header(CALLBACK_PATH));
    expect(dropped.status).toBe(403);
    expect(made.outcomes[0]!.info).toEqual({ code: 'STATE_MISMATCH', message: 'Invalid authorization request state.' });
    mockKakaoLogin();
    const second = await callback(made.app, { code: 'code-2', state: states[1]! }, jar.header(CALLBACK_PATH)).expect(200);
    // The callback clears its own cookie and takes its login off the list.
    expect(setCookies(second)).toEqual([
      cleared(`oauth2_login.${states[1]}`),
      `oauth2_login.pending-7Cdj1c=${states[2]}~${size(responses[2]!)}; Max-Age=600; Path=/; HttpOnly; Secure; SameSite=Lax`,
    ]);
    jar.take(second);
    mockKakaoLogin();
    const third = await callback(made.app, { code: 'code-3', state: states[2]! }, jar.header(CALLBACK_PATH)).expect(200);
    // The last one clears the list as well.
    expect(setCookies(third)).toEqual([cleared(`oauth2_login.${states[2]}`), cleared('oauth2_login.pending-7Cdj1c', '/')]);
  });

  it('keeps the pending cookies under 3.5 KB together when the logins carry large state data, always keeping the newest', async () => {
    const made = makeApp(new CookieStateStore({ secret: SECRET }));
    const authenticator = made.app;
    const jar = new BrowserJar();
    for (let i = 0; i < 6; i += 1) {
      jar.take(await request(authenticator).get('/auth/kakao/big').set('Cookie', jar.header('/auth/kakao')).expect(302));
      const pending = jar.header(CALLBACK_PATH).split('; ').filter((pair) => /^oauth2_login\.[\w-]{32}=/.test(pair));
      expect(pending.join('; ').length).toBeLessThanOrEqual(3584);
      expect(pending.length).toBeGreaterThanOrEqual(1);
    }
  });

  it('keeps one list per callback when two callbacks share one store and a list path (/login/kakao, /login/naver): each clears only its own', async () => {
    const store = new CookieStateStore({ secret: SECRET, maxPending: 1 });
    const jar: string[] = [];
    const start = (provider: 'kakao' | 'naver') =>
      new Promise<string[]>((resolve, reject) => {
        const headers: Record<string, string[]> = {};
        const res = { getHeader: (name: string) => headers[name.toLowerCase()], setHeader: (name: string, value: string[]) => void (headers[name.toLowerCase()] = value) };
        const meta = { authorizationURL: `${KAUTH}/oauth/authorize`, tokenURL: `${KAUTH}/oauth/token`, clientID: CLIENT_ID, callbackURL: `https://app.example.com/auth/${provider}/callback` };
        store.store({ url: `/login/${provider}`, headers: { cookie: jar.join('; ') }, res } as never, undefined, undefined, meta, (err) => {
          if (err) return reject(err);
          const written = headers['set-cookie']!;
          for (const line of written) {
            const pair = line.split(';')[0]!;
            const name = pair.slice(0, pair.indexOf('='));
            const index = jar.findIndex((entry) => entry.startsWith(`${name}=`));
            if (index !== -1) jar.splice(index, 1);
            if (!line.includes('Max-Age=0')) jar.push(pair);
          }
          resolve(written);
        });
      });
    await start('kakao');
    await start('naver');
    const names = jar.filter((pair) => pair.startsWith('oauth2_login.pending-')).map((pair) => pair.split('=')[0]);
    expect(names).toEqual(['oauth2_login.pending-7Cdj1c', `oauth2_login.pending-${createHash('sha256').update('/auth/naver/callback').digest('base64url').slice(0, 6)}`]);
    // A second Kakao login drops the first Kakao login, at Kakao's callback path; Naver's login is untouched.
    const written = await start('kakao');
    expect(written.filter((line) => line.includes('Max-Age=0'))).toEqual([expect.stringMatching(/^oauth2_login\.[\w-]{32}=; Max-Age=0; Path=\/auth\/kakao\/callback;/)]);
  });

  it('ignores what a list cookie it did not write holds, and never takes a state named after the list (pending-…) for a login', async () => {
    const store = new CookieStateStore({ secret: SECRET });
    const res = { headers: {} as Record<string, string[]>, getHeader: (name: string) => res.headers[name.toLowerCase()], setHeader: (name: string, value: string[]) => { res.headers[name.toLowerCase()] = value; } };
    const meta = { authorizationURL: `${KAUTH}/oauth/authorize`, tokenURL: `${KAUTH}/oauth/token`, clientID: CLIENT_ID, callbackURL: CALLBACK_URL };
    const handle = await new Promise<string>((resolve, reject) =>
      store.store({ url: '/login?next=/', headers: { cookie: 'oauth2_login.pending-7Cdj1c=not-a-list|x~y' }, res } as never, undefined, undefined, meta, (err, h) => (err ? reject(err) : resolve(h!))),
    );
    expect(res.headers['set-cookie']![1]).toMatch(new RegExp(`^oauth2_login\\.pending-7Cdj1c=${handle}~\\d+; Max-Age=600; Path=/; HttpOnly; Secure; SameSite=Lax$`));
    // A callback whose state names the list is refused before anything is cleared: the list keeps its logins.
    const callbackRes = { headers: {} as Record<string, string[]>, getHeader: (name: string) => callbackRes.headers[name.toLowerCase()], setHeader: (name: string, value: string[]) => { callbackRes.headers[name.toLowerCase()] = value; } };
    const verdict = await new Promise<unknown[]>((resolve) =>
      store.verify({ headers: { cookie: `oauth2_login.pending-7Cdj1c=${handle}~500` }, res: callbackRes } as never, 'pending-7Cdj1c', meta, (...args) => resolve(args)),
    );
    expect(verdict).toEqual([null, false, { code: 'STATE_MISMATCH', message: 'Invalid authorization request state.' }]);
    expect(callbackRes.headers['set-cookie']).toBeUndefined();
  });
});

describe('OpenID Connect with the cookie store, through the emulator', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.close());

  const key = (secret: string) => new Uint8Array(hkdfSync('sha256', Buffer.from(secret), new Uint8Array(0), 'passport-korea CookieStateStore v1', 32));

  const servers: Server[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
  });

  /** The app listening on one port for the whole login: its relative callbackURL resolves the same at both legs. */
  async function oidcApp() {
    const made = makeApp(new CookieStateStore({ secret: SECRET }), {
      clientID: emulator.kakao.clientID,
      clientSecret: emulator.kakao.clientSecret,
      baseURL: emulator.kakao.baseURL,
      callbackURL: CALLBACK_PATH,
      oidc: true,
    });
    const server = made.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    servers.push(server);
    return { ...made, app: server };
  }

  /** Starts a login and follows the emulator's auto-approval back: the callback's query and the login cookie. */
  async function startThroughEmulator(made: { app: Target }) {
    emulator.setAutoApprove({ kakao: 'kakao-full' });
    // The app is on plain HTTP here (127.0.0.1): its login cookie is not Secure.
    const login = await start(made.app, {}, loginCookiePattern(CALLBACK_PATH));
    const back = await fetch(login.location, { redirect: 'manual' });
    const query = Object.fromEntries(new URL(back.headers.get('location')!).searchParams);
    return { login, query };
  }

  it('keeps the nonce in the cookie (sealed with state and verifier) and completes the login', async () => {
    const made = await oidcApp();
    const { login, query } = await startThroughEmulator(made);
    const nonce = login.location.searchParams.get('nonce');
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const { payload } = await jwtDecrypt(login.value, key(SECRET));
    expect(payload).toEqual({
      h: login.state,
      b: `${emulator.kakao.clientID} ${emulator.kakao.baseURL}/oauth/authorize ${new URL(login.location.searchParams.get('redirect_uri')!).toString()}`,
      v: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      s: { passportKorea: 1, nonce },
      iat: expect.any(Number),
      exp: (payload.iat as number) + 600,
    });
    const response = await callback(made.app, query, login.pair).expect(200);
    expect(response.body).toEqual({ user: { id: '4012345678' } });
    expect(setCookies(response)).toEqual([cleared(login.name, CALLBACK_PATH, false)]);
  });

  it('refuses a login whose cookie lost the nonce (NO_STORED_NONCE), before the verify callback', async () => {
    const made = await oidcApp();
    const { login, query } = await startThroughEmulator(made);
    const { payload } = await jwtDecrypt(login.value, key(SECRET));
    const { kid } = decodeProtectedHeader(login.value);
    const withoutNonce = await new EncryptJWT({ ...payload, s: { passportKorea: 1 } })
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid: kid! })
      .encrypt(key(SECRET));
    seen.cookies.add(withoutNonce);
    const response = await callback(made.app, query, `${login.name}=${withoutNonce}`).expect(500);
    expect(response.body).toEqual({ name: 'KakaoIdTokenError', code: 'NO_STORED_NONCE' });
    expect(made.outcomes[0]!.err).toBeInstanceOf(KakaoIdTokenError);
    expect(made.calls).toEqual([]);
  });

  it('refuses a login whose cookie carries another nonce (NONCE_MISMATCH)', async () => {
    const made = await oidcApp();
    const { login, query } = await startThroughEmulator(made);
    const { payload } = await jwtDecrypt(login.value, key(SECRET));
    const { kid } = decodeProtectedHeader(login.value);
    const otherNonce = await new EncryptJWT({ ...payload, s: { passportKorea: 1, nonce: randomBytes(32).toString('base64url') } })
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid: kid! })
      .encrypt(key(SECRET));
    seen.cookies.add(otherNonce);
    const response = await callback(made.app, query, `${login.name}=${otherNonce}`).expect(500);
    expect(response.body).toEqual({ name: 'KakaoIdTokenError', code: 'NONCE_MISMATCH' });
    expect(made.calls).toEqual([]);
  });
});
