/**
 * The verify callback: its forms (explicit `passTokenResponse`, or passport-oauth2's arity), async callbacks, thrown
 * errors and double `done` calls, and the whole-login deadline.
 */
import { inspect } from 'node:util';
import { expectOutcome, fakeRequest, silentServer, useNoUnhandledRejections, useStrictNock } from '@passport-korea/internal/testing';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { KakaoIdTokenError, ProviderRequestError as KakaoProviderRequestError, Strategy } from '../src/index.js';
import type { KakaoProfile, KakaoTokenResponse, KakaoVerifyCallback } from '../src/index.js';
import { TOKEN_RESPONSE_REST_OBS, USER_NICKNAME_ONLY_DOC } from './fixtures/kakao.js';
import { ACCESS_TOKEN, CALLBACK_URL, CLIENT_ID, CLIENT_SECRET, KAPI, KAUTH, login, startLogin } from './helpers.js';

useStrictNock();
useNoUnhandledRejections();

function mockLogin() {
  nock(KAUTH).post('/oauth/token').reply(200, TOKEN_RESPONSE_REST_OBS);
  nock(KAPI).get('/v2/user/me').query(true).reply(200, USER_NICKNAME_ONLY_DOC);
}

const base = { clientID: CLIENT_ID, clientSecret: CLIENT_SECRET, callbackURL: CALLBACK_URL };

describe('verify forms', () => {
  it('passes the token response with passTokenResponse: true, whatever the callback declares (NestJS rest parameters)', async () => {
    mockLogin();
    const received: unknown[][] = [];
    // What @nestjs/passport's mixin registers: a rest-parameter callback, whose length is 0.
    const restCallback = (...args: unknown[]) => {
      received.push(args.slice(0, -1));
      (args.at(-1) as KakaoVerifyCallback)(null, { id: (args[3] as KakaoProfile).id });
    };
    const strategy = new Strategy({ ...base, passTokenResponse: true }, restCallback as never);
    const outcome = expectOutcome(await login(strategy), 'success');
    expect(outcome.user).toEqual({ id: '3621318900' });
    const [accessToken, refreshToken, params, profile] = received[0]!;
    expect([accessToken, refreshToken]).toEqual([ACCESS_TOKEN, '1PHc3Bdz-refresh-token-fixture']);
    expect((params as KakaoTokenResponse).expires_in).toBe(21599);
    expect((profile as KakaoProfile).provider).toBe('kakao');
  });

  it('passes req first and the token response with both options, to a bound function', async () => {
    mockLogin();
    const seen: unknown[] = [];
    const owner = {
      validate(this: { tag: string }, req: unknown, _a: string, _r: string, params: KakaoTokenResponse, profile: KakaoProfile, done: KakaoVerifyCallback) {
        seen.push(this.tag, typeof req, params.scope, profile.id);
        done(null, { id: profile.id });
      },
    };
    const bound = owner.validate.bind({ tag: 'bound' });
    expectOutcome(await login(new Strategy({ ...base, passReqToCallback: true, passTokenResponse: true }, bound)), 'success');
    expect(seen).toEqual(['bound', 'object', 'age_range birthday account_email profile_image gender profile_nickname', '3621318900']);
  });

  it('passes no token response with passTokenResponse: false, even to a 5-parameter callback', async () => {
    mockLogin();
    const seen: unknown[] = [];
    const strategy = new Strategy({ ...base, passTokenResponse: false }, ((a: string, _r: string, third: unknown, done: unknown) => {
      seen.push(a, (third as KakaoProfile).provider, typeof done);
      (done as KakaoVerifyCallback)(null, {});
    }) as never);
    expectOutcome(await login(strategy), 'success');
    expect(seen).toEqual([ACCESS_TOKEN, 'kakao', 'function']);
  });

  it('keeps passport-oauth2\'s arity convention when passTokenResponse is left out', async () => {
    mockLogin();
    const seen: unknown[] = [];
    const strategy = new Strategy(base, (_a: string, _r: string, params: KakaoTokenResponse, profile: KakaoProfile, done: KakaoVerifyCallback) => {
      seen.push(params.token_type, profile.id);
      done(null, {});
    });
    expectOutcome(await login(strategy), 'success');
    expect(seen).toEqual(['bearer', '3621318900']);
  });

  it('refuses a passTokenResponse that is not a boolean', () => {
    expect(() => new Strategy({ ...base, passTokenResponse: 'yes' as never }, () => undefined)).toThrow(
      new TypeError('KakaoStrategy: passTokenResponse must be true or false'),
    );
  });
});

describe('async verify callbacks and errors', () => {
  it('logs in with what an async callback passes to done', async () => {
    mockLogin();
    const strategy = new Strategy(base, async (_a, _r, profile, done) => {
      await Promise.resolve();
      done(null, { id: profile.id });
    });
    expect(expectOutcome(await login(strategy), 'success').user).toEqual({ id: '3621318900' });
  });

  it('turns a rejected promise into one Passport error and no unhandled rejection', async () => {
    mockLogin();
    const failure = new Error('database down');
    const outcome = expectOutcome(await login(new Strategy(base, async () => { throw failure; })), 'error');
    expect(outcome.error).toBe(failure);
  });

  it('turns a synchronous throw into one Passport error', async () => {
    mockLogin();
    const failure = new TypeError('bug in verify');
    expect(expectOutcome(await login(new Strategy(base, () => { throw failure; })), 'error').error).toBe(failure);
  });

  it('wraps a thrown non-Error value in an Error (never a plain object on the error path)', async () => {
    mockLogin();
    const outcome = expectOutcome(await login(new Strategy(base, async () => Promise.reject({ reason: 'plain object' }))), 'error');
    expect(outcome.error).toBeInstanceOf(Error);
    expect((outcome.error as Error).message).toBe('The verify callback failed with a value that is not an Error (object)');
  });

  it.each([
    ['the promise rejects after done', async (_a: string, _r: string, _p: KakaoProfile, done: KakaoVerifyCallback) => {
      done(null, { id: 1 });
      throw new Error('after done');
    }],
    ['done is called twice', (_a: string, _r: string, _p: KakaoProfile, done: KakaoVerifyCallback) => {
      done(null, { id: 1 });
      done(new Error('second call'));
    }],
  ])('acts exactly once when %s', async (_case, verify) => {
    mockLogin();
    const strategy = new Strategy(base, verify);
    const session: Record<string, unknown> = {};
    const { state } = await startLogin(strategy, session);
    const actions: string[] = [];
    const instance = Object.create(strategy) as Strategy & Record<string, unknown>;
    for (const action of ['success', 'error', 'fail', 'redirect', 'pass']) instance[action] = () => actions.push(action);
    instance.authenticate(fakeRequest(`/auth/kakao/callback?code=c&state=${state}`, session) as never);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(actions).toEqual(['success']);
  });
});

describe('one deadline for the whole login (loginTimeout, default timeout)', () => {
  it('ends a login whose token answer is slow and whose profile call hangs within the timeout, not twice it', async () => {
    const server = await silentServer();
    try {
      nock(KAUTH).post('/oauth/token').delay(250).reply(200, TOKEN_RESPONSE_REST_OBS);
      const strategy = new Strategy({ ...base, timeout: 400, profileURL: `${server.url}/v2/user/me` }, (_a, _r, p, d) => d(null, p));
      const started = Date.now();
      const error = expectOutcome(await login(strategy), 'error').error as KakaoProviderRequestError;
      const elapsed = Date.now() - started;
      expect(error).toBeInstanceOf(KakaoProviderRequestError);
      expect(error.code).toBe('TIMEOUT');
      expect(elapsed).toBeGreaterThanOrEqual(380);
      expect(elapsed).toBeLessThan(600);
      expect(inspect(error)).not.toContain(ACCESS_TOKEN);
    } finally {
      await server.close();
    }
  });

  it('ends an OIDC login whose token answer is slow and whose JWKS call hangs within the timeout', async () => {
    const server = await silentServer();
    try {
      const header = Buffer.from(JSON.stringify({ alg: 'RS256', kid: 'k1' })).toString('base64url');
      const payload = Buffer.from(JSON.stringify({ sub: '1' })).toString('base64url');
      nock(KAUTH).post('/oauth/token').delay(250).reply(200, { ...JSON.parse(TOKEN_RESPONSE_REST_OBS), id_token: `${header}.${payload}.c2ln` });
      const strategy = new Strategy({ ...base, oidc: true, timeout: 400, jwksURL: `${server.url}/jwks` }, (_a, _r, p, d) => d(null, p));
      const started = Date.now();
      const error = expectOutcome(await login(strategy), 'error').error as KakaoIdTokenError;
      const elapsed = Date.now() - started;
      expect(error).toBeInstanceOf(KakaoIdTokenError);
      expect(error.code).toBe('JWKS_TIMEOUT');
      expect(elapsed).toBeGreaterThanOrEqual(380);
      expect(elapsed).toBeLessThan(600);
    } finally {
      await server.close();
    }
  });

  it('lets loginTimeout be shorter than the per-request timeout', async () => {
    const server = await silentServer();
    try {
      nock(KAUTH).post('/oauth/token').reply(200, TOKEN_RESPONSE_REST_OBS);
      const strategy = new Strategy({ ...base, timeout: 5000, loginTimeout: 200, profileURL: `${server.url}/v2/user/me` }, (_a, _r, p, d) => d(null, p));
      const started = Date.now();
      expect((expectOutcome(await login(strategy), 'error').error as KakaoProviderRequestError).code).toBe('TIMEOUT');
      expect(Date.now() - started).toBeLessThan(450);
    } finally {
      await server.close();
    }
    expect(() => new Strategy({ ...base, loginTimeout: 0 }, () => undefined)).toThrow(
      new TypeError('KakaoStrategy: the loginTimeout option must be a positive number of milliseconds'),
    );
  });
});
