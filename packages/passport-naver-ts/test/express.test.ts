import { useStrictNock } from '@passport-korea/internal/testing';
import express from 'express';
import session from 'express-session';
import nock from 'nock';
import passport from 'passport';
import refresh from 'passport-oauth2-refresh';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { NaverTokenError, Strategy } from '../src/index.js';
import type { NaverProfile } from '../src/index.js';
import { REFRESH_RESPONSE_DOC, TOKEN_ERROR_NO_VALID_DATA_OBS, TOKEN_RESPONSE_DOC, USER_FULL_DOC } from './fixtures/naver.js';
import { CLIENT_ID, CLIENT_SECRET, NID, OPENAPI, REFRESH_TOKEN } from './helpers.js';

useStrictNock();

function makeApp() {
  const authenticator = new passport.Passport();
  authenticator.use(
    new Strategy({ clientID: CLIENT_ID, clientSecret: CLIENT_SECRET, callbackURL: '/auth/naver/callback' }, (_at, _rt, profile, done) =>
      done(null, { id: profile.id, name: profile.displayName }),
    ),
  );
  authenticator.serializeUser((user, done) => done(null, user));
  authenticator.deserializeUser((user: Express.User, done) => done(null, user));
  const app = express();
  app.use(session({ secret: 'test-session-secret', resave: false, saveUninitialized: false }));
  app.use(authenticator.session());
  app.get('/auth/naver', authenticator.authenticate('naver'));
  app.get('/auth/naver/callback', authenticator.authenticate('naver', { failureRedirect: '/login' }), (_req, res) => res.redirect('/me'));
  app.get('/me', (req, res) => {
    res.json({ user: req.user ?? null });
  });
  return app;
}

describe('in an Express app', () => {
  it('logs a user in end to end', async () => {
    const agent = request.agent(makeApp());
    const start = await agent.get('/auth/naver').expect(302);
    const state = new URL(start.headers['location'] as string).searchParams.get('state')!;
    nock(NID).post('/oauth2.0/token', (body: Record<string, string>) => body['state'] === state && body['code'] === 'c0de').reply(200, TOKEN_RESPONSE_DOC);
    nock(OPENAPI).get('/v1/nid/me').reply(200, USER_FULL_DOC);
    await agent.get(`/auth/naver/callback?code=c0de&state=${state}`).expect(302).expect('location', '/me');
    expect((await agent.get('/me').expect(200)).body).toEqual({ user: { id: '32742776', name: 'OpenAPI' } });
  });

  it('answers a reused code with an error page, not a login, and without calling the profile API (quirk B6.2)', async () => {
    const agent = request.agent(makeApp());
    const start = await agent.get('/auth/naver').expect(302);
    const state = new URL(start.headers['location'] as string).searchParams.get('state')!;
    nock(NID).post('/oauth2.0/token').reply(200, TOKEN_ERROR_NO_VALID_DATA_OBS);
    const response = await agent.get(`/auth/naver/callback?code=used&state=${state}`).expect(500);
    expect(response.text).toContain('NaverTokenError: Naver token request failed: invalid_request: no valid data in session');
  });
});

describe('with passport-oauth2-refresh', () => {
  const strategy = new Strategy({ clientID: CLIENT_ID, clientSecret: CLIENT_SECRET }, (_a: string, _r: string, _p: NaverProfile, done) => done(null, false));
  refresh.use(strategy);

  it('refreshes with the exact body; Naver keeps the refresh token and sends expires_in as a string (quirks B6.4, B6.5)', async () => {
    nock(NID)
      .post('/oauth2.0/token', `grant_type=refresh_token&client_id=${CLIENT_ID}&client_secret=${CLIENT_SECRET}&refresh_token=${REFRESH_TOKEN}`)
      .reply(200, REFRESH_RESPONSE_DOC);
    const result = await new Promise<unknown[]>((resolve) => refresh.requestNewAccessToken('naver', REFRESH_TOKEN, (...args: unknown[]) => resolve(args)));
    expect(result).toEqual([null, 'AAAAnewAccessTokenFixture', undefined, { access_token: 'AAAAnewAccessTokenFixture', token_type: 'bearer', expires_in: 3600 }]);
  });

  it('reports a 200-with-error refresh answer as a NaverTokenError', async () => {
    nock(NID).post('/oauth2.0/token').reply(200, '{"error":"invalid_request","error_description":"invalid refresh token"}');
    const [error] = await new Promise<unknown[]>((resolve) => refresh.requestNewAccessToken('naver', 'bad', (...args: unknown[]) => resolve(args)));
    expect(error).toBeInstanceOf(NaverTokenError);
    expect((error as NaverTokenError).errorDescription).toBe('invalid refresh token');
  });
});
