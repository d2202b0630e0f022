/**
 * The published passport strategies people use today: passport-kakao 1.0.1 and passport-naver-v2 2.0.8, in an Express
 * app, their hard-coded URLs pointed at the emulator through their instance fields.
 */
import express from 'express';
import session from 'express-session';
import passport from 'passport';
import KakaoStrategy from 'passport-kakao';
import { Strategy as NaverStrategy } from 'passport-naver-v2';
import type { Profile as NaverProfile } from 'passport-naver-v2';
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/index.js';
import type { Emulator } from '../../src/index.js';
import { KAKAO_CALLBACK, NAVER_CALLBACK } from '../helpers.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => emulator.resetRequestCounts());

/** node-oauth's URLs and the strategies' profile URL, as instance fields. */
interface LegacyStrategy extends passport.Strategy {
  _oauth2: { _authorizeUrl: string; _accessTokenUrl: string };
  _userProfileURL?: string;
  _profileURL?: string;
}

function makeApp(naverState: boolean) {
  const authenticator = new passport.Passport();
  const kakao = new KakaoStrategy(
    { clientID: emulator.kakao.clientID, clientSecret: emulator.kakao.clientSecret, callbackURL: KAKAO_CALLBACK },
    (_a: string, _r: string, profile: { id: number; displayName: string }, done: (e: null, u: object) => void) => done(null, { id: profile.id, name: profile.displayName }),
  ) as unknown as LegacyStrategy;
  kakao._oauth2._authorizeUrl = emulator.kakao.authorizationURL;
  kakao._oauth2._accessTokenUrl = emulator.kakao.tokenURL;
  kakao._userProfileURL = emulator.kakao.profileURL;
  const naver = new NaverStrategy(
    { clientID: emulator.naver.clientID, clientSecret: emulator.naver.clientSecret, callbackURL: NAVER_CALLBACK, authorizationURL: emulator.naver.authorizationURL, tokenURL: emulator.naver.tokenURL, state: naverState },
    (_a: string, _r: string, profile: NaverProfile, done: (e: null, u: object) => void) => done(null, { id: profile.id, name: profile.nickname }),
  ) as unknown as LegacyStrategy;
  naver._profileURL = emulator.naver.profileURL;
  authenticator.use('kakao', kakao);
  authenticator.use('naver', naver);
  authenticator.serializeUser((user, done) => done(null, user));
  authenticator.deserializeUser((user: Express.User, done) => done(null, user));
  const app = express();
  app.use(session({ secret: 'compat', resave: false, saveUninitialized: false }));
  app.use(authenticator.session());
  for (const provider of ['kakao', 'naver']) {
    app.get(`/auth/${provider}`, authenticator.authenticate(provider));
    app.get(`/auth/${provider}/callback`, authenticator.authenticate(provider, { failureRedirect: '/failed' }), (_req, res) => res.redirect('/me'));
  }
  app.get('/me', (req, res) => res.json(req.user ?? null));
  app.use((error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    res.status(500).json({ name: error.name, message: error.message });
  });
  return app;
}

/** Follows the app's redirect to the emulator (auto-approved) and back; returns the callback path and query. */
async function throughEmulator(start: request.Response): Promise<string> {
  const response = await fetch(start.headers['location'] as string, { redirect: 'manual' });
  const back = new URL(response.headers.get('location')!);
  return back.pathname + back.search;
}

describe('passport-kakao 1.0.1', () => {
  it('logs in, with displayName from the deprecated properties.nickname', async () => {
    emulator.setAutoApprove({ kakao: 'kakao-full' });
    const agent = request.agent(makeApp(true));
    await agent.get(await throughEmulator(await agent.get('/auth/kakao').expect(302))).expect(302).expect('location', '/me');
    expect((await agent.get('/me')).body).toEqual({ id: 4012345678, name: '홍길동' });
    expect(emulator.requestCounts()).toEqual({ 'kakao.authorize': 1, 'kakao.token': 1, 'kakao.me': 1 });
  });

  it('rounds an id above 2^53, as JSON.parse does (A7.9)', async () => {
    emulator.setAutoApprove({ kakao: 'kakao-bigid' });
    const agent = request.agent(makeApp(true));
    await agent.get(await throughEmulator(await agent.get('/auth/kakao').expect(302))).expect(302);
    expect((await agent.get('/me')).body.id).toBe(Number('1376016924426111111')); // 1376016924426111200: a different id
  });
});

describe('passport-naver-v2 2.0.8', () => {
  it('logs in with state: true (it sends state at authorize, not at token)', async () => {
    emulator.setAutoApprove({ naver: 'naver-full' });
    const agent = request.agent(makeApp(true));
    const start = await agent.get('/auth/naver').expect(302);
    expect(new URL(start.headers['location'] as string).searchParams.has('state')).toBe(true);
    await agent.get(await throughEmulator(start)).expect(302).expect('location', '/me');
    expect((await agent.get('/me')).body).toEqual({ id: expect.stringMatching(/^[\w-]{43}$/), name: 'OpenAPI' });
  });

  it('logs in as shipped without state: true, sending no state, which real Naver accepts though its guide requires it (B1 ⚠)', async () => {
    emulator.setAutoApprove({ naver: 'naver-full' });
    const agent = request.agent(makeApp(false));
    const start = await agent.get('/auth/naver').expect(302);
    expect(new URL(start.headers['location'] as string).searchParams.has('state')).toBe(false);
    await agent.get(await throughEmulator(start)).expect(302).expect('location', '/me');
    expect((await agent.get('/me')).body).toEqual({ id: expect.stringMatching(/^[\w-]{43}$/), name: 'OpenAPI' });
  });

  it('takes Naver\'s HTTP-200 token error for an answer without a token: a generic error, Naver\'s reason lost (B6.1)', async () => {
    emulator.setAutoApprove({ naver: 'naver-full' });
    const agent = request.agent(makeApp(true));
    const callback = await throughEmulator(await agent.get('/auth/naver').expect(302));
    await agent.get(callback).expect(302).expect('location', '/me');
    const again = await agent.get('/auth/naver').expect(302);
    const state = new URL(again.headers['location'] as string).searchParams.get('state')!;
    const code = new URL(callback, 'http://x').searchParams.get('code')!;
    emulator.resetRequestCounts();
    const replay = await agent.get(`/auth/naver/callback?code=${code}&state=${state}`).expect(500);
    // passport-oauth2 1.8 stops at the missing access_token; older ones went on to userProfile(undefined) (B6.1).
    expect(replay.body).toEqual({ name: 'Error', message: 'Failed to obtain access token' });
    expect(emulator.requestCounts()).toEqual({ 'naver.token': 1 });
  });
});
