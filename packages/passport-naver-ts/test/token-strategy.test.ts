/**
 * NaverTokenStrategy: an access token from a Naver SDK, checked by loading /v1/nid/me with the web strategy's envelope
 * and resultcode handling; every bad input refused before or by Naver; the verify callback in its forms.
 * Naver is nock (strict: unmatched requests and unused mocks fail the test).
 */
import { inspect } from 'node:util';
import { closedPort, expectOutcome, runStrategy, silentServer, useNoUnhandledRejections, useStrictNock } from '@passport-korea/internal/testing';
import type { FakeRequest, StrategyOutcome } from '@passport-korea/internal/testing';
import express from 'express';
import nock from 'nock';
import passport from 'passport';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { NaverAPIError, NaverTokenStrategy, ProviderRequestError } from '../src/index.js';
import type { NaverProfile, NaverTokenCredentials, NaverTokenFailure, NaverTokenStrategyOptions } from '../src/index.js';
import { API_ERROR_024_DOC, API_ERROR_024_OBS, API_ERROR_GENERAL_SHAPE_DOC, HTML_SERVICE_UNAVAILABLE, USER_FULL_DOC, USER_ID_ONLY_DOC } from './fixtures/naver.js';
import { ACCESS_TOKEN, OPENAPI } from './helpers.js';

useStrictNock();
useNoUnhandledRejections();

const API_ERROR_403_DOC = '{"resultcode":"403","message":"Forbidden / 호출 권한이 없습니다."}';

const mockProfile = (body: string = USER_FULL_DOC, status = 200) =>
  nock(OPENAPI).get('/v1/nid/me').matchHeader('authorization', `Bearer ${ACCESS_TOKEN}`).reply(status, body);

interface Call {
  credentials: NaverTokenCredentials;
  profile: NaverProfile;
}

function makeStrategy(options: Partial<NaverTokenStrategyOptions> = {}) {
  const calls: Call[] = [];
  const strategy = new NaverTokenStrategy({ ...options }, (credentials, profile, done) => {
    calls.push({ credentials, profile });
    done(null, { id: profile.id });
  });
  return { strategy, calls };
}

function post(body: unknown, headers: Record<string, string> = {}): FakeRequest {
  return {
    query: {},
    session: {},
    headers: { host: 'app.example.com', ...headers },
    url: '/auth/naver/token',
    method: 'POST',
    connection: { encrypted: true },
    body: body as Record<string, string>,
  };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

function expectFailure(outcome: StrategyOutcome, status: number, code: NaverTokenFailure['code']): NaverTokenFailure {
  const failed = expectOutcome(outcome, 'fail');
  expect(failed.status).toBe(status);
  const challenge = failed.challenge as NaverTokenFailure;
  expect(challenge.code).toBe(code);
  expect(inspect(challenge)).not.toContain(ACCESS_TOKEN);
  return challenge;
}

describe('an access token', () => {
  it('from the Authorization header (with + / = in it): the profile from /v1/nid/me', async () => {
    mockProfile();
    const { strategy, calls } = makeStrategy();
    expectOutcome(await runStrategy(strategy, post(undefined, bearer(ACCESS_TOKEN))), 'success');
    expect(calls[0]!.credentials).toEqual({ accessToken: ACCESS_TOKEN });
    expect(calls[0]!.profile).toMatchObject({ provider: 'naver', id: '32742776', displayName: 'OpenAPI', fullName: '오픈 API', _raw: USER_FULL_DOC });
  });

  it('from the body field access_token, or a configured one', async () => {
    mockProfile(USER_ID_ONLY_DOC);
    const { strategy, calls } = makeStrategy();
    expectOutcome(await runStrategy(strategy, post({ access_token: ACCESS_TOKEN })), 'success');
    expect(calls[0]!.profile.id).toBe('Iq15quPmsXc-JAbG5VYZNtJ6-ccvkjrUyLkBi-vms6E');

    mockProfile();
    const custom = makeStrategy({ tokenField: 'naverToken', tokenFrom: 'body' }).strategy;
    expectOutcome(await runStrategy(custom, post({ naverToken: ACCESS_TOKEN }, bearer('the-apps-own-jwt'))), 'success');
  });

  it("reads only where tokenFrom says (no request to Naver otherwise)", async () => {
    expectFailure(await runStrategy(makeStrategy({ tokenFrom: 'header' }).strategy, post({ access_token: ACCESS_TOKEN })), 400, 'MISSING_TOKEN');
    expectFailure(await runStrategy(makeStrategy({ tokenFrom: ['body'] }).strategy, post({}, bearer(ACCESS_TOKEN))), 400, 'MISSING_TOKEN');
  });

  it('in both the header and the body is refused, without asking Naver', async () => {
    const { strategy, calls } = makeStrategy();
    expectFailure(await runStrategy(strategy, post({ access_token: ACCESS_TOKEN }, bearer(ACCESS_TOKEN))), 400, 'MULTIPLE_TOKENS');
    expect(calls).toEqual([]);
  });

  it.each([
    ['401 with the documented body', API_ERROR_024_DOC, 401],
    ['401 with the observed body', API_ERROR_024_OBS, 401],
    ['HTTP 200 (Naver\'s old behaviour)', API_ERROR_024_DOC, 200],
    ['the general OpenAPI error shape', API_ERROR_GENERAL_SHAPE_DOC, 401],
  ])('expired or revoked (024, %s) fails with INVALID_TOKEN, not an error', async (_what, body, status) => {
    mockProfile(body, status);
    const { strategy, calls } = makeStrategy();
    expectFailure(await runStrategy(strategy, post(undefined, bearer(ACCESS_TOKEN))), 401, 'INVALID_TOKEN');
    expect(calls).toEqual([]);
  });
});

describe('a missing or malformed token is a 400 failure, and Naver is never asked', () => {
  it.each([
    ['an empty string', ''],
    ['a number', 12345],
    ['a list (a repeated form field)', [ACCESS_TOKEN, ACCESS_TOKEN]],
    ['an object (qs-style nesting)', { $ne: null }],
    ['null', null],
    ['an absurdly long string', 'A'.repeat(100_000)],
    ['a space inside', 'abc def'],
    ['non-ASCII characters', '토큰'],
    ['a newline (header injection)', `${ACCESS_TOKEN}\r\nX-Evil: 1`],
  ])('a body token that is %s', async (_what, value) => {
    const { strategy, calls } = makeStrategy();
    expectFailure(await runStrategy(strategy, post({ access_token: value })), 400, 'MALFORMED_TOKEN');
    expect(calls).toEqual([]);
  });

  it.each([
    ['Bearer with nothing after it', 'Bearer'],
    ['two tokens', `Bearer ${ACCESS_TOKEN} ${ACCESS_TOKEN}`],
  ])('an Authorization header with %s', async (_what, header) => {
    expectFailure(await runStrategy(makeStrategy().strategy, post(undefined, { authorization: header })), 400, 'MALFORMED_TOKEN');
  });

  it('no token at all: MISSING_TOKEN (another scheme in the header is not a token)', async () => {
    const { strategy } = makeStrategy();
    const challenge = expectFailure(await runStrategy(strategy, post(undefined)), 400, 'MISSING_TOKEN');
    expect(challenge.message).toMatch(/body parser/);
    expectFailure(await runStrategy(strategy, post({}, { authorization: 'Basic dXNlcjpwYXNz' })), 400, 'MISSING_TOKEN');
  });
});

describe('the verify callback', () => {
  it('gets req first with passReqToCallback', async () => {
    mockProfile();
    const seen: unknown[] = [];
    const strategy = new NaverTokenStrategy({ passReqToCallback: true }, (req, credentials, profile, done) => {
      seen.push(req.headers['x-request-id'], credentials.accessToken === ACCESS_TOKEN, profile.id);
      done(null, { id: profile.id });
    });
    expectOutcome(await runStrategy(strategy, post(undefined, { ...bearer(ACCESS_TOKEN), 'x-request-id': 'r-1' })), 'success');
    expect(seen).toEqual(['r-1', true, '32742776']);
  });

  it('an async callback that rejects: the error reaches Passport once, none is unhandled', async () => {
    mockProfile();
    const strategy = new NaverTokenStrategy({}, async () => {
      throw new Error('database down');
    });
    const errors: unknown[] = [];
    await new Promise<void>((resolve) => {
      const instance = Object.create(strategy) as Record<string, unknown> & { authenticate: NaverTokenStrategy['authenticate'] };
      instance['error'] = (error: unknown) => {
        errors.push(error);
        setTimeout(resolve, 30);
      };
      for (const action of ['success', 'fail', 'redirect', 'pass']) instance[action] = () => resolve();
      instance.authenticate(post(undefined, bearer(ACCESS_TOKEN)) as never);
    });
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).message).toBe('database down');
  });

  it('done(null, false, info) is a failure with that info', async () => {
    mockProfile();
    const strategy = new NaverTokenStrategy({}, (_c, _p, done) => done(null, false, { message: 'not signed up' }));
    expect(expectOutcome(await runStrategy(strategy, post(undefined, bearer(ACCESS_TOKEN))), 'fail').challenge).toEqual({ message: 'not signed up' });
  });
});

describe('errors', () => {
  it('resultcodes other than 024 are NaverAPIErrors; no error carries the token', async () => {
    mockProfile(API_ERROR_403_DOC, 403);
    const { strategy } = makeStrategy();
    const outcome = expectOutcome(await runStrategy(strategy, post(undefined, bearer(ACCESS_TOKEN))), 'error');
    expect(outcome.error).toBeInstanceOf(NaverAPIError);
    expect((outcome.error as NaverAPIError).resultcode).toBe('403');
    expect(inspect(outcome.error, { depth: 10, showHidden: true })).not.toContain(ACCESS_TOKEN);
  });

  it('HTML, a success without an id, a refused connection and a hung server are ProviderRequestErrors without the token', async () => {
    const { strategy } = makeStrategy();
    nock(OPENAPI).get('/v1/nid/me').reply(503, HTML_SERVICE_UNAVAILABLE);
    const html = expectOutcome(await runStrategy(strategy, post(undefined, bearer(ACCESS_TOKEN))), 'error');
    expect((html.error as ProviderRequestError).code).toBe('INVALID_RESPONSE');

    mockProfile('{"resultcode":"00","message":"success","response":{}}');
    const noId = expectOutcome(await runStrategy(strategy, post(undefined, bearer(ACCESS_TOKEN))), 'error');
    expect((noId.error as ProviderRequestError).code).toBe('INVALID_RESPONSE');

    const port = await closedPort();
    const refused = expectOutcome(await runStrategy(makeStrategy({ baseURL: `http://127.0.0.1:${port}` }).strategy, post(undefined, bearer(ACCESS_TOKEN))), 'error');
    expect((refused.error as ProviderRequestError).code).toBe('NETWORK_ERROR');

    const server = await silentServer();
    try {
      const hung = makeStrategy({ baseURL: server.url, timeout: 150 }).strategy;
      const timeout = expectOutcome(await runStrategy(hung, post(undefined, bearer(ACCESS_TOKEN))), 'error');
      expect((timeout.error as ProviderRequestError).code).toBe('TIMEOUT');
      for (const error of [html.error, noId.error, refused.error, timeout.error]) {
        expect(error).toBeInstanceOf(ProviderRequestError);
        expect(inspect(error, { depth: 10, showHidden: true })).not.toContain(ACCESS_TOKEN);
      }
    } finally {
      await server.close();
    }
  });
});

describe('options', () => {
  it.each([
    ['an unknown tokenFrom', { tokenFrom: 'query' }],
    ['an empty tokenFrom list', { tokenFrom: [] }],
    ['an empty tokenField', { tokenField: '' }],
    ['a negative timeout', { timeout: -1 }],
  ])('%s is a TypeError', (_what, options) => {
    expect(() => new NaverTokenStrategy(options as unknown as NaverTokenStrategyOptions, () => undefined)).toThrow(TypeError);
  });

  it("is named 'naver-token'", () => {
    expect(makeStrategy().strategy.name).toBe('naver-token');
  });
});

describe('in an Express app', () => {
  it('signs in with a Bearer header; a garbage token gets 400, a revoked one 401', async () => {
    const authenticator = new passport.Passport();
    authenticator.use(new NaverTokenStrategy({}, (_c, profile, done) => done(null, { id: profile.id, name: profile.displayName })));
    const app = express();
    app.use(express.json());
    app.post('/auth/naver/token', authenticator.authenticate('naver-token', { session: false }), (req, res) => {
      res.json({ user: req.user });
    });
    mockProfile();
    const ok = await request(app).post('/auth/naver/token').set('Authorization', `Bearer ${ACCESS_TOKEN}`).expect(200);
    expect(ok.body).toEqual({ user: { id: '32742776', name: 'OpenAPI' } });
    await request(app).post('/auth/naver/token').send({ access_token: '<garbage>' }).expect(400);
    mockProfile(API_ERROR_024_DOC, 401);
    await request(app).post('/auth/naver/token').send({ access_token: ACCESS_TOKEN }).expect(401);
  });
});
