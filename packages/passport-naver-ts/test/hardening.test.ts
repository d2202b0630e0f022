/**
 * The second hardening pass, in the Naver strategy: a login with `state: false` has no CSRF protection unless the app
 * keeps its own state or opts out by name; secrets stay out of inspect; option values are checked. Naver is nock.
 */
import { inspect } from 'node:util';
import { expectOutcome, fakeRequest, runStrategy, useStrictNock } from '@passport-korea/internal/testing';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { CookieStateStore, NaverTokenStrategy, Strategy } from '../src/index.js';
import type { NaverProfile, NaverVerifyCallback } from '../src/index.js';
import { TOKEN_RESPONSE_DOC, USER_FULL_DOC } from './fixtures/naver.js';
import { AUTH_CODE, CALLBACK_URL, CLIENT_ID, CLIENT_SECRET, NID, OPENAPI, finishLogin, makeStrategy, startLogin } from './helpers.js';

useStrictNock();

type TokenStub = (code: string, params: Record<string, unknown>, callback: (...args: unknown[]) => void) => void;
/** passport-oauth2's client of a strategy, as apps' test suites reach it. */
const oauth2 = (strategy: Strategy) => (strategy as unknown as { _oauth2: { getOAuthAccessToken: TokenStub; _clientSecret: string } })._oauth2;

describe('no login without CSRF protection by accident (item 2)', () => {
  it("refuses to start a login with state: false and no state of the app's own (Naver has no PKCE off OIDC), naming the opt-out", async () => {
    const strategy = new Strategy({ clientID: CLIENT_ID, clientSecret: CLIENT_SECRET, callbackURL: CALLBACK_URL, state: false }, (_a: string, _r: string, p: NaverProfile, done: NaverVerifyCallback) => done(null, p));
    const outcome = expectOutcome(await runStrategy(strategy, fakeRequest('/auth/naver')), 'error');
    expect(outcome.error).toEqual(
      new TypeError(
        "NaverStrategy: this login has no CSRF protection (no stored state, no PKCE, and no state of the app's own), so an attacker's code could be exchanged in this browser: turn state on (the default), or pkce: true, or pass authenticate(name, { state: token }) and check it at the callback; to run without any, say insecureAllowLoginCSRF: true",
      ),
    );
    expect((await startLogin(strategy, {}, { state: 'app-csrf-token' })).state).toBe('app-csrf-token');
  });

  it("refuses the callback without state in that configuration: STATE_MISSING, no token request (an attacker's code)", async () => {
    const { strategy, calls } = makeStrategy({ state: false });
    expect(expectOutcome(await finishLogin(strategy, {}, { code: 'attacker-code' }), 'fail')).toEqual({
      kind: 'fail',
      challenge: { code: 'STATE_MISSING', message: 'Unable to verify authorization request state.' },
      status: 403,
    });
    expect(calls).toEqual([]);
  });

  it('runs with insecureAllowLoginCSRF: true, and with the app\'s own state sent back to the token request', async () => {
    const { strategy, calls } = makeStrategy({ state: false, insecureAllowLoginCSRF: true });
    expect((await startLogin(strategy, {})).url.searchParams.has('state')).toBe(false);
    const own = makeStrategy({ state: false });
    nock(NID).post('/oauth2.0/token', (body: Record<string, string>) => body['state'] === 'app-csrf-token').reply(200, TOKEN_RESPONSE_DOC);
    nock(OPENAPI).get('/v1/nid/me').reply(200, USER_FULL_DOC);
    expectOutcome(await finishLogin(own.strategy, {}, { code: AUTH_CODE, state: 'app-csrf-token' }), 'success');
    expect(own.calls).toHaveLength(1);
    expect(calls).toEqual([]);
  });
});

describe('no key material in inspect or JSON (item 5)', () => {
  it('keeps the client secret and the cookie keys out of inspect(strategy) and JSON.stringify(store)', () => {
    const cookieSecret = 'naver-hardening-cookie-secret-0123456789abcdef';
    const store = new CookieStateStore({ secret: cookieSecret });
    const { strategy } = makeStrategy({ store });
    for (const text of [inspect(strategy, { depth: 10, showHidden: true }), JSON.stringify(store)]) {
      expect(text).not.toContain(CLIENT_SECRET);
      expect(text).not.toContain(cookieSecret);
      expect(text).not.toMatch(/Uint8Array/);
    }
    expect(oauth2(strategy)._clientSecret).toBe(CLIENT_SECRET);
  });
});

describe('option values are checked, not guessed (item 10)', () => {
  it("refuses pkce: 'plain' and a scopeSeparator other than Naver's space", () => {
    expect(() => makeStrategy({ pkce: 'plain' as never })).toThrow(
      new TypeError('NaverStrategy: pkce must be true (S256, the only method sent) or false; got "plain"'),
    );
    expect(() => makeStrategy({ scopeSeparator: ',' as never })).toThrow(
      new TypeError('NaverStrategy: scopeSeparator must be " " or left out (Naver reads the OpenID Connect scope separated by spaces); got ","'),
    );
    expect(() => makeStrategy({ scopeSeparator: ' ' })).not.toThrow();
  });
});

describe('nothing thrown after done() is lost, in the token strategy too (item 8)', () => {
  it("sends what success() throws to error(), and a refusal's throwing fail() to error() as well", async () => {
    const strategy = new NaverTokenStrategy({}, (_credentials, profile, done) => done(null, { id: profile.id }));
    const run = (headers: Record<string, string>, throwing: 'success' | 'fail') =>
      new Promise<unknown>((resolve) => {
        const instance = Object.create(strategy) as Record<string, unknown> & { authenticate(req: unknown): void };
        const thrown = new Error(`the app's callback threw in ${throwing}`);
        instance[throwing] = () => {
          throw thrown;
        };
        instance[throwing === 'success' ? 'fail' : 'success'] = () => resolve('other action');
        instance['error'] = (error: unknown) => resolve(error === thrown ? `error got the ${throwing} throw` : error);
        instance.authenticate({ query: {}, body: {}, headers: { host: 'app.example.com', ...headers }, url: '/auth/naver/token', method: 'POST' });
      });
    nock(OPENAPI).get('/v1/nid/me').reply(200, USER_FULL_DOC);
    expect(await run({ authorization: 'Bearer AAAAtokenFixture' }, 'success')).toBe('error got the success throw');
    nock(OPENAPI).get('/v1/nid/me').reply(401, '{"resultcode":"024","message":"Authentication failed"}');
    expect(await run({ authorization: 'Bearer AAAAtokenFixture' }, 'fail')).toBe('error got the fail throw');
  });
});
