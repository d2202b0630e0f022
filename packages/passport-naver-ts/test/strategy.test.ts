import { expectOutcome, fakeRequest, runStrategy, useStrictNock } from '@passport-korea/internal/testing';
import type { Request } from 'express';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { NaverStrategy, Strategy } from '../src/index.js';
import type { NaverProfile, NaverTokenResponse, NaverVerifyCallback } from '../src/index.js';
import { TOKEN_RESPONSE_DOC, USER_FULL_DOC, USER_NAME_ONLY_DOC } from './fixtures/naver.js';
import {
  ACCESS_TOKEN, AUTH_CODE, CALLBACK_URL, CLIENT_ID, CLIENT_SECRET, NID, OPENAPI, REFRESH_TOKEN, finishLogin, login, makeStrategy, startLogin,
} from './helpers.js';

useStrictNock();

const encodedCallback = encodeURIComponent(CALLBACK_URL);

/** Mocks a successful token exchange (asserting the exact body when given) and profile fetch. */
function mockNaver(userBody = USER_FULL_DOC, expectedTokenBody?: string) {
  const captured: { tokenBody?: string; tokenPath?: string } = {};
  nock(NID)
    .post(/^\/oauth2\.0\/token/, (body: unknown) => {
      captured.tokenBody = new URLSearchParams(body as Record<string, string>).toString();
      return expectedTokenBody === undefined || captured.tokenBody === expectedTokenBody;
    })
    .reply(200, function () {
      captured.tokenPath = this.req.path;
      return TOKEN_RESPONSE_DOC;
    });
  nock(OPENAPI).get('/v1/nid/me').matchHeader('authorization', `Bearer ${ACCESS_TOKEN}`).reply(200, userBody);
  return captured;
}

describe('construction', () => {
  it('is named naver and exported as Strategy and NaverStrategy', () => {
    expect(makeStrategy().strategy.name).toBe('naver');
    expect(NaverStrategy).toBe(Strategy);
  });

  it.each([
    [{ clientSecret: 's' }, 'NaverStrategy requires the clientID option (a non-empty string)'],
    [{ clientID: 'id' }, 'NaverStrategy requires the clientSecret option (a non-empty string)'],
    [{ clientID: 'id', clientSecret: '' }, 'NaverStrategy requires the clientSecret option (a non-empty string)'],
    [{ clientID: 'id', clientSecret: 's', timeout: -1 }, 'NaverStrategy: the timeout option must be a positive number of milliseconds'],
    [{ clientID: 'id', clientSecret: 's', profileURL: '' }, 'NaverStrategy: the profileURL option must be a non-empty string when given'],
  ])('throws a TypeError for bad options %j', (options, message) => {
    expect(() => new Strategy(options as never, () => undefined)).toThrow(new TypeError(message));
  });

  it('throws a TypeError without options or verify callback', () => {
    expect(() => new Strategy(null as never, () => undefined)).toThrow(new TypeError('NaverStrategy requires an options object'));
    expect(() => new Strategy({ clientID: 'a', clientSecret: 'b' }, 'nope' as never)).toThrow(new TypeError('NaverStrategy requires a verify callback'));
  });
});

describe('authorization request', () => {
  it('redirects to Naver with exactly the default parameters and a fresh state (state on by default, quirk B6.3)', async () => {
    const session: Record<string, unknown> = {};
    const { location, state } = await startLogin(makeStrategy().strategy, session);
    expect(state).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(location).toBe(`${NID}/oauth2.0/authorize?response_type=code&redirect_uri=${encodedCallback}&state=${state}&client_id=${CLIENT_ID}`);
    expect(session).toEqual({ 'oauth2:nid.naver.com': { state: { handle: state, state: { passportKorea: 1 } } } });
  });

  it.each(['reprompt', 'reauthenticate', 'autologin'])('sends auth_type=%s when asked', async (authType) => {
    const { location } = await startLogin(makeStrategy({ state: false, insecureAllowLoginCSRF: true }).strategy, {}, { authType });
    expect(location).toBe(`${NID}/oauth2.0/authorize?auth_type=${authType}&response_type=code&redirect_uri=${encodedCallback}&client_id=${CLIENT_ID}`);
  });

  it('lets nothing but the allow-listed options reach the URL', async () => {
    const { url } = await startLogin(makeStrategy({ state: false, insecureAllowLoginCSRF: true }).strategy, {}, {
      auth_type: 'autologin', prompt: 'login', scope: 'email', loginHint: 'x', client_secret: 'leak', failureRedirect: '/x',
    });
    expect([...url.searchParams.keys()]).toEqual(['response_type', 'redirect_uri', 'client_id']);
  });

  it('ends the request with a TypeError for an unknown authType', async () => {
    const outcome = expectOutcome(await runStrategy(makeStrategy().strategy, fakeRequest('/auth/naver', {}), { authType: 'auto_login' }), 'error');
    expect(outcome.error).toEqual(new TypeError('NaverStrategy: unknown authType "auto_login"; use reprompt, reauthenticate or autologin'));
  });

  it('builds endpoints from baseURL', async () => {
    const { strategy } = makeStrategy({ baseURL: 'http://127.0.0.1:9', state: false, insecureAllowLoginCSRF: true });
    const { url } = await startLogin(strategy, {});
    expect(url.origin + url.pathname).toBe('http://127.0.0.1:9/oauth2.0/authorize');
    const internals = strategy as unknown as { _oauth2: { _accessTokenUrl: string }; _profileURL: string };
    expect(internals._oauth2._accessTokenUrl).toBe('http://127.0.0.1:9/oauth2.0/token');
    expect(internals._profileURL).toBe('http://127.0.0.1:9/v1/nid/me');
  });
});

describe('callback', () => {
  it('exchanges the code with the secret and state in the POST body, never the URL, and logs in', async () => {
    const { strategy, calls } = makeStrategy();
    const session: Record<string, unknown> = {};
    const { state } = await startLogin(strategy, session);
    const captured = mockNaver(
      USER_FULL_DOC,
      `grant_type=authorization_code&client_id=${CLIENT_ID}&client_secret=${CLIENT_SECRET}&redirect_uri=${encodedCallback}&code=${AUTH_CODE}&state=${state}`,
    );
    const outcome = expectOutcome(await finishLogin(strategy, session, { code: AUTH_CODE, state: state! }), 'success');
    expect(captured.tokenPath).toBe('/oauth2.0/token');
    expect(outcome.user).toEqual({ id: '32742776' });
    expect(calls).toEqual([
      {
        accessToken: ACCESS_TOKEN,
        refreshToken: REFRESH_TOKEN,
        params: { access_token: ACCESS_TOKEN, token_type: 'bearer', expires_in: 3600 },
        profile: expect.objectContaining({ provider: 'naver', id: '32742776', displayName: 'OpenAPI' }),
      },
    ]);
  });

  it('gives the verify callback expires_in as a number (quirk B6.4)', async () => {
    const { strategy, calls } = makeStrategy({ state: false, insecureAllowLoginCSRF: true });
    mockNaver(USER_NAME_ONLY_DOC);
    expectOutcome(await login(strategy), 'success');
    expect(calls[0]?.params.expires_in).toBe(3600);
    expect(typeof calls[0]?.params.expires_in).toBe('number');
  });

  it('fails with 403 when the state does not match the session', async () => {
    const { strategy } = makeStrategy();
    const session: Record<string, unknown> = {};
    await startLogin(strategy, session);
    expect(await finishLogin(strategy, session, { code: AUTH_CODE, state: 'forged' })).toEqual({
      kind: 'fail', challenge: { message: 'Invalid authorization request state.', code: 'STATE_MISMATCH' }, status: 403,
    });
  });

  it('passes req first with passReqToCallback', async () => {
    const seen: unknown[] = [];
    const strategy = new Strategy(
      { clientID: CLIENT_ID, clientSecret: CLIENT_SECRET, callbackURL: CALLBACK_URL, state: false, insecureAllowLoginCSRF: true, passReqToCallback: true },
      (req: Request, _a: string, _r: string, params: NaverTokenResponse, profile: NaverProfile, done: NaverVerifyCallback) => {
        seen.push(req.url, params.expires_in, profile.id);
        done(null, { id: profile.id });
      },
    );
    mockNaver(USER_NAME_ONLY_DOC);
    expectOutcome(await login(strategy), 'success');
    expect(seen).toEqual([`/auth/naver/callback?code=${AUTH_CODE}`, 3600, 'Iq15quPmsXc-JAbG5VYZNtJ6-ccvkjrUyLkBi-vms6E']);
  });

  it('supports the 4-argument verify', async () => {
    let name: string | undefined;
    const strategy = new Strategy({ clientID: CLIENT_ID, clientSecret: CLIENT_SECRET, state: false, insecureAllowLoginCSRF: true }, (_a, _r, profile, done) => {
      name = profile.displayName;
      done(null, { id: profile.id });
    });
    mockNaver();
    expectOutcome(await login(strategy), 'success');
    expect(name).toBe('OpenAPI');
  });

  it('skips /v1/nid/me with skipUserProfile: true, and asks a function per login as passport-oauth2 does', async () => {
    const skipped = makeStrategy({ skipUserProfile: true, state: false, insecureAllowLoginCSRF: true });
    nock(NID).post('/oauth2.0/token').reply(200, TOKEN_RESPONSE_DOC);
    expectOutcome(await login(skipped.strategy), 'success');
    expect(skipped.calls[0]?.profile).toBeUndefined();

    const tokens: string[] = [];
    const asked = makeStrategy({
      skipUserProfile: (accessToken: string, done: (err: unknown, skip?: boolean) => void) => {
        tokens.push(accessToken);
        done(null, false);
      },
      state: false,
      insecureAllowLoginCSRF: true,
    });
    mockNaver();
    expectOutcome(await login(asked.strategy), 'success');
    expect(tokens).toEqual([ACCESS_TOKEN]);
    expect(asked.calls[0]?.profile.id).toBe('32742776');
  });

  it("loads the profile through a subclass's own userProfile, as passport-oauth2 does", async () => {
    class WithOwnProfile extends Strategy {
      override userProfile(accessToken: string, done: (err?: unknown, profile?: object) => void): void {
        super.userProfile(accessToken, (err, profile) => done(err, { ...profile, tier: 'gold' }));
      }
    }
    const received: unknown[] = [];
    const strategy = new WithOwnProfile({ clientID: CLIENT_ID, clientSecret: CLIENT_SECRET, state: false, insecureAllowLoginCSRF: true }, (_a: string, _r: string, profile: NaverProfile, done: NaverVerifyCallback) => {
      received.push(profile);
      done(null, { id: profile.id });
    });
    mockNaver();
    expectOutcome(await login(strategy), 'success');
    expect(received).toEqual([expect.objectContaining({ id: '32742776', provider: 'naver', tier: 'gold' })]);
  });

  it('refuses OpenID Connect (PKCE on) with a state store that has no place for the verifier', () => {
    const store = {
      store: (_req: unknown, _state: unknown, _meta: unknown, cb: (err: null, handle: string) => void) => cb(null, 'h'),
      verify: (_req: unknown, _state: unknown, _meta: unknown, cb: (err: null, ok: boolean) => void) => cb(null, true),
    };
    expect(() => makeStrategy({ oidc: true, store: store as never })).toThrow(
      new TypeError(
        "NaverStrategy: PKCE is on, and the state store's store() takes no verifier (fewer than 5 arguments): give a store of the (req, verifier, state, meta, callback) kind, such as CookieStateStore, or say pkce: false",
      ),
    );
    expect(makeStrategy({ store: store as never }).strategy.name).toBe('naver');
  });
});
