/**
 * The second hardening pass, in the Kakao strategy: what a security review, passport-oauth2's own test suite and a
 * hostile-input probe found. Each test names the gap it pins. Kakao is nock (strict), or the emulator on 127.0.0.1
 * where a real socket is needed (the counting agent).
 */
import http from 'node:http';
import type { Socket } from 'node:net';
import { inspect } from 'node:util';
import { expectOutcome, fakeRequest, runStrategy, useNoUnhandledRejections, useStrictNock } from '@passport-korea/internal/testing';
import express from 'express';
import { startEmulator } from 'kakao-naver-emulator';
import nock from 'nock';
import passport from 'passport';
import OAuth2Strategy from 'passport-oauth2';
import refresh from 'passport-oauth2-refresh';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { CookieStateStore, KakaoTokenError, ProviderRequestError, Strategy } from '../src/index.js';
import type { KakaoProfile, KakaoStrategyOptions, KakaoVerifyCallback } from '../src/index.js';
import { TOKEN_RESPONSE_REST_OBS, USER_FULL_CONSENT_DOC } from './fixtures/kakao.js';
import { ACCESS_TOKEN, AUTH_CODE, CALLBACK_URL, CLIENT_ID, CLIENT_SECRET, KAPI, KAUTH, finishLogin, login, makeStrategy, startLogin } from './helpers.js';

useStrictNock();

type TokenStub = (code: string, params: Record<string, unknown>, callback: (...args: unknown[]) => void) => void;
/** passport-oauth2's client of a strategy, as apps' test suites reach it. */
const oauth2 = (strategy: Strategy) => (strategy as unknown as { _oauth2: { getOAuthAccessToken: TokenStub; _clientSecret: string } })._oauth2;
useNoUnhandledRejections();

const COOKIE_SECRET = 'kakao-hardening-cookie-secret-0123456789abcdef';

function mockProfile() {
  nock(KAPI).get('/v2/user/me').query(true).reply(200, USER_FULL_CONSENT_DOC);
}

describe('no login without CSRF protection by accident (item 2)', () => {
  const refusal = new TypeError(
    "KakaoStrategy: this login has no CSRF protection (no stored state, no PKCE, and no state of the app's own), so an attacker's code could be exchanged in this browser: turn state on (the default), or pkce: true, or pass authenticate(name, { state: token }) and check it at the callback; to run without any, say insecureAllowLoginCSRF: true",
  );

  it('refuses to start a login with state: false and pkce: false and no state of the app\'s own, naming the opt-out', async () => {
    const { strategy } = makeStrategy({ state: false, pkce: false });
    expect(expectOutcome(await runStrategy(strategy, fakeRequest('/auth/kakao')), 'error').error).toEqual(refusal);
    // With the app's own state it starts, the state sent as it is.
    expect((await startLogin(strategy, {}, { state: 'app-csrf-token' })).state).toBe('app-csrf-token');
  });

  it("refuses a callback without state in that configuration before any request to Kakao (an attacker's code)", async () => {
    const { strategy, calls } = makeStrategy({ state: false, pkce: false });
    const outcome = expectOutcome(await finishLogin(strategy, {}, { code: 'attacker-code' }), 'fail');
    expect(outcome).toEqual({ kind: 'fail', challenge: { code: 'STATE_MISSING', message: 'Unable to verify authorization request state.' }, status: 403 });
    expect(calls).toEqual([]);
  });

  it('runs such logins only with insecureAllowLoginCSRF: true, and refuses a non-boolean value for it', async () => {
    const { strategy, calls } = makeStrategy({ state: false, pkce: false, insecureAllowLoginCSRF: true });
    expect((await startLogin(strategy, {})).url.searchParams.has('state')).toBe(false);
    nock(KAUTH).post('/oauth/token').reply(200, TOKEN_RESPONSE_REST_OBS);
    mockProfile();
    expectOutcome(await finishLogin(strategy, {}, { code: AUTH_CODE }), 'success');
    expect(calls).toHaveLength(1);
    expect(() => makeStrategy({ state: false, pkce: false, insecureAllowLoginCSRF: 'yes' as never })).toThrow(
      new TypeError('KakaoStrategy: insecureAllowLoginCSRF must be true or false'),
    );
  });

  it('refuses a login whose store kept nothing (a 2-argument store that returns no handle) and has no PKCE', async () => {
    const store = { store: (_req: unknown, done: (err: unknown) => void) => done(null), verify: (_req: unknown, _state: unknown, done: (err: unknown, ok: boolean) => void) => done(null, true) };
    const { strategy } = makeStrategy({ pkce: false, store: store as never });
    expect(expectOutcome(await runStrategy(strategy, fakeRequest('/auth/kakao')), 'error').error).toEqual(refusal);
  });
});

describe('PKCE fails closed (item 4)', () => {
  it('refuses a stored login without a code_verifier (another strategy with PKCE off wrote it under the same key): PKCE_VERIFIER_MISSING, no token request', async () => {
    const withoutPkce = makeStrategy({ pkce: false });
    const withPkce = makeStrategy();
    const session: Record<string, unknown> = {};
    const { state } = await startLogin(withoutPkce.strategy, session);
    const outcome = expectOutcome(await finishLogin(withPkce.strategy, session, { code: AUTH_CODE, state: state! }), 'fail');
    expect(outcome).toEqual({ kind: 'fail', challenge: { code: 'PKCE_VERIFIER_MISSING', message: 'Unable to verify authorization request state.' }, status: 403 });
    expect(withPkce.calls).toEqual([]);
  });
});

describe('no key material in inspect or JSON (item 5)', () => {
  it('keeps the cookie keys, the secret and the client secret out of inspect(strategy), inspect(store) and JSON.stringify(store)', async () => {
    const store = new CookieStateStore({ secret: [COOKIE_SECRET, `${COOKIE_SECRET}-old`] });
    const { strategy } = makeStrategy({ store });
    // Use the keys once, so that a cached CryptoKey exists too.
    const req = { ...fakeRequest('/auth/kakao'), res: { getHeader: () => undefined, setHeader: () => undefined } };
    expectOutcome(await runStrategy(strategy, req), 'redirect');
    for (const text of [
      inspect(strategy, { depth: 10 }),
      inspect(strategy, { depth: 10, showHidden: true }),
      inspect(store, { depth: 10, showHidden: true }),
      JSON.stringify(store),
      JSON.stringify(strategy, (_key, value: unknown) => (typeof value === 'function' ? undefined : value)),
    ]) {
      expect(text).not.toContain(CLIENT_SECRET);
      expect(text).not.toContain(COOKIE_SECRET);
      expect(text).not.toMatch(/Uint8Array|CryptoKey|ArrayBuffer/);
    }
    // passport-oauth2-refresh still reads it, and node-oauth's callers may set it.
    const client = oauth2(strategy);
    expect(client._clientSecret).toBe(CLIENT_SECRET);
    client._clientSecret = 'rotated-secret';
    expect(client._clientSecret).toBe('rotated-secret');
  });
});

describe("the code exchange is passport-oauth2's (items 6, 9)", () => {
  it("runs through strategy._oauth2.getOAuthAccessToken, so a test's stub replaces it and no request is made", async () => {
    const { strategy, calls } = makeStrategy({ state: false, pkce: false, insecureAllowLoginCSRF: true });
    const stubbed: Array<{ code: string; params: Record<string, unknown> }> = [];
    oauth2(strategy).getOAuthAccessToken = (code, params, callback) => {
      stubbed.push({ code, params: { ...params } });
      callback(null, ACCESS_TOKEN, 'stub-refresh', { token_type: 'bearer', expires_in: 21599 });
    };
    mockProfile();
    expectOutcome(await finishLogin(strategy, {}, { code: AUTH_CODE }), 'success');
    expect(stubbed).toEqual([{ code: AUTH_CODE, params: { grant_type: 'authorization_code', redirect_uri: CALLBACK_URL } }]);
    expect(calls[0]).toMatchObject({ accessToken: ACCESS_TOKEN, refreshToken: 'stub-refresh', params: { token_type: 'bearer', expires_in: 21599 } });
  });

  it("turns a stub's node-oauth error ({ statusCode, data }) into the KakaoTokenError passport-oauth2 would make, else an InternalOAuthError", async () => {
    const { strategy } = makeStrategy({ state: false, pkce: false, insecureAllowLoginCSRF: true });
    const data = '{"error":"invalid_grant","error_description":"authorization code not found","error_code":"KOE320"}';
    oauth2(strategy).getOAuthAccessToken = (_code, _params, callback) => callback({ statusCode: 400, data });
    const typed = expectOutcome(await finishLogin(strategy, {}, { code: AUTH_CODE }), 'error').error as KakaoTokenError;
    expect(typed).toBeInstanceOf(KakaoTokenError);
    expect([typed.code, typed.error, typed.errorCode, typed.httpStatus]).toEqual(['TOKEN_REQUEST_FAILED', 'invalid_grant', 'KOE320', 400]);
    oauth2(strategy).getOAuthAccessToken = (_code, _params, callback) => callback({ statusCode: 502, data: '<html>' });
    const wrapped = expectOutcome(await finishLogin(strategy, {}, { code: AUTH_CODE }), 'error').error as OAuth2Strategy.InternalOAuthError;
    expect(wrapped).toBeInstanceOf(OAuth2Strategy.InternalOAuthError);
    expect(wrapped.message).toBe('Failed to obtain access token');
    expect(wrapped.oauthError).toEqual({ statusCode: 502, data: '<html>' });
    expect(Object.keys(wrapped)).not.toContain('oauthError');
  });

  it('sends customHeaders with the token request, the form content type winning', async () => {
    const { strategy } = makeStrategy({ state: false, pkce: false, insecureAllowLoginCSRF: true, customHeaders: { 'X-Trace': 'login-1', 'Content-Type': 'text/plain' } });
    nock(KAUTH)
      .post('/oauth/token')
      .matchHeader('x-trace', 'login-1')
      .matchHeader('content-type', 'application/x-www-form-urlencoded;charset=utf-8')
      .reply(200, TOKEN_RESPONSE_REST_OBS);
    mockProfile();
    expectOutcome(await finishLogin(strategy, {}, { code: AUTH_CODE }), 'success');
  });

  it('keeps error_uri as the token error\'s uri, and oauthError on a ProviderRequestError (non-enumerable)', async () => {
    const { strategy } = makeStrategy({ state: false, pkce: false, insecureAllowLoginCSRF: true });
    nock(KAUTH).post('/oauth/token').reply(400, { error: 'invalid_client', error_code: 'KOE010', error_uri: 'https://developers.kakao.com/docs/latest/ko/rest-api/reference#response-code' });
    const error = expectOutcome(await finishLogin(strategy, {}, { code: AUTH_CODE }), 'error').error as KakaoTokenError;
    expect(error.uri).toBe('https://developers.kakao.com/docs/latest/ko/rest-api/reference#response-code');
    const cause = new Error('ECONNRESET');
    const network = new ProviderRequestError('Could not reach Kakao', { provider: 'kakao', code: 'NETWORK_ERROR', endpoint: 'POST https://kauth.kakao.com/oauth/token', cause });
    expect(network.oauthError).toBe(cause);
    expect(Object.keys(network)).not.toContain('oauthError');
  });

  it("reports a subclass's parseErrorResponse that throws with that error as cause, not as an unreadable answer", async () => {
    const bug = new Error('the subclass parser broke');
    class Custom extends Strategy {
      override parseErrorResponse(): Error | null {
        throw bug;
      }
    }
    const strategy = new Custom({ clientID: CLIENT_ID, clientSecret: CLIENT_SECRET, callbackURL: CALLBACK_URL, state: false, pkce: false, insecureAllowLoginCSRF: true }, (_a: string, _r: string, p: KakaoProfile, done: KakaoVerifyCallback) => done(null, p));
    nock(KAUTH).post('/oauth/token').reply(400, { error: 'invalid_grant', error_code: 'KOE320' });
    const error = expectOutcome(await finishLogin(strategy, {}, { code: AUTH_CODE }), 'error').error as OAuth2Strategy.InternalOAuthError;
    expect(error).toBeInstanceOf(OAuth2Strategy.InternalOAuthError);
    expect(error).not.toBeInstanceOf(ProviderRequestError);
    expect(error.message).toBe('Failed to obtain access token');
    expect(error.cause).toBe(bug);
    expect(error.oauthError).toBe(bug);
  });
});

/** An http.Agent that counts the connections it opens (one per request: no keep-alive). */
class CountingAgent extends http.Agent {
  connections = 0;
  override createConnection(...args: Parameters<http.Agent['createConnection']>): Socket {
    this.connections += 1;
    return super.createConnection(...args) as Socket;
  }
}

describe('the agent option (item 7)', () => {
  it('carries the code exchange, the profile, the JWKS and a refresh through passport-oauth2-refresh', async () => {
    nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);
    const emulator = await startEmulator();
    try {
      const agent = new CountingAgent();
      const callbackURL = 'http://localhost:3000/auth/kakao/callback';
      let refreshToken = '';
      const strategy = new Strategy(
        { clientID: emulator.kakao.clientID, clientSecret: emulator.kakao.clientSecret, callbackURL, baseURL: emulator.url, scope: ['openid', 'profile_nickname'], agent },
        (_a: string, r: string, profile: KakaoProfile, done: KakaoVerifyCallback) => {
          refreshToken = r;
          done(null, { id: profile.id });
        },
      );
      emulator.setAutoApprove({ kakao: 'kakao-full' });
      const session: Record<string, unknown> = {};
      const start = await startLogin(strategy, session);
      const back = new URL((await fetch(start.url, { redirect: 'manual' })).headers.get('location')!);
      expectOutcome(await finishLogin(strategy, session, Object.fromEntries(back.searchParams)), 'success');
      // token, JWKS, /v2/user/me
      expect(agent.connections).toBe(3);
      refresh.use(strategy);
      const refreshed = await new Promise<string>((resolve, reject) => {
        refresh.requestNewAccessToken('kakao', refreshToken, (err: unknown, accessToken?: string) => (err ? reject(err as Error) : resolve(accessToken ?? '')));
      });
      expect(refreshed).toMatch(/\S{10,}/);
      expect(agent.connections).toBe(4);
      expect(() => makeStrategy({ agent: 'proxy' as never })).toThrow(new TypeError('KakaoStrategy: agent must be an http.Agent or https.Agent'));
    } finally {
      await emulator.close();
    }
  });
});

describe('nothing thrown after done() is lost (item 8)', () => {
  /** Runs authenticate with Passport's actions, `success` throwing `thrown`; resolves with what `error` got. */
  function runThrowing(strategy: Strategy, req: ReturnType<typeof fakeRequest>, thrown: Error): Promise<unknown> {
    return new Promise((resolve) => {
      const instance = Object.create(strategy) as Record<string, unknown> & { authenticate: Strategy['authenticate'] };
      instance['success'] = () => {
        throw thrown;
      };
      instance['fail'] = () => resolve('fail');
      instance['redirect'] = () => resolve('redirect');
      instance['error'] = (error: unknown) => resolve(error);
      instance.authenticate(req as never);
    });
  }

  it('sends what success() throws to error(), whether the verify callback answers at once or later', async () => {
    for (const later of [false, true]) {
      const strategy = new Strategy(
        { clientID: CLIENT_ID, clientSecret: CLIENT_SECRET, callbackURL: CALLBACK_URL, state: false, pkce: false, insecureAllowLoginCSRF: true },
        async (_a: string, _r: string, profile: KakaoProfile, done: KakaoVerifyCallback) => {
          if (later) await new Promise((resolve) => setTimeout(resolve, 5));
          done(null, { id: profile.id });
        },
      );
      nock(KAUTH).post('/oauth/token').reply(200, TOKEN_RESPONSE_REST_OBS);
      mockProfile();
      const thrown = new Error(`the app's callback threw (${later ? 'later' : 'at once'})`);
      expect(await runThrowing(strategy, fakeRequest(`/auth/kakao/callback?code=${AUTH_CODE}`), thrown)).toBe(thrown);
    }
  });

  it("ends the request through Express when the app's custom callback throws on success and on error alike", async () => {
    const authenticator = new passport.Passport();
    authenticator.use(new Strategy({ clientID: CLIENT_ID, clientSecret: CLIENT_SECRET, callbackURL: CALLBACK_URL, state: false, pkce: false, insecureAllowLoginCSRF: true }, (_a: string, _r: string, profile: KakaoProfile, done: KakaoVerifyCallback) => done(null, { id: profile.id })));
    const app = express();
    app.get('/auth/kakao/callback', (req, res, next) => {
      authenticator.authenticate('kakao', { session: false }, () => {
        throw new Error('the custom callback threw');
      })(req, res, next);
    });
    app.use((error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      res.status(500).json({ message: error.message });
    });
    nock(KAUTH).post('/oauth/token').reply(200, TOKEN_RESPONSE_REST_OBS);
    mockProfile();
    const response = await request(app).get(`/auth/kakao/callback?code=${AUTH_CODE}`).timeout(5000);
    expect([response.status, response.body]).toEqual([500, { message: 'the custom callback threw' }]);
  });
});

describe('option values are checked, not guessed (item 10)', () => {
  it("refuses pkce: 'plain' and any value but true or false", () => {
    for (const pkce of ['plain', 'S256', 1, 'false']) {
      expect(() => makeStrategy({ pkce: pkce as never })).toThrow(
        new TypeError(`KakaoStrategy: pkce must be true (S256, the only method sent) or false; got ${JSON.stringify(pkce)}`),
      );
    }
  });

  it("refuses a scopeSeparator other than Kakao's comma, and takes the comma", async () => {
    expect(() => makeStrategy({ scopeSeparator: ' ' as never })).toThrow(
      new TypeError('KakaoStrategy: scopeSeparator must be "," or left out (Kakao reads scope ids separated by commas); got " "'),
    );
    const { url } = await startLogin(makeStrategy({ scopeSeparator: ',', scope: ['profile_nickname', 'account_email'] } as Partial<KakaoStrategyOptions>).strategy, {});
    expect(url.searchParams.get('scope')).toBe('profile_nickname,account_email');
  });

  it("fails a denied login with the message the README shows: 'The user denied access.'", async () => {
    const outcome = expectOutcome(await finishLogin(makeStrategy().strategy, {}, { error: 'access_denied' }), 'fail');
    expect(outcome.challenge).toEqual({ message: 'The user denied access.', code: 'ACCESS_DENIED', error: 'access_denied' });
  });
});

// A login through the whole helper still works with the defaults (state and PKCE on).
it('logs in with the defaults', async () => {
  nock(KAUTH).post('/oauth/token').reply(200, TOKEN_RESPONSE_REST_OBS);
  mockProfile();
  expectOutcome(await login(makeStrategy().strategy), 'success');
});
