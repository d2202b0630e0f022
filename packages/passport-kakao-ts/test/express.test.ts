import { useStrictNock } from '@passport-korea/internal/testing';
import express from 'express';
import session from 'express-session';
import nock from 'nock';
import passport from 'passport';
import refresh from 'passport-oauth2-refresh';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { KakaoTokenError, Strategy } from '../src/index.js';
import type { KakaoProfile } from '../src/index.js';
import { TOKEN_ERROR_KOE322_DOC, TOKEN_RESPONSE_REST_OBS, USER_FULL_CONSENT_DOC } from './fixtures/kakao.js';
import { CLIENT_ID, CLIENT_SECRET, KAPI, KAUTH } from './helpers.js';

useStrictNock();

/** An app wired the way the README tells users to. */
function makeApp() {
  const authenticator = new passport.Passport();
  authenticator.use(
    new Strategy({ clientID: CLIENT_ID, clientSecret: CLIENT_SECRET, callbackURL: '/auth/kakao/callback' }, (_at, _rt, profile, done) =>
      done(null, { id: profile.id, name: profile.displayName }),
    ),
  );
  authenticator.serializeUser((user, done) => done(null, user));
  authenticator.deserializeUser((user: Express.User, done) => done(null, user));
  const app = express();
  app.use(session({ secret: 'test-session-secret', resave: false, saveUninitialized: false }));
  app.use(authenticator.session());
  app.get('/auth/kakao', authenticator.authenticate('kakao'));
  app.get('/auth/kakao/callback', authenticator.authenticate('kakao', { failureRedirect: '/login', failureMessage: true }), (_req, res) => {
    res.redirect('/me');
  });
  app.get('/me', (req, res) => {
    res.json({ user: req.user ?? null });
  });
  return app;
}

describe('in an Express app', () => {
  it('logs a user in end to end and keeps them in the session', async () => {
    const agent = request.agent(makeApp());
    const start = await agent.get('/auth/kakao').expect(302);
    const location = new URL(start.headers['location'] as string);
    expect(location.origin + location.pathname).toBe(`${KAUTH}/oauth/authorize`);
    expect(location.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/auth\/kakao\/callback$/);
    const state = location.searchParams.get('state')!;

    nock(KAUTH).post('/oauth/token').reply(200, TOKEN_RESPONSE_REST_OBS);
    nock(KAPI).get('/v2/user/me').query(true).reply(200, USER_FULL_CONSENT_DOC);
    await agent.get(`/auth/kakao/callback?code=c0de&state=${state}`).expect(302).expect('location', '/me');
    const me = await agent.get('/me').expect(200);
    expect(me.body).toEqual({ user: { id: '123456789', name: '홍길동' } });
  });

  it('redirects a cancelled login to the failure page instead of answering 500', async () => {
    const agent = request.agent(makeApp());
    await agent.get('/auth/kakao/callback?error=access_denied&error_description=User%20denied%20access').expect(302).expect('location', '/login');
  });
});

describe('with passport-oauth2-refresh', () => {
  it('refreshes through the strategy\'s client with the exact body, keeping the old refresh token when Kakao sends none', async () => {
    const strategy = new Strategy({ clientID: CLIENT_ID, clientSecret: CLIENT_SECRET }, (_a: string, _r: string, _p: KakaoProfile, done) => done(null, false));
    const registry = refresh;
    registry.use(strategy);
    nock(KAUTH)
      .post('/oauth/token', `grant_type=refresh_token&client_id=${CLIENT_ID}&client_secret=${CLIENT_SECRET}&refresh_token=old-refresh`)
      .reply(200, '{"access_token":"new-access","token_type":"bearer","expires_in":21599}');
    const result = await new Promise<unknown[]>((resolve) => {
      registry.requestNewAccessToken('kakao', 'old-refresh', (...args: unknown[]) => resolve(args));
    });
    expect(result).toEqual([null, 'new-access', undefined, { access_token: 'new-access', token_type: 'bearer', expires_in: 21599 }]);
  });

  it('reports a refresh error as a typed KakaoTokenError, not a plain object', async () => {
    const strategy = new Strategy({ clientID: CLIENT_ID }, (_a: string, _r: string, _p: KakaoProfile, done) => done(null, false));
    const registry = refresh;
    registry.use(strategy);
    nock(KAUTH).post('/oauth/token').reply(400, TOKEN_ERROR_KOE322_DOC);
    const [error] = await new Promise<unknown[]>((resolve) => {
      registry.requestNewAccessToken('kakao', 'expired-refresh', (...args: unknown[]) => resolve(args));
    });
    expect(error).toBeInstanceOf(KakaoTokenError);
    expect((error as KakaoTokenError).errorCode).toBe('KOE322');
  });
});
