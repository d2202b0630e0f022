/**
 * OpenID Connect: nonce per login, id_token verified with jose before the verify callback, id_token-only profiles,
 * and every bad token refused with a stable code. Keys are made here with jose; Kakao is nock.
 */
import { describeIdTokenTamperSuite, expectOutcome, fakeRequest, runStrategy, useStrictNock } from '@passport-korea/internal/testing';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import type { JWK } from 'jose';
import nock from 'nock';
import { beforeAll, describe, expect, it } from 'vitest';
import { KakaoIdTokenError, SessionRequiredError, Strategy } from '../src/index.js';
import type { KakaoIdTokenErrorCode, KakaoProfile, KakaoStrategyOptions, KakaoTokenResponse, KakaoVerifyCallback } from '../src/index.js';
import { TOKEN_RESPONSE_REST_OBS, USER_NICKNAME_ONLY_DOC } from './fixtures/kakao.js';
import { AUTH_CODE, CALLBACK_URL, CLIENT_ID, CLIENT_SECRET, KAPI, KAUTH, finishLogin, startLogin } from './helpers.js';

useStrictNock();

type Key = { privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey']; jwk: JWK };
let keyA: Key;
beforeAll(async () => {
  const make = async (kid: string) => {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    return { privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
  };
  keyA = await make('kakao-key-a');
});

const now = () => Math.floor(Date.now() / 1000);

/** An id_token as Kakao signs it (A6), with overrides. */
function idToken(claims: Record<string, unknown>, key: Key = keyA, header: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT({ iss: KAUTH, aud: CLIENT_ID, sub: '3621318900', iat: now(), exp: now() + 21599, auth_time: now(), nickname: '지히', ...claims })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: key.jwk.kid!, ...header })
    .sign(key.privateKey);
}

function mockJWKS(keys: JWK[]) {
  return nock(KAUTH).get('/.well-known/jwks.json').reply(200, { keys });
}

function mockToken(token: string | undefined) {
  const body = JSON.parse(TOKEN_RESPONSE_REST_OBS) as Record<string, unknown>;
  if (token !== undefined) body['id_token'] = token;
  body['scope'] = 'profile_nickname openid';
  nock(KAUTH).post('/oauth/token').reply(200, body);
}

/** A strategy with OIDC, recording what the verify callback got. */
function oidcStrategy(options: Partial<KakaoStrategyOptions> = {}) {
  const calls: Array<{ params: KakaoTokenResponse; profile: KakaoProfile }> = [];
  const strategy = new Strategy(
    { clientID: CLIENT_ID, clientSecret: CLIENT_SECRET, callbackURL: CALLBACK_URL, scope: ['profile_nickname', 'openid'], ...options },
    (_a: string, _r: string, params: KakaoTokenResponse, profile: KakaoProfile, done: KakaoVerifyCallback) => {
      calls.push({ params, profile });
      done(null, { id: profile.id });
    },
  );
  return { strategy, calls };
}

/**
 * Starts a login, returning the nonce sent to Kakao, then finishes it with the id_token `makeToken(nonce)` gives.
 * `/v2/user/me` is mocked only with `mockProfile`: a refused id_token must cost no profile request (strict nock).
 */
async function loginWith(strategy: Strategy, makeToken: (nonce: string) => Promise<string | undefined>, mockProfile = false) {
  const session: Record<string, unknown> = {};
  const { url, state } = await startLogin(strategy, session);
  const nonce = url.searchParams.get('nonce')!;
  mockToken(await makeToken(nonce));
  if (mockProfile) nock(KAPI).get('/v2/user/me').query(true).reply(200, USER_NICKNAME_ONLY_DOC);
  return finishLogin(strategy, session, { code: AUTH_CODE, state: state! });
}

async function expectRefused(outcomePromise: ReturnType<typeof loginWith>, code: KakaoIdTokenErrorCode, calls: unknown[]) {
  const outcome = expectOutcome(await outcomePromise, 'error');
  expect(outcome.error).toBeInstanceOf(KakaoIdTokenError);
  expect((outcome.error as KakaoIdTokenError).code).toBe(code);
  expect(calls, 'the verify callback must not run').toEqual([]);
  return outcome.error as KakaoIdTokenError;
}

describe('authorization request with OIDC', () => {
  it('sends openid and a fresh nonce per login, kept in the session entry with the state', async () => {
    const { strategy } = oidcStrategy({ pkce: true });
    const session: Record<string, unknown> = {};
    const first = await startLogin(strategy, session);
    expect(first.url.searchParams.get('scope')).toBe('profile_nickname,openid');
    const nonce = first.url.searchParams.get('nonce')!;
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(session['oauth2:kauth.kakao.com']).toEqual({
      state: { handle: first.state, code_verifier: expect.any(String), state: { passportKorea: 1, nonce } },
    });
    const second = await startLogin(strategy, {});
    expect(second.url.searchParams.get('nonce')).not.toBe(nonce);
  });

  it('adds openid to the scope with oidc: true, and to a per-request scope', async () => {
    const { strategy } = oidcStrategy({ scope: 'profile_nickname', oidc: true });
    expect((await startLogin(strategy, {})).url.searchParams.get('scope')).toBe('profile_nickname,openid');
    expect((await startLogin(strategy, {}, { scope: ['account_email'] })).url.searchParams.get('scope')).toBe('account_email,openid');
  });

  it('turns OIDC on for one request whose scope asks for openid', async () => {
    const { strategy } = oidcStrategy({ scope: 'profile_nickname', oidc: undefined });
    const plain = new Strategy({ clientID: CLIENT_ID, callbackURL: CALLBACK_URL }, (_a, _r, p, d) => d(null, p));
    expect((await startLogin(plain, {})).url.searchParams.has('nonce')).toBe(false);
    expect((await startLogin(plain, {}, { scope: 'openid' })).url.searchParams.get('nonce')).toBeTruthy();
    expect((await startLogin(strategy, {})).url.searchParams.has('nonce')).toBe(false);
    expect((await startLogin(strategy, {}, { scope: 'openid' })).url.searchParams.get('scope')).toBe('openid');
  });

  it('ends the request with a SessionRequiredError naming both remedies when there is no session and no store', async () => {
    const { strategy } = oidcStrategy();
    const req = fakeRequest('/auth/kakao', {});
    delete (req as Partial<typeof req>).session;
    const outcome = expectOutcome(await runStrategy(strategy, req), 'error');
    expect(outcome.error).toBeInstanceOf(SessionRequiredError);
    expect((outcome.error as SessionRequiredError).code).toBe('SESSION_REQUIRED');
    expect((outcome.error as Error).message).toContain('express-session');
    expect((outcome.error as Error).message).toContain('store: new CookieStateStore({ secret: process.env.LOGIN_COOKIE_SECRET })');
  });
});

describe('verified id_token', () => {
  it('reaches the verify callback as verified claims, with the profile from /v2/user/me', async () => {
    const { strategy, calls } = oidcStrategy();
    mockJWKS([keyA.jwk]);
    let sent: string | undefined;
    expectOutcome(await loginWith(strategy, (nonce) => idToken({ nonce: (sent = nonce) }), true), 'success');
    expect(calls[0]!.params.id_token_claims).toMatchObject({ iss: KAUTH, aud: CLIENT_ID, sub: '3621318900', nickname: '지히' });
    expect(sent).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(calls[0]!.params.id_token_claims?.nonce).toBe(sent);
    expect(calls[0]!.profile._raw).toBe(USER_NICKNAME_ONLY_DOC);
  });

  it('builds the profile from the claims alone with profileFrom: idToken, never calling /v2/user/me', async () => {
    const { strategy, calls } = oidcStrategy({ profileFrom: 'idToken', scope: 'profile_nickname' });
    mockJWKS([keyA.jwk]);
    const picture = 'https://k.kakaocdn.net/dn/img_110x110.jpg';
    expectOutcome(await loginWith(strategy, (nonce) => idToken({ nonce, picture, email: 'jihi@example.com' }), false), 'success');
    const claims = calls[0]!.params.id_token_claims!;
    expect(calls[0]!.profile).toEqual({
      provider: 'kakao',
      id: '3621318900',
      displayName: '지히',
      photos: [{ value: picture, type: 'thumbnail' }],
      emails: [{ value: 'jihi@example.com', verified: true }],
      _raw: JSON.stringify(claims),
      _json: { id: 3621318900, kakao_account: { profile: { nickname: '지히', thumbnail_image_url: picture }, email: 'jihi@example.com', is_email_valid: true, is_email_verified: true } },
    });
  });

  it('leaves fields the claims lack absent in an id_token profile', async () => {
    const { strategy, calls } = oidcStrategy({ profileFrom: 'idToken' });
    mockJWKS([keyA.jwk]);
    expectOutcome(await loginWith(strategy, (nonce) => idToken({ nonce, nickname: undefined }), false), 'success');
    expect(Object.keys(calls[0]!.profile).sort()).toEqual(['_json', '_raw', 'displayName', 'id', 'provider']);
    expect(calls[0]!.profile.displayName).toBe('');
  });

  it('verifies an id_token Kakao sends unasked (no OIDC, no nonce) all the same, and hands out its claims', async () => {
    const { strategy, calls } = oidcStrategy({ scope: 'profile_nickname' });
    mockJWKS([keyA.jwk]);
    expectOutcome(await loginWith(strategy, () => idToken({}), true), 'success');
    expect(calls[0]!.params.id_token_claims).toMatchObject({ iss: KAUTH, aud: CLIENT_ID, sub: '3621318900' });
  });

  it("drops an unasked id_token when Kakao's keys are out of reach: the login goes on, with neither the token nor claims", async () => {
    const { strategy, calls } = oidcStrategy({ scope: 'profile_nickname' });
    nock(KAUTH).get('/.well-known/jwks.json').reply(503, 'unavailable');
    expectOutcome(await loginWith(strategy, () => idToken({}), true), 'success');
    expect([calls[0]!.params.id_token, calls[0]!.params.id_token_claims]).toEqual([undefined, undefined]);
  });

  it('refuses an unasked id_token that is forged (alg none) or carries a nonce the login never sent', async () => {
    const forged = oidcStrategy({ scope: 'profile_nickname' });
    const unsigned = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ iss: KAUTH, aud: CLIENT_ID, sub: '1', iat: now(), exp: now() + 60 })).toString('base64url')}.`;
    await expectRefused(loginWith(forged.strategy, async () => unsigned), 'ALG_NOT_ALLOWED', forged.calls);
    const replayed = oidcStrategy({ scope: 'profile_nickname' });
    mockJWKS([keyA.jwk]);
    await expectRefused(loginWith(replayed.strategy, () => idToken({ nonce: 'another-login' })), 'NONCE_MISMATCH', replayed.calls);
  });

  it("refuses to start an OpenID Connect login whose nonce has nowhere to be kept (state: false, no store, the app's own state)", async () => {
    const { strategy, calls } = oidcStrategy({ scope: 'profile_nickname', state: false, pkce: false });
    const started = await runStrategy(strategy, fakeRequest('/auth/kakao'), { scope: 'openid', state: 'app-csrf-token' });
    expect(expectOutcome(started, 'error').error).toEqual(
      new TypeError(
        'KakaoStrategy: this login asks for an id_token (OpenID Connect), and with state: false and no store its nonce has nowhere to be kept, so the id_token could not be checked: turn state on, or give a store (e.g. CookieStateStore)',
      ),
    );
    // The callback an attacker forges for that configuration: its unsigned id_token never reaches the verify callback.
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ iss: KAUTH, aud: CLIENT_ID, sub: '1', iat: now(), exp: now() + 60 })).toString('base64url')}.`;
    mockToken(unsigned);
    const callback = await runStrategy(strategy, fakeRequest(`/auth/kakao/callback?code=${AUTH_CODE}&state=app-csrf-token`), { scope: 'openid' });
    expect((expectOutcome(callback, 'error').error as KakaoIdTokenError).code).toBe('ALG_NOT_ALLOWED');
    expect(calls).toEqual([]);
  });

});

describeIdTokenTamperSuite({
  label: 'Kakao',
  issuer: KAUTH,
  clientID: CLIENT_ID,
  clientSecret: CLIENT_SECRET,
  subject: '3621318900',
  errorClass: KakaoIdTokenError,
  strategy: (options) => oidcStrategy({ profileFrom: 'idToken', ...options }),
  login: (strategy, makeToken) => loginWith(strategy as Strategy, makeToken),
  mockJWKS: (status, body) => {
    nock(KAUTH).get('/.well-known/jwks.json').reply(status, body as Record<string, unknown>);
  },
});

describe('bad id_tokens are refused with stable codes and nobody is logged in', () => {
  it('refuses a token without the nonce (Kakao echoes it, A6): NONCE_MISMATCH', async () => {
    const { strategy, calls } = oidcStrategy();
    mockJWKS([keyA.jwk]);
    await expectRefused(loginWith(strategy, () => idToken({})), 'NONCE_MISMATCH', calls);
  });

  it('refuses OIDC with state off at construction: a login that kept no nonce would take an attacker\'s valid id_token', () => {
    // The attack: with no nonce of its own, the callback would accept any valid id_token for this app, so an attacker's
    // code and token, replayed into the victim's browser, would log the victim into the attacker's account.
    expect(() => oidcStrategy({ state: false, pkce: false })).toThrow(
      new TypeError("KakaoStrategy: OpenID Connect keeps a nonce and a PKCE verifier with each login's state; it can't run with state: false (use a store, e.g. CookieStateStore, to run without sessions)"),
    );
  });

  it('refuses a login whose session entry lost its nonce (a store that keeps no per-login data)', async () => {
    const { strategy, calls } = oidcStrategy();
    const session: Record<string, unknown> = {};
    const { state } = await startLogin(strategy, session);
    const entry = session['oauth2:kauth.kakao.com'] as { state: { state: { nonce?: string } } };
    delete entry.state.state.nonce;
    mockToken(await idToken({ nonce: 'whatever' }));
    const outcome = expectOutcome(await finishLogin(strategy, session, { code: AUTH_CODE, state: state! }), 'error');
    expect((outcome.error as KakaoIdTokenError).code).toBe('NO_STORED_NONCE');
    expect(calls).toEqual([]);
  });

  it('refuses a userinfo profile whose id is not the id_token sub (SUBJECT_MISMATCH)', async () => {
    const { strategy, calls } = oidcStrategy();
    mockJWKS([keyA.jwk]);
    await expectRefused(loginWith(strategy, (nonce) => idToken({ nonce, sub: '42' }), true), 'SUBJECT_MISMATCH', calls);
  });

  it('ends an OIDC login with a TypeError before the redirect when the store cannot keep per-login data', async () => {
    // A passport-oauth2 store whose store() takes (req, meta, cb) has nowhere to put the nonce.
    const store = {
      store: (_req: unknown, _meta: unknown, cb: (err: null, handle: string) => void) => cb(null, 'h'),
      verify: (_req: unknown, _state: unknown, cb: (err: null, ok: boolean) => void) => cb(null, true),
    };
    const { strategy } = oidcStrategy({ store: store as never, pkce: false });
    const outcome = expectOutcome(await runStrategy(strategy, fakeRequest('/auth/kakao', {})), 'error');
    expect(outcome.error).toEqual(new TypeError(
      'The state store does not keep per-login data (its store() takes fewer than 4 arguments), so the OpenID Connect nonce has nowhere to go',
    ));
  });

  it('throws TypeErrors for inconsistent OIDC options', () => {
    const verify = (_a: string, _r: string, p: KakaoProfile, d: KakaoVerifyCallback) => d(null, p);
    expect(() => new Strategy({ clientID: 'k', profileFrom: 'idToken', oidc: false }, verify)).toThrow(TypeError);
    expect(() => new Strategy({ clientID: 'k', profileFrom: 'claims' as never }, verify)).toThrow(TypeError);
    expect(() => new Strategy({ clientID: 'k', clockTolerance: -1 }, verify)).toThrow(TypeError);
    expect(() => new Strategy({ clientID: 'k', jwksRefetchCooldown: Number.NaN }, verify)).toThrow(TypeError);
  });
});
