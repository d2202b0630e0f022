/**
 * Naver OpenID Connect (docs/providers/naver.md B5, B8): the `/oauth2/*` paths with `openid` and PKCE S256, a nonce sent
 * and checked when echoed, the id_token verified with jose before the verify callback, the id_token-only profile, and
 * the same tamper suite as Kakao's, every bad token refused with a stable code. Keys are made here; Naver is nock.
 */
import { describeIdTokenTamperSuite, expectOutcome, fakeRequest, runStrategy, useStrictNock } from '@passport-korea/internal/testing';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import type { JWK } from 'jose';
import nock from 'nock';
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { NAVER_ISSUER, NaverAuthClient, NaverIdTokenError, Strategy } from '../src/index.js';
import type { NaverIdTokenErrorCode, NaverProfile, NaverStrategyOptions, NaverTokenResponse, NaverVerifyCallback } from '../src/index.js';
import { OIDC_TOKEN_RESPONSE_DOC_FIELDS, USER_FULL_DOC } from './fixtures/naver.js';
import { AUTH_CODE, CALLBACK_URL, CLIENT_ID, CLIENT_SECRET, NID, OPENAPI, finishLogin, startLogin } from './helpers.js';

useStrictNock();

type Key = { privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey']; jwk: JWK };
let keyA: Key;
let keyB: Key;
beforeAll(async () => {
  const make = async (kid: string) => {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    return { privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
  };
  keyA = await make('naver-key-a');
  keyB = await make('naver-key-b');
});

const now = () => Math.floor(Date.now() / 1000);
/** A pairwise OIDC subject: deliberately not the legacy `/v1/nid/me` id of USER_FULL_DOC ("32742776"), B8 ⚠. */
const SUB = 'nWiZ0v0E3lS2pA4d6v1CqQ7x8mJ9kR2t';
const encodedCallback = encodeURIComponent(CALLBACK_URL);

/** An id_token with the claims B5 lists (`iss`, `aud`, `sub`, `iat`, `exp`), with overrides. */
function idToken(claims: Record<string, unknown>, key: Key = keyA, header: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT({ iss: NAVER_ISSUER, aud: CLIENT_ID, sub: SUB, iat: now(), exp: now() + 3600, ...claims })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: key.jwk.kid!, ...header })
    .sign(key.privateKey);
}

function mockJWKS(keys: JWK[]) {
  return nock(NID).get('/oauth2/jwks').reply(200, { keys });
}

/** Naver's OIDC token endpoint, answering `token` as the id_token; captures the request body. */
function mockToken(token: string | undefined) {
  const captured: { body?: string } = {};
  const body: Record<string, unknown> = { ...OIDC_TOKEN_RESPONSE_DOC_FIELDS };
  if (token !== undefined) body['id_token'] = token;
  nock(NID)
    .post('/oauth2/token', (sent: unknown) => {
      captured.body = new URLSearchParams(sent as Record<string, string>).toString();
      return true;
    })
    .reply(200, body);
  return captured;
}

/** A strategy with OIDC, recording what the verify callback got. */
function oidcStrategy(options: Partial<NaverStrategyOptions> = {}) {
  const calls: Array<{ params: NaverTokenResponse; profile: NaverProfile }> = [];
  const strategy = new Strategy(
    { clientID: CLIENT_ID, clientSecret: CLIENT_SECRET, callbackURL: CALLBACK_URL, oidc: true, ...options },
    (_a: string, _r: string, params: NaverTokenResponse, profile: NaverProfile, done: NaverVerifyCallback) => {
      calls.push({ params, profile });
      done(null, { id: profile?.id });
    },
  );
  return { strategy, calls };
}

/**
 * Starts a login, returning what was sent to Naver, then finishes it with the id_token `makeToken(nonce)` gives.
 * `/v1/nid/me` is mocked only with `mockProfile`: a refused id_token must cost no profile request (strict nock).
 */
async function loginWith(strategy: Strategy, makeToken: (nonce: string) => Promise<string | undefined>, mockProfile = false) {
  const session: Record<string, unknown> = {};
  const { url, state } = await startLogin(strategy, session);
  const nonce = url.searchParams.get('nonce')!;
  const token = mockToken(await makeToken(nonce));
  if (mockProfile) nock(OPENAPI).get('/v1/nid/me').reply(200, USER_FULL_DOC);
  const outcome = await finishLogin(strategy, session, { code: AUTH_CODE, state: state! });
  return Object.assign(outcome, { sent: { url, state: state!, tokenBody: token.body } });
}

async function expectRefused(outcomePromise: Promise<Awaited<ReturnType<typeof loginWith>>>, code: NaverIdTokenErrorCode, calls: unknown[]) {
  const outcome = expectOutcome(await outcomePromise, 'error');
  expect(outcome.error).toBeInstanceOf(NaverIdTokenError);
  expect((outcome.error as NaverIdTokenError).code).toBe(code);
  expect(calls, 'the verify callback must not run').toEqual([]);
  return outcome.error as NaverIdTokenError;
}

describe('authorization request with OIDC', () => {
  it('redirects to /oauth2/authorize with exactly openid, a fresh nonce, state and PKCE S256 (B5)', async () => {
    const { strategy } = oidcStrategy();
    const session: Record<string, unknown> = {};
    const { url, state, location } = await startLogin(strategy, session);
    const nonce = url.searchParams.get('nonce')!;
    const challenge = url.searchParams.get('code_challenge')!;
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(location).toBe(
      `${NID}/oauth2/authorize?nonce=${nonce}&response_type=code&redirect_uri=${encodedCallback}&scope=openid` +
        `&code_challenge=${challenge}&code_challenge_method=S256&state=${state}&client_id=${CLIENT_ID}`,
    );
    const entry = session['oauth2:nid.naver.com'] as { state: { handle: string; code_verifier: string; state: unknown } };
    expect(entry).toEqual({ state: { handle: state, code_verifier: expect.any(String), state: { passportKorea: 1, nonce } } });
    expect(createHash('sha256').update(entry.state.code_verifier).digest('base64url')).toBe(challenge);
    expect((await startLogin(strategy, {})).url.searchParams.get('nonce')).not.toBe(nonce);
  });

  it('keeps openid in the strategy\'s scope and in a per-request scope, space-separated', async () => {
    const { strategy } = oidcStrategy({ scope: ['profile'] });
    expect((await startLogin(strategy, {})).url.searchParams.get('scope')).toBe('profile openid');
    expect((await startLogin(strategy, {}, { scope: 'profile' })).url.searchParams.get('scope')).toBe('profile openid');
    expect((await startLogin(strategy, {}, { authType: 'reauthenticate' })).url.searchParams.get('auth_type')).toBe('reauthenticate');
  });

  it('leaves the legacy login as it was: /oauth2.0/*, no scope, no nonce, no PKCE (the default)', async () => {
    const legacy = new Strategy({ clientID: CLIENT_ID, clientSecret: CLIENT_SECRET, callbackURL: CALLBACK_URL, scope: 'profile' }, (_a, _r, p, d) => d(null, p));
    const { location, state } = await startLogin(legacy, {});
    expect(location).toBe(`${NID}/oauth2.0/authorize?response_type=code&redirect_uri=${encodedCallback}&state=${state}&client_id=${CLIENT_ID}`);
  });

  it('sends PKCE on the legacy paths only when asked (pkce: true, B5 ⚠), and none in OIDC with pkce: false', async () => {
    const legacy = new Strategy({ clientID: CLIENT_ID, clientSecret: CLIENT_SECRET, callbackURL: CALLBACK_URL, pkce: true }, (_a, _r, p, d) => d(null, p));
    const legacyURL = (await startLogin(legacy, {})).url;
    expect(legacyURL.pathname).toBe('/oauth2.0/authorize');
    expect(legacyURL.searchParams.get('code_challenge_method')).toBe('S256');
    const { strategy } = oidcStrategy({ pkce: false });
    expect((await startLogin(strategy, {})).url.searchParams.has('code_challenge')).toBe(false);
  });
});

describe('verified id_token', () => {
  it('exchanges the code at /oauth2/token with exactly the verifier and state, and hands over the claims and the /v1/nid/me profile', async () => {
    const { strategy, calls } = oidcStrategy();
    mockJWKS([keyA.jwk]);
    const outcome = await loginWith(strategy, (nonce) => idToken({ nonce }), true);
    expectOutcome(outcome, 'success');
    const verifier = (outcome.sent.tokenBody ?? '').match(/code_verifier=([^&]+)/)![1];
    expect(outcome.sent.tokenBody).toBe(
      `grant_type=authorization_code&client_id=${CLIENT_ID}&client_secret=${CLIENT_SECRET}&redirect_uri=${encodedCallback}` +
        `&code=${AUTH_CODE}&state=${outcome.sent.state}&code_verifier=${verifier}`,
    );
    expect(createHash('sha256').update(verifier!).digest('base64url')).toBe(outcome.sent.url.searchParams.get('code_challenge'));
    const { params, profile } = calls[0]!;
    expect(params.id_token_claims).toEqual({ iss: NAVER_ISSUER, aud: CLIENT_ID, sub: SUB, iat: expect.any(Number), exp: expect.any(Number), nonce: outcome.sent.url.searchParams.get('nonce') });
    expect(params.expires_in).toBe(3600);
    // B8 ⚠: the profile keeps the legacy id; the OIDC sub differs and is not compared with it.
    expect(profile.id).toBe('32742776');
    expect(profile._raw).toBe(USER_FULL_DOC);
  });

  it('accepts a token without a nonce (Naver documents none, B8 ⚠), and refuses it with requireNonce: true', async () => {
    const { strategy, calls } = oidcStrategy({ profileFrom: 'idToken' });
    mockJWKS([keyA.jwk]);
    expectOutcome(await loginWith(strategy, () => idToken({})), 'success');
    expect(calls).toHaveLength(1);
    const strict = oidcStrategy({ profileFrom: 'idToken', requireNonce: true });
    mockJWKS([keyA.jwk]);
    await expectRefused(loginWith(strict.strategy, () => idToken({})), 'NONCE_MISMATCH', strict.calls);
  });

  it('builds the profile from the claims alone with profileFrom: idToken, never calling /v1/nid/me', async () => {
    const { strategy, calls } = oidcStrategy({ profileFrom: 'idToken' });
    mockJWKS([keyA.jwk]);
    expectOutcome(await loginWith(strategy, (nonce) => idToken({ nonce })), 'success');
    const claims = calls[0]!.params.id_token_claims!;
    expect(calls[0]!.profile).toEqual({
      provider: 'naver',
      id: SUB,
      displayName: '',
      _raw: JSON.stringify(claims),
      _json: { resultcode: '00', message: 'success', response: { id: SUB } },
    });
  });

  it('maps standard profile claims should a token carry them', async () => {
    const { strategy, calls } = oidcStrategy({ profileFrom: 'idToken' });
    mockJWKS([keyA.jwk]);
    const picture = 'https://ssl.pstatic.net/static/pwe/address/img_profile.png';
    expectOutcome(await loginWith(strategy, (nonce) => idToken({ nonce, nickname: 'OpenAPI', name: '오픈 API', email: 'openapi@naver.com', picture })), 'success');
    expect(calls[0]!.profile).toMatchObject({
      id: SUB, displayName: 'OpenAPI', fullName: '오픈 API', emails: [{ value: 'openapi@naver.com' }], photos: [{ value: picture }],
    });
  });

  it('does not refetch within the cooldown (default 30 s): unknown kids right after a fetch are refused without a request', async () => {
    const { strategy, calls } = oidcStrategy({ profileFrom: 'idToken' });
    mockJWKS([keyA.jwk]);
    expectOutcome(await loginWith(strategy, (nonce) => idToken({ nonce })), 'success');
    // Strict nock: any JWKS request from here on would fail the test.
    for (let i = 0; i < 3; i += 1) await expectRefused(loginWith(strategy, (nonce) => idToken({ nonce }, keyB)), 'UNKNOWN_KID', calls.slice(1));
  });

  it('uses {baseURL}/naver as the issuer and {baseURL}/oauth2/* as the endpoints with baseURL (the emulator)', async () => {
    const base = 'http://127.0.0.1:4010';
    const { strategy, calls } = oidcStrategy({ baseURL: base, profileFrom: 'idToken' });
    expect((await startLogin(strategy, {})).url.origin + (await startLogin(strategy, {})).url.pathname).toBe(`${base}/oauth2/authorize`);
    const session: Record<string, unknown> = {};
    const { url, state } = await startLogin(strategy, session);
    nock(base).get('/oauth2/jwks').reply(200, { keys: [keyA.jwk] });
    nock(base).post('/oauth2/token').reply(200, { ...OIDC_TOKEN_RESPONSE_DOC_FIELDS, id_token: await idToken({ iss: `${base}/naver`, nonce: url.searchParams.get('nonce') }) });
    expectOutcome(await finishLogin(strategy, session, { code: AUTH_CODE, state: state! }), 'success');
    expect(calls[0]!.params.id_token_claims?.iss).toBe(`${base}/naver`);
  });

});

describeIdTokenTamperSuite({
  label: 'Naver',
  issuer: NAVER_ISSUER,
  clientID: CLIENT_ID,
  clientSecret: CLIENT_SECRET,
  subject: SUB,
  errorClass: NaverIdTokenError,
  strategy: (options) => oidcStrategy({ profileFrom: 'idToken', ...options }),
  login: (strategy, makeToken) => loginWith(strategy as Strategy, makeToken),
  mockJWKS: (status, body) => {
    nock(NID).get('/oauth2/jwks').reply(status, body as Record<string, unknown>);
  },
});

describe('nonces Naver may leave out (B8 ⚠)', () => {
  /** Starts a login, then drops the nonce from its session entry, as a store that keeps no per-login data would. */
  async function loginThatLostItsNonce(options: Partial<NaverStrategyOptions>) {
    const { strategy, calls } = oidcStrategy(options);
    const session: Record<string, unknown> = {};
    const { state } = await startLogin(strategy, session);
    delete (session['oauth2:nid.naver.com'] as { state: { state: { nonce?: string } } }).state.state.nonce;
    return { strategy, calls, session, state: state! };
  }

  it.each([
    ['without requireNonce, with a token carrying no nonce', {}, {}],
    ['without requireNonce, with the attacker\'s own nonce', {}, { nonce: 'the-attackers-nonce' }],
    ['with requireNonce', { requireNonce: true }, { nonce: 'whatever' }],
  ] as const)('refuses a login whose session entry lost its nonce (NO_STORED_NONCE, no key fetched) %s', async (_case, options, claims) => {
    // The attack this stops: an attacker's code (and its valid id_token) replayed into the victim's callback.
    const { strategy, calls, session, state } = await loginThatLostItsNonce(options);
    mockToken(await idToken(claims));
    const outcome = expectOutcome(await finishLogin(strategy, session, { code: AUTH_CODE, state }), 'error');
    expect((outcome.error as NaverIdTokenError).code).toBe('NO_STORED_NONCE');
    expect(calls).toEqual([]);
  });

  it('requires the nonce by default when PKCE is off (pkce: false), since then only the nonce ties the answer to the login', async () => {
    const { strategy, calls } = oidcStrategy({ pkce: false, profileFrom: 'idToken' });
    mockJWKS([keyA.jwk]);
    await expectRefused(loginWith(strategy, () => idToken({})), 'NONCE_MISMATCH', calls);
    expectOutcome(await loginWith(strategy, (nonce) => idToken({ nonce })), 'success');
    const relaxed = oidcStrategy({ pkce: false, requireNonce: false, profileFrom: 'idToken' });
    mockJWKS([keyA.jwk]);
    expectOutcome(await loginWith(relaxed.strategy, () => idToken({})), 'success');
  });
});

describe('options', () => {
  const verify = (_a: string, _r: string, p: NaverProfile, d: NaverVerifyCallback) => d(null, p);
  const base = { clientID: CLIENT_ID, clientSecret: CLIENT_SECRET };

  it('throws TypeErrors for inconsistent OIDC options', () => {
    expect(() => new Strategy({ ...base, profileFrom: 'idToken', oidc: false }, verify)).toThrow(new TypeError("NaverStrategy: profileFrom 'idToken' needs OpenID Connect (oidc: true)"));
    expect(() => new Strategy({ ...base, profileFrom: 'claims' as never }, verify)).toThrow(new TypeError("NaverStrategy: profileFrom must be 'userinfo' or 'idToken'"));
    const noState = new TypeError(
      "NaverStrategy: OpenID Connect keeps a nonce and a PKCE verifier with each login's state; it can't run with state: false (use a store, e.g. CookieStateStore, to run without sessions)",
    );
    expect(() => new Strategy({ ...base, oidc: true, state: false }, verify)).toThrow(noState);
    expect(() => new Strategy({ ...base, oidc: true, state: false, pkce: false }, verify)).toThrow(noState);
    expect(() => new Strategy({ ...base, requireNonce: true }, verify)).toThrow(new TypeError('NaverStrategy: requireNonce needs OpenID Connect (oidc: true)'));
    expect(() => new Strategy({ ...base, oidc: true, clockTolerance: -1 }, verify)).toThrow(TypeError);
    expect(() => new Strategy({ ...base, oidc: true, jwksRefetchCooldown: Number.NaN }, verify)).toThrow(TypeError);
  });

  it('turns OIDC on with profileFrom: idToken', async () => {
    const strategy = new Strategy({ ...base, callbackURL: CALLBACK_URL, profileFrom: 'idToken' }, verify);
    expect((await startLogin(strategy, {})).url.pathname).toBe('/oauth2/authorize');
  });

  it('ends an OIDC login with a TypeError before the redirect when the store cannot keep per-login data', async () => {
    const store = {
      store: (_req: unknown, _meta: unknown, cb: (err: null, handle: string) => void) => cb(null, 'h'),
      verify: (_req: unknown, _state: unknown, cb: (err: null, ok: boolean) => void) => cb(null, true),
    };
    const { strategy } = oidcStrategy({ store: store as never, pkce: false });
    const outcome = expectOutcome(await runStrategy(strategy, fakeRequest('/auth/naver', {})), 'error');
    expect(outcome.error).toBeInstanceOf(TypeError);
  });

  it('gives NaverAuthClient the OIDC token endpoint with oidc: true, and the legacy one otherwise', () => {
    expect(new NaverAuthClient({ ...base, oidc: true }).endpoints.tokenURL).toBe(`${NID}/oauth2/token`);
    expect(new NaverAuthClient(base).endpoints.tokenURL).toBe(`${NID}/oauth2.0/token`);
    expect(new NaverAuthClient({ ...base, profileFrom: 'idToken' }).endpoints.tokenURL).toBe(`${NID}/oauth2/token`);
    expect(new NaverAuthClient({ ...base, profileFrom: 'idToken', oidc: false }).endpoints.tokenURL).toBe(`${NID}/oauth2.0/token`);
    expect(new NaverAuthClient({ ...base, oidc: true }).endpoints.revokeURL).toBe(`${NID}/oauth2.0/revoke`);
  });
});
