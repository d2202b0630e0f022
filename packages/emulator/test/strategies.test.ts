/**
 * The published strategies (as built) logging in through the emulator, in an Express app, the way the example does.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import session from 'express-session';
import passport from 'passport';
import { KakaoTokenError, Strategy as KakaoStrategy } from 'passport-kakao-ts';
import { NaverTokenError, Strategy as NaverStrategy } from 'passport-naver-ts';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { naverUserId, startEmulator } from '../src/index.js';
import type { Emulator } from '../src/index.js';

let emulator: Emulator;
beforeAll(async () => {
  // requireTokenState: a Naver code exchange without the authorize request's `state` fails, so the Naver login below
  // proves the strategy sends it (B2 lists it as required).
  emulator = await startEmulator({ naver: { requireState: true, requireTokenState: true } });
});
afterAll(() => emulator.close());

type Mode = 'oauth' | 'oidc' | 'idToken';

function makeApp(pkce: boolean, kakaoMode: Mode = 'oauth', naverTokenURL?: string, naverMode: Mode = 'oauth') {
  const authenticator = new passport.Passport();
  authenticator.use(new KakaoStrategy(
    {
      clientID: emulator.kakao.clientID, clientSecret: emulator.kakao.clientSecret, baseURL: emulator.kakao.baseURL, callbackURL: 'http://localhost:3000/auth/kakao/callback', pkce,
      oidc: kakaoMode !== 'oauth', profileFrom: kakaoMode === 'idToken' ? 'idToken' : 'userinfo',
    },
    (_a, _r, profile, done) => done(null, { provider: 'kakao', id: profile.id, name: profile.displayName, email: profile.emails?.[0] }),
  ));
  authenticator.use(new NaverStrategy(
    {
      clientID: emulator.naver.clientID, clientSecret: emulator.naver.clientSecret, baseURL: emulator.naver.baseURL, callbackURL: 'http://localhost:3000/auth/naver/callback',
      ...(naverTokenURL ? { tokenURL: naverTokenURL } : {}),
      oidc: naverMode !== 'oauth', profileFrom: naverMode === 'idToken' ? 'idToken' : 'userinfo',
    },
    (_a, _r, profile, done) => done(null, { provider: 'naver', id: profile.id, name: profile.displayName }),
  ));
  authenticator.serializeUser((user, done) => done(null, user));
  authenticator.deserializeUser((user: Express.User, done) => done(null, user));
  const app = express();
  app.use(session({ secret: 'emulator-test', resave: false, saveUninitialized: false }));
  app.use(authenticator.session());
  for (const provider of ['kakao', 'naver']) {
    app.get(`/auth/${provider}`, authenticator.authenticate(provider));
    app.get(`/auth/${provider}/callback`, authenticator.authenticate(provider, { failureRedirect: '/failed' }), (_req, res) => res.redirect('/me'));
  }
  app.get('/me', (req, res) => {
    res.json(req.user ?? null);
  });
  app.use((error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    res.status(500).json({ name: error.name, code: (error as Error & { errorCode?: string }).errorCode ?? (error as Error & { error?: string }).error ?? (error as Error & { code?: string }).code });
  });
  return app;
}

/** Follows the app's redirect to the emulator, which auto-approves and redirects back; returns the callback path. */
async function throughEmulator(start: request.Response): Promise<string> {
  const response = await fetch(start.headers['location'] as string, { redirect: 'manual' });
  const back = new URL(response.headers.get('location')!);
  return back.pathname + back.search;
}

describe('the strategies against the emulator', () => {
  it.each([false, true])('logs in with Kakao (PKCE %s) and maps the big id exactly', async (pkce) => {
    emulator.setAutoApprove({ kakao: 'kakao-bigid' });
    const agent = request.agent(makeApp(pkce));
    const callback = await throughEmulator(await agent.get('/auth/kakao').expect(302));
    await agent.get(callback).expect(302).expect('location', '/me');
    expect((await agent.get('/me')).body).toEqual({ provider: 'kakao', id: '1376016924426111111', name: '큰아이디' });
  });

  it.each([
    ['naver-name', '홍길동', 'sending the state with the code exchange'],
    ['naver-masked', '김민수', 'naming a user who never set a nickname by their name, not the masked nickname (B3)'],
  ])('logs in with Naver as %s (%s), %s', async (user, name) => {
    emulator.setAutoApprove({ naver: user });
    const agent = request.agent(makeApp(false));
    const callback = await throughEmulator(await agent.get('/auth/naver').expect(302));
    await agent.get(callback).expect(302).expect('location', '/me');
    expect((await agent.get('/me')).body).toMatchObject({ provider: 'naver', name });
  });

  it('fails the Naver login when the token request loses its state (the check above can fail)', async () => {
    // A proxy in front of the emulator's token endpoint that drops `state`, as a strategy that stopped sending it would.
    const proxy = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', emulator.url);
        url.searchParams.delete('state');
        const form = new URLSearchParams(Buffer.concat(chunks).toString());
        form.delete('state');
        void fetch(url, { method: req.method ?? 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: req.method === 'GET' ? null : form.toString() })
          .then(async (upstream) => {
            const text = await upstream.text();
            res.writeHead(upstream.status, { 'Content-Type': upstream.headers.get('content-type') ?? 'application/json' }).end(text);
          });
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      emulator.setAutoApprove({ naver: 'naver-name' });
      const agent = request.agent(makeApp(false, 'oauth', `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/oauth2.0/token`));
      const callback = await throughEmulator(await agent.get('/auth/naver').expect(302));
      const failed = await agent.get(callback).expect(500);
      expect(failed.body).toEqual({ name: NaverTokenError.name, code: 'invalid_request' });
    } finally {
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    }
  });

  it('turns a replayed Kakao callback into KOE320 and a replayed Naver callback into no valid data in session', async () => {
    emulator.setAutoApprove({ kakao: 'kakao-full', naver: 'naver-full' });
    for (const [provider, expected] of [['kakao', { name: KakaoTokenError.name, code: 'KOE320' }], ['naver', { name: NaverTokenError.name, code: 'invalid_request' }]] as const) {
      const agent = request.agent(makeApp(false));
      const start = await agent.get(`/auth/${provider}`).expect(302);
      const callback = await throughEmulator(start);
      await agent.get(callback).expect(302);
      // A second attempt with the same code: start again to get a fresh state, then replay the old code.
      const again = await agent.get(`/auth/${provider}`).expect(302);
      const state = new URL(again.headers['location'] as string).searchParams.get('state')!;
      const code = new URL(callback, 'http://x').searchParams.get('code')!;
      const replay = await agent.get(`/auth/${provider}/callback?code=${code}&state=${state}`).expect(500);
      expect(replay.body).toEqual({ name: `${provider === 'kakao' ? 'Kakao' : 'Naver'}TokenError`, code: expected.code });
    }
  });
});

describe('round trips to Kakao per login', () => {
  /** Logs in `logins` times, each in a fresh browser session, and returns the emulator's request counts. */
  async function countRequests(mode: 'oauth' | 'oidc' | 'idToken', logins: number) {
    emulator.setAutoApprove({ kakao: 'kakao-full' });
    const app = makeApp(true, mode);
    emulator.resetRequestCounts();
    for (let i = 0; i < logins; i += 1) {
      const agent = request.agent(app);
      const callback = await throughEmulator(await agent.get('/auth/kakao').expect(302));
      await agent.get(callback).expect(302).expect('location', '/me');
      expect((await agent.get('/me')).body).toMatchObject({ provider: 'kakao', id: '4012345678', name: '홍길동' });
    }
    return emulator.requestCounts();
  }

  it('OAuth mode: two per login (token, profile)', async () => {
    expect(await countRequests('oauth', 5)).toEqual({ 'kakao.authorize': 5, 'kakao.token': 5, 'kakao.me': 5 });
  });

  it('OIDC with the profile from /v2/user/me: two per login, and the JWKS once across all logins', async () => {
    expect(await countRequests('oidc', 5)).toEqual({ 'kakao.authorize': 5, 'kakao.token': 5, 'kakao.me': 5, 'kakao.jwks': 1 });
  });

  it('id_token-only mode: one per login (token), and the JWKS once across all logins', async () => {
    expect(await countRequests('idToken', 10)).toEqual({ 'kakao.authorize': 10, 'kakao.token': 10, 'kakao.jwks': 1 });
  });
});

describe('round trips to Naver per login', () => {
  /** Logs in `logins` times, each in a fresh browser session, and returns the emulator's request counts and the ids. */
  async function countRequests(mode: Mode, logins: number) {
    emulator.setAutoApprove({ naver: 'naver-full' });
    const app = makeApp(false, 'oauth', undefined, mode);
    emulator.resetRequestCounts();
    const ids = new Set<string>();
    for (let i = 0; i < logins; i += 1) {
      const agent = request.agent(app);
      const callback = await throughEmulator(await agent.get('/auth/naver').expect(302));
      await agent.get(callback).expect(302).expect('location', '/me');
      const user = (await agent.get('/me')).body as { provider: string; id: string };
      expect(user.provider).toBe('naver');
      ids.add(user.id);
    }
    return { counts: emulator.requestCounts(), ids: [...ids] };
  }
  const legacyId = () => naverUserId(emulator.naver.clientID, emulator.users.naver.find((user) => user.key === 'naver-full')!);

  it('legacy mode (the default): two per login (token, profile) on /oauth2.0/*', async () => {
    expect(await countRequests('oauth', 5)).toEqual({ counts: { 'naver.authorize': 5, 'naver.token': 5, 'naver.me': 5 }, ids: [legacyId()] });
  });

  it('OIDC with the profile from /v1/nid/me: two per login on /oauth2/*, the JWKS once, and the legacy id kept', async () => {
    expect(await countRequests('oidc', 5)).toEqual({ counts: { 'naver.oidcAuthorize': 5, 'naver.oidcToken': 5, 'naver.me': 5, 'naver.jwks': 1 }, ids: [legacyId()] });
  });

  it('id_token-only mode: one per login (token), the JWKS once, and the OIDC sub as the id (not the legacy id, B8)', async () => {
    const { counts, ids } = await countRequests('idToken', 10);
    expect(counts).toEqual({ 'naver.oidcAuthorize': 10, 'naver.oidcToken': 10, 'naver.jwks': 1 });
    expect(ids).toHaveLength(1);
    expect(ids[0]).not.toBe(legacyId());
  });
});
