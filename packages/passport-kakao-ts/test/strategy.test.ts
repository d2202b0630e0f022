import { createHash } from 'node:crypto';
import { expectOutcome, fakeRequest, runStrategy, useStrictNock } from '@passport-korea/internal/testing';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { KakaoStrategy, Strategy } from '../src/index.js';
import type { Request } from 'express';
import type { KakaoProfile, KakaoTokenResponse, KakaoVerifyCallback } from '../src/index.js';
import { TOKEN_RESPONSE_REST_OBS, USER_FULL_CONSENT_DOC, USER_NICKNAME_ONLY_DOC } from './fixtures/kakao.js';
import {
  ACCESS_TOKEN, AUTH_CODE, CALLBACK_URL, CLIENT_ID, CLIENT_SECRET, KAPI, KAUTH, finishLogin, login, makeStrategy, startLogin,
} from './helpers.js';

useStrictNock();

const encodedCallback = encodeURIComponent(CALLBACK_URL);

/** Mocks a successful token exchange and profile fetch; returns the captured token request body. */
function mockKakao(userBody = USER_FULL_CONSENT_DOC, expectedTokenBody?: string) {
  const captured: { tokenBody?: string; profileHeaders?: Record<string, string | string[]> } = {};
  nock(KAUTH)
    .post('/oauth/token', (body: unknown) => {
      captured.tokenBody = new URLSearchParams(body as Record<string, string>).toString();
      return expectedTokenBody === undefined || captured.tokenBody === expectedTokenBody;
    })
    .matchHeader('content-type', 'application/x-www-form-urlencoded;charset=utf-8')
    .reply(200, TOKEN_RESPONSE_REST_OBS, { 'Content-Type': 'application/json;charset=UTF-8' });
  nock(KAPI)
    .get('/v2/user/me')
    .query({ secure_resource: 'true' })
    .matchHeader('authorization', `Bearer ${ACCESS_TOKEN}`)
    .reply(200, function () {
      captured.profileHeaders = this.req.headers;
      return userBody;
    });
  return captured;
}

describe('construction', () => {
  it('is named kakao and exported as Strategy and KakaoStrategy', () => {
    expect(makeStrategy().strategy.name).toBe('kakao');
    expect(KakaoStrategy).toBe(Strategy);
  });

  it.each([
    [{}, 'KakaoStrategy requires the clientID option (a non-empty string)'],
    [{ clientID: '' }, 'KakaoStrategy requires the clientID option (a non-empty string)'],
    [{ clientID: 'k', timeout: 0 }, 'KakaoStrategy: the timeout option must be a positive number of milliseconds'],
    [{ clientID: 'k', timeout: Number.NaN }, 'KakaoStrategy: the timeout option must be a positive number of milliseconds'],
    [{ clientID: 'k', timeout: 2 ** 31 }, 'KakaoStrategy: the timeout option must be at most 2147483647 ms (about 24.8 days)'],
    [{ clientID: 'k', loginTimeout: 2 ** 31 }, 'KakaoStrategy: the loginTimeout option must be at most 2147483647 ms (about 24.8 days)'],
    [{ clientID: 'k', clientSecret: '' }, 'KakaoStrategy: the clientSecret option must be a non-empty string when given'],
    [{ clientID: 'k', tokenURL: 42 }, 'KakaoStrategy: the tokenURL option must be a non-empty string when given'],
  ])('throws a TypeError for bad options %j', (options, message) => {
    expect(() => new Strategy(options as never, () => undefined)).toThrow(new TypeError(message));
  });

  it('throws a TypeError without options or verify callback', () => {
    expect(() => new Strategy(undefined as never, () => undefined)).toThrow(new TypeError('KakaoStrategy requires an options object'));
    expect(() => new Strategy({ clientID: 'k' }, undefined as never)).toThrow(new TypeError('KakaoStrategy requires a verify callback'));
  });

  it('refuses OpenID Connect without state (the nonce and verifier would have nowhere to go)', () => {
    const message = "KakaoStrategy: OpenID Connect keeps a nonce and a PKCE verifier with each login's state; it can't run with state: false (use a store, e.g. CookieStateStore, to run without sessions)";
    for (const options of [{ oidc: true }, { scope: ['openid'] }, { profileFrom: 'idToken' as const }]) {
      expect(() => new Strategy({ clientID: 'k', state: false, pkce: false, ...options }, () => undefined)).toThrow(new TypeError(message));
    }
  });

  it('refuses PKCE without state, as passport-oauth2 does', () => {
    expect(() => new Strategy({ clientID: 'k', pkce: true, state: false }, () => undefined)).toThrow(TypeError);
  });
});

describe('authorization request', () => {
  it('redirects to Kakao with exactly the default parameters, a fresh state and PKCE S256 (on by default)', async () => {
    const session: Record<string, unknown> = {};
    const { location, state, url } = await startLogin(makeStrategy().strategy, session);
    expect(state).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const challenge = url.searchParams.get('code_challenge')!;
    expect(location).toBe(
      `${KAUTH}/oauth/authorize?response_type=code&redirect_uri=${encodedCallback}&code_challenge=${challenge}&code_challenge_method=S256&state=${state}&client_id=${CLIENT_ID}`,
    );
    const entry = (session['oauth2:kauth.kakao.com'] as { state: { handle: string; code_verifier: string; state: unknown } }).state;
    expect(entry).toEqual({ handle: state, code_verifier: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), state: { passportKorea: 1 } });
    expect(createHash('sha256').update(entry.code_verifier).digest('base64url')).toBe(challenge);
  });

  it('keeps a string state of authenticate as the app\'s data under a random handle, with the verifier, and returns it as info.state', async () => {
    const { strategy } = makeStrategy();
    const session: Record<string, unknown> = {};
    const { url, state } = await startLogin(strategy, session, { state: 'returnTo=/x' });
    expect(state).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const entry = (session['oauth2:kauth.kakao.com'] as { state: { handle: string; code_verifier: string; state: unknown } }).state;
    expect(entry).toEqual({ handle: state, code_verifier: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), state: { passportKorea: 1, state: 'returnTo=/x' } });
    expect(url.searchParams.get('code_challenge')).toBe(createHash('sha256').update(entry.code_verifier).digest('base64url'));
    mockKakao(USER_NICKNAME_ONLY_DOC);
    const outcome = expectOutcome(await finishLogin(strategy, session, { code: AUTH_CODE, state: state! }), 'success');
    expect(outcome.info).toEqual({ state: 'returnTo=/x' });
    const forged = expectOutcome(await finishLogin(strategy, session, { code: AUTH_CODE, state: 'returnTo=/x' }), 'fail');
    expect(forged.status).toBe(403);
  });

  it('sends a string state as it is with state: false and no store (the app keeps its own, as in passport-oauth2)', async () => {
    const { url } = await startLogin(makeStrategy({ state: false, pkce: false }).strategy, {}, { state: 'app-csrf-token' });
    expect(url.searchParams.get('state')).toBe('app-csrf-token');
  });

  it('sends no PKCE parameters with pkce: false', async () => {
    const { url } = await startLogin(makeStrategy({ pkce: false }).strategy, {});
    expect(url.searchParams.has('code_challenge')).toBe(false);
    expect(url.searchParams.has('code_challenge_method')).toBe(false);
  });

  it('refuses state: false without saying pkce: false (the verifier would have nowhere to go)', () => {
    expect(() => new Strategy({ clientID: 'k', state: false }, () => undefined)).toThrow(
      new TypeError('KakaoStrategy: PKCE is on by default and needs somewhere to keep its verifier; with state: false, say pkce: false too'),
    );
  });

  it('joins scopes, prompts and service terms with commas and sends login_hint', async () => {
    const { strategy } = makeStrategy({ scope: ['profile_nickname', 'account_email'], state: false, pkce: false, insecureAllowLoginCSRF: true });
    const { location } = await startLogin(strategy, {}, {
      prompt: 'login,select_account',
      loginHint: 'user@example.com',
      serviceTerms: ['terms_a', 'terms_b'],
    });
    expect(location).toBe(
      `${KAUTH}/oauth/authorize?prompt=login%2Cselect_account&login_hint=user%40example.com&service_terms=terms_a%2Cterms_b` +
        `&response_type=code&redirect_uri=${encodedCallback}&scope=profile_nickname%2Caccount_email&client_id=${CLIENT_ID}`,
    );
  });

  it('sends a scope given as one string comma-separated too, however it was separated', async () => {
    const { strategy } = makeStrategy({ scope: 'profile_nickname account_email, gender', state: false, pkce: false, insecureAllowLoginCSRF: true });
    expect((await startLogin(strategy, {})).url.searchParams.get('scope')).toBe('profile_nickname,account_email,gender');
    expect((await startLogin(strategy, {}, { scope: ' profile_image  gender' })).url.searchParams.get('scope')).toBe('profile_image,gender');
  });

  it('refuses PKCE with a state store that has no place for the verifier, and takes it with pkce: false', () => {
    const store = {
      store: (_req: unknown, _state: unknown, _meta: unknown, cb: (err: null, handle: string) => void) => cb(null, 'h'),
      verify: (_req: unknown, _state: unknown, _meta: unknown, cb: (err: null, ok: boolean) => void) => cb(null, true),
    };
    expect(() => makeStrategy({ store: store as never })).toThrow(
      new TypeError(
        "KakaoStrategy: PKCE is on, and the state store's store() takes no verifier (fewer than 5 arguments): give a store of the (req, verifier, state, meta, callback) kind, such as CookieStateStore, or say pkce: false",
      ),
    );
    expect(makeStrategy({ store: store as never, pkce: false }).strategy.name).toBe('kakao');
  });

  it('lets a request ask for additional consent with its own scope', async () => {
    const { strategy } = makeStrategy({ scope: 'profile_nickname', state: false, pkce: false, insecureAllowLoginCSRF: true });
    const { url } = await startLogin(strategy, {}, { scope: ['account_email', 'gender'], prompt: 'none' });
    expect(url.searchParams.get('scope')).toBe('account_email,gender');
    expect(url.searchParams.get('prompt')).toBe('none');
  });

  it('lets nothing but the allow-listed options reach the URL', async () => {
    const { strategy } = makeStrategy({ state: false, pkce: false, insecureAllowLoginCSRF: true });
    const { url } = await startLogin(strategy, {}, {
      nonce: 'n', auth_type: 'reprompt', lang: 'en', client_secret: 'leak', access_type: 'offline', failureRedirect: '/x',
    });
    expect([...url.searchParams.keys()]).toEqual(['response_type', 'redirect_uri', 'client_id']);
  });

  it('sends prompt values as checked: trimmed, joined with commas, and none for an empty list', async () => {
    const { strategy } = makeStrategy({ state: false, pkce: false, insecureAllowLoginCSRF: true });
    expect((await startLogin(strategy, {}, { prompt: 'login, select_account' })).url.searchParams.get('prompt')).toBe('login,select_account');
    expect((await startLogin(strategy, {}, { prompt: ['login', ' none'] })).url.searchParams.get('prompt')).toBe('login,none');
    expect((await startLogin(strategy, {}, { prompt: [] })).url.searchParams.has('prompt')).toBe(false);
  });

  it('ends the request with a TypeError for an unknown prompt value', async () => {
    const outcome = expectOutcome(await runStrategy(makeStrategy().strategy, fakeRequest('/auth/kakao', {}), { prompt: 'consent' }), 'error');
    expect(outcome.error).toEqual(new TypeError('KakaoStrategy: unknown prompt "consent"; use login, none, create or select_account'));
  });

  it('sends an S256 code_challenge with PKCE and the matching verifier to the token endpoint', async () => {
    const { strategy } = makeStrategy({ pkce: true });
    const session: Record<string, unknown> = {};
    const { url, state } = await startLogin(strategy, session);
    const stored = (session['oauth2:kauth.kakao.com'] as { state: { code_verifier: string } }).state;
    const challenge = createHash('sha256').update(stored.code_verifier).digest('base64url');
    expect(url.searchParams.get('code_challenge')).toBe(challenge);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    const expectedBody =
      `grant_type=authorization_code&client_id=${CLIENT_ID}&client_secret=${CLIENT_SECRET}&redirect_uri=${encodedCallback}` +
      `&code=${AUTH_CODE}&code_verifier=${stored.code_verifier}`;
    mockKakao(USER_NICKNAME_ONLY_DOC, expectedBody);
    expectOutcome(await finishLogin(strategy, session, { code: AUTH_CODE, state: state! }), 'success');
  });

  it('builds endpoints from baseURL, with explicit endpoints winning', async () => {
    const { strategy } = makeStrategy({ baseURL: 'http://127.0.0.1:9/', tokenURL: 'http://127.0.0.1:9/custom/token', state: false, pkce: false, insecureAllowLoginCSRF: true });
    const { url } = await startLogin(strategy, {});
    expect(url.origin + url.pathname).toBe('http://127.0.0.1:9/oauth/authorize');
    const internals = strategy as unknown as { _oauth2: { _accessTokenUrl: string }; _profileURL: string };
    expect(internals._oauth2._accessTokenUrl).toBe('http://127.0.0.1:9/custom/token');
    expect(internals._profileURL).toBe('http://127.0.0.1:9/v2/user/me?secure_resource=true');
  });
});

describe('callback', () => {
  it('exchanges the code with exactly the expected body, fetches the profile with a Bearer header, and logs in', async () => {
    const { strategy, calls } = makeStrategy();
    const captured = mockKakao();
    const outcome = expectOutcome(await login(strategy), 'success');

    expect(captured.tokenBody).toMatch(new RegExp(
      `^grant_type=authorization_code&client_id=${CLIENT_ID}&client_secret=${CLIENT_SECRET}&redirect_uri=${encodedCallback}&code=${AUTH_CODE}&code_verifier=[A-Za-z0-9_-]{43}$`,
    ));
    expect(captured.profileHeaders?.['authorization']).toBe(`Bearer ${ACCESS_TOKEN}`);
    expect(outcome.user).toEqual({ id: '123456789' });
    expect(calls).toHaveLength(1);
    const call = calls[0]!;
    expect(call.accessToken).toBe(ACCESS_TOKEN);
    expect(call.refreshToken).toBe('1PHc3Bdz-refresh-token-fixture');
    expect(call.params).toEqual({
      access_token: ACCESS_TOKEN,
      token_type: 'bearer',
      expires_in: 21599,
      scope: 'age_range birthday account_email profile_image gender profile_nickname',
      refresh_token_expires_in: 5183999,
    });
    expect(call.profile).toMatchObject({ provider: 'kakao', id: '123456789', displayName: '홍길동' });
  });

  it('leaves client_secret out of the token request when the app has none (quirk A7.4)', async () => {
    const { strategy } = makeStrategy({ clientSecret: undefined });
    const captured = mockKakao(USER_NICKNAME_ONLY_DOC);
    expectOutcome(await login(strategy), 'success');
    expect(captured.tokenBody).toMatch(new RegExp(
      `^grant_type=authorization_code&client_id=${CLIENT_ID}&redirect_uri=${encodedCallback}&code=${AUTH_CODE}&code_verifier=[A-Za-z0-9_-]{43}$`,
    ));
  });

  it('does not ask for https images when secureResource is false', async () => {
    const { strategy } = makeStrategy({ secureResource: false, state: false, pkce: false, insecureAllowLoginCSRF: true });
    nock(KAUTH).post('/oauth/token').reply(200, TOKEN_RESPONSE_REST_OBS);
    nock(KAPI).get('/v2/user/me').reply(200, USER_NICKNAME_ONLY_DOC);
    expectOutcome(await login(strategy), 'success');
  });

  it('fails with 403 when the state does not match the session', async () => {
    const { strategy } = makeStrategy();
    const session: Record<string, unknown> = {};
    await startLogin(strategy, session);
    const outcome = expectOutcome(await finishLogin(strategy, session, { code: AUTH_CODE, state: 'forged' }), 'fail');
    expect(outcome).toEqual({ kind: 'fail', challenge: { message: 'Invalid authorization request state.', code: 'STATE_MISMATCH' }, status: 403 });
  });

  it('fails with 403 when the session holds no state (callback opened directly)', async () => {
    const outcome = expectOutcome(await finishLogin(makeStrategy().strategy, {}, { code: AUTH_CODE, state: 'x' }), 'fail');
    expect(outcome.status).toBe(403);
  });

  it('passes req first with passReqToCallback and a 6-argument verify', async () => {
    const seen: unknown[] = [];
    const strategy = new Strategy(
      { clientID: CLIENT_ID, callbackURL: CALLBACK_URL, state: false, pkce: false, insecureAllowLoginCSRF: true, passReqToCallback: true },
      (req: Request, accessToken: string, _refreshToken: string, params: KakaoTokenResponse, profile: KakaoProfile, done: KakaoVerifyCallback) => {
        seen.push(req.url, accessToken, params.expires_in, profile.id);
        done(null, { id: profile.id });
      },
    );
    mockKakao(USER_NICKNAME_ONLY_DOC);
    expectOutcome(await login(strategy), 'success');
    expect(seen).toEqual([`/auth/kakao/callback?code=${AUTH_CODE}`, ACCESS_TOKEN, 21599, '3621318900']);
  });

  it('supports the 4-argument verify without params', async () => {
    let received: KakaoProfile | undefined;
    const strategy = new Strategy({ clientID: CLIENT_ID, callbackURL: CALLBACK_URL, state: false, pkce: false, insecureAllowLoginCSRF: true }, (_a, _r, profile, done) => {
      received = profile;
      done(null, false, { message: 'not allowed' });
    });
    mockKakao(USER_NICKNAME_ONLY_DOC);
    expect(await login(strategy)).toEqual({ kind: 'fail', challenge: { message: 'not allowed' }, status: undefined });
    expect(received?.displayName).toBe('지히');
  });

  it('turns an exception thrown by verify into a Passport error', async () => {
    const strategy = new Strategy({ clientID: CLIENT_ID, callbackURL: CALLBACK_URL, state: false, pkce: false, insecureAllowLoginCSRF: true }, () => {
      throw new Error('database down');
    });
    mockKakao(USER_NICKNAME_ONLY_DOC);
    const outcome = expectOutcome(await login(strategy), 'error');
    expect(outcome.error).toEqual(new Error('database down'));
  });

  it('skips the profile request with skipUserProfile', async () => {
    const { strategy, calls } = makeStrategy({ skipUserProfile: true, state: false, pkce: false, insecureAllowLoginCSRF: true });
    nock(KAUTH).post('/oauth/token').reply(200, TOKEN_RESPONSE_REST_OBS);
    const outcome = expectOutcome(await login(strategy), 'success');
    expect(outcome.user).toEqual({ id: undefined });
    expect(calls[0]?.profile).toBeUndefined();
  });

  it('asks a skipUserProfile function per login, as passport-oauth2 does: () => boolean or (accessToken, done)', async () => {
    const noSkip = makeStrategy({ skipUserProfile: () => false, state: false, pkce: false, insecureAllowLoginCSRF: true });
    mockKakao(USER_NICKNAME_ONLY_DOC);
    expectOutcome(await login(noSkip.strategy), 'success');
    expect(noSkip.calls[0]?.profile.id).toBe('3621318900');

    const tokens: string[] = [];
    const asked = makeStrategy({
      skipUserProfile: (accessToken: string, done: (err: unknown, skip?: boolean) => void) => {
        tokens.push(accessToken);
        done(null, true);
      },
      state: false,
      pkce: false,
      insecureAllowLoginCSRF: true,
    });
    nock(KAUTH).post('/oauth/token').reply(200, TOKEN_RESPONSE_REST_OBS);
    expectOutcome(await login(asked.strategy), 'success');
    expect(tokens).toEqual([ACCESS_TOKEN]);
    expect(asked.calls[0]?.profile).toBeUndefined();
  });

  it("ends the login with the error a skipUserProfile function hands its callback, and refuses a skipUserProfile that is neither", async () => {
    const failing = makeStrategy({ skipUserProfile: (_token: string, done: (err: unknown) => void) => done(new Error('flag store down')), state: false, pkce: false, insecureAllowLoginCSRF: true });
    nock(KAUTH).post('/oauth/token').reply(200, TOKEN_RESPONSE_REST_OBS);
    expect(expectOutcome(await login(failing.strategy), 'error').error).toEqual(new Error('flag store down'));
    expect(failing.calls).toEqual([]);
    expect(() => makeStrategy({ skipUserProfile: 'yes' as never })).toThrow(
      new TypeError('KakaoStrategy: skipUserProfile must be true, false or a function'),
    );
    // passport-oauth2 would call it with no argument: refused rather than handed `undefined` for the access token.
    expect(() => makeStrategy({ skipUserProfile: ((accessToken: string) => accessToken.length > 3) as never })).toThrow(
      new TypeError('KakaoStrategy: a skipUserProfile function takes no parameter, () => boolean, or two, (accessToken, done)'),
    );
  });

  it('ends the login with a TypeError when a skipUserProfile() answers anything but a boolean (a promise, say)', async () => {
    const asyncSkip = makeStrategy({ skipUserProfile: (async () => false) as never, state: false, pkce: false, insecureAllowLoginCSRF: true });
    nock(KAUTH).post('/oauth/token').reply(200, TOKEN_RESPONSE_REST_OBS);
    expect(expectOutcome(await login(asyncSkip.strategy), 'error').error).toEqual(
      new TypeError('skipUserProfile() must return true or false (an async function answers through (accessToken, done))'),
    );
    expect(asyncSkip.calls).toEqual([]);
  });

  it("loads the profile through a subclass's own userProfile, as passport-oauth2 does", async () => {
    class WithOwnProfile extends Strategy {
      override userProfile(accessToken: string, done: (err?: unknown, profile?: object) => void): void {
        super.userProfile(accessToken, (err, profile) => done(err, { ...profile, tier: 'gold' }));
      }
    }
    const received: unknown[] = [];
    const strategy = new WithOwnProfile({ clientID: CLIENT_ID, callbackURL: CALLBACK_URL, state: false, pkce: false, insecureAllowLoginCSRF: true }, (_a: string, _r: string, profile: KakaoProfile, done: KakaoVerifyCallback) => {
      received.push(profile);
      done(null, { id: profile.id });
    });
    mockKakao(USER_NICKNAME_ONLY_DOC);
    expectOutcome(await login(strategy), 'success');
    expect(received).toEqual([expect.objectContaining({ id: '3621318900', provider: 'kakao', tier: 'gold' })]);
  });

  it("merges the app's state into an info object the verify callback gives, and adds no state key without one", async () => {
    const strategy = new Strategy({ clientID: CLIENT_ID, callbackURL: CALLBACK_URL }, (_a: string, _r: string, profile: KakaoProfile, done: KakaoVerifyCallback) => {
      done(null, { id: profile.id }, { message: 'Welcome back' });
    });
    const session: Record<string, unknown> = {};
    const withState = await startLogin(strategy, session, { state: 'returnTo=/x' });
    mockKakao(USER_NICKNAME_ONLY_DOC);
    const merged = expectOutcome(await finishLogin(strategy, session, { code: AUTH_CODE, state: withState.state! }), 'success');
    expect(merged.info).toStrictEqual({ message: 'Welcome back', state: 'returnTo=/x' });
    const plain = await startLogin(strategy, session);
    mockKakao(USER_NICKNAME_ONLY_DOC);
    const alone = expectOutcome(await finishLogin(strategy, session, { code: AUTH_CODE, state: plain.state! }), 'success');
    expect(alone.info).toStrictEqual({ message: 'Welcome back' });
  });

  it('sends no redirect_uri and no code_verifier when there is neither a callbackURL nor PKCE, and the tokenParams hook\'s fields', async () => {
    class WithTokenParams extends Strategy {
      override tokenParams(): object {
        return { custom_param: 'x' };
      }
    }
    const strategy = new WithTokenParams({ clientID: CLIENT_ID, clientSecret: CLIENT_SECRET, state: false, pkce: false, insecureAllowLoginCSRF: true }, (_a: string, _r: string, profile: KakaoProfile, done: KakaoVerifyCallback) => done(null, { id: profile.id }));
    const { location } = await startLogin(strategy, {});
    expect(location).toBe(`${KAUTH}/oauth/authorize?response_type=code&client_id=${CLIENT_ID}`);
    const captured = mockKakao(USER_NICKNAME_ONLY_DOC);
    expectOutcome(await login(strategy), 'success');
    expect(captured.tokenBody).toBe(`grant_type=authorization_code&client_id=${CLIENT_ID}&client_secret=${CLIENT_SECRET}&code=${AUTH_CODE}&custom_param=x`);
  });

  it("passes a verify callback's message string to Passport as it is, as passport-oauth2 does", async () => {
    const strategy = new Strategy({ clientID: CLIENT_ID, callbackURL: CALLBACK_URL, state: false, pkce: false, insecureAllowLoginCSRF: true }, (_a: string, _r: string, profile: KakaoProfile, done: KakaoVerifyCallback) => {
      done(null, { id: profile.id }, 'Welcome back' as never);
    });
    mockKakao(USER_NICKNAME_ONLY_DOC);
    expect(expectOutcome(await login(strategy), 'success').info).toBe('Welcome back');
  });
});
