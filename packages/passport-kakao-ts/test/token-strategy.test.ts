/**
 * KakaoTokenStrategy: access tokens and id_tokens from a Kakao SDK, checked against this app (token info `app_id`,
 * id_token `aud` among the app's keys), every bad input refused before or by Kakao, the verify callback in its forms.
 * Kakao is nock (strict: unmatched requests and unused mocks fail the test); keys are made here with jose.
 */
import { inspect } from 'node:util';
import { closedPort, expectOutcome, runStrategy, silentServer, useNoUnhandledRejections, useStrictNock } from '@passport-korea/internal/testing';
import type { FakeRequest, StrategyOutcome } from '@passport-korea/internal/testing';
import express from 'express';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import type { JWK } from 'jose';
import nock from 'nock';
import passport from 'passport';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { KakaoAPIError, KakaoIdTokenError, KakaoTokenStrategy, ProviderRequestError } from '../src/index.js';
import type {
  KakaoProfile,
  KakaoTokenCredentials,
  KakaoTokenFailure,
  KakaoTokenStrategyOptions,
  KakaoVerifyCallback,
} from '../src/index.js';
import { API_ERROR_TOKEN_NOT_EXIST_DOC, HTML_BAD_GATEWAY, USER_BIG_ID_DOC, USER_NICKNAME_ONLY_DOC } from './fixtures/kakao.js';
import { ACCESS_TOKEN, KAPI, KAUTH } from './helpers.js';

useStrictNock();
useNoUnhandledRejections();

const APP_ID = 1234;
const REST_KEY = 'REST_API_KEY_FIXTURE';
const JS_KEY = 'JAVASCRIPT_KEY_FIXTURE';
const NATIVE_KEY = 'NATIVE_APP_KEY_FIXTURE';
const USER_ID = '3621318900';

// docs/providers/kakao.md A5, with the user of USER_NICKNAME_ONLY_DOC.
const TOKEN_INFO_DOC = `{"id":${USER_ID},"expires_in":7199,"app_id":${APP_ID}}`;
const TOKEN_INFO_OTHER_APP = `{"id":${USER_ID},"expires_in":7199,"app_id":5678}`;
const API_ERROR_EXPIRED_OBS = '{"msg":"this access token is already expired","code":-401}';
const API_ERROR_INTERNAL_DOC = '{"msg":"internal error","code":-1}';

type Key = { privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey']; jwk: JWK };
let key: Key;
beforeAll(async () => {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  key = { privateKey, jwk: { ...(await exportJWK(publicKey)), kid: 'kakao-key-a', alg: 'RS256', use: 'sig' } };
});

const now = () => Math.floor(Date.now() / 1000);

/** An id_token as the Kakao JavaScript SDK gets it (A6, A8: `aud` is the JavaScript key), with overrides. */
function idToken(claims: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT({ iss: KAUTH, aud: JS_KEY, sub: USER_ID, iat: now(), exp: now() + 21599, auth_time: now(), nickname: '지히', ...claims })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: key.jwk.kid! })
    .sign(key.privateKey);
}

const mockJWKS = () => nock(KAUTH).get('/.well-known/jwks.json').reply(200, { keys: [key.jwk] });
const mockTokenInfo = (body: string, status = 200, token = ACCESS_TOKEN) =>
  nock(KAPI).get('/v1/user/access_token_info').matchHeader('authorization', `Bearer ${token}`).reply(status, body);
const mockProfile = (body: string = USER_NICKNAME_ONLY_DOC, status = 200) =>
  nock(KAPI).get('/v2/user/me').query({ secure_resource: 'true' }).matchHeader('authorization', `Bearer ${ACCESS_TOKEN}`).reply(status, body);

interface Call {
  credentials: KakaoTokenCredentials;
  profile: KakaoProfile;
}

/** A strategy whose verify callback records its arguments and logs the profile in. */
function makeStrategy(options: Partial<KakaoTokenStrategyOptions> = {}) {
  const calls: Call[] = [];
  const strategy = new KakaoTokenStrategy({ appId: APP_ID, audience: [REST_KEY, JS_KEY, NATIVE_KEY], ...options }, (credentials, profile, done) => {
    calls.push({ credentials, profile });
    done(null, { id: profile.id });
  });
  return { strategy, calls };
}

/** A POST as Express hands it to Passport, after a body parser. */
function post(body: unknown, headers: Record<string, string> = {}): FakeRequest {
  return {
    query: {},
    session: {},
    headers: { host: 'app.example.com', ...headers },
    url: '/auth/kakao/token',
    method: 'POST',
    connection: { encrypted: true },
    body: body as Record<string, string>,
  };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

function expectFailure(outcome: StrategyOutcome, status: number, code: KakaoTokenFailure['code'], reason?: string): KakaoTokenFailure {
  const failed = expectOutcome(outcome, 'fail');
  expect(failed.status).toBe(status);
  const challenge = failed.challenge as KakaoTokenFailure;
  expect(challenge.code).toBe(code);
  if (reason !== undefined) expect(challenge.reason).toBe(reason);
  expect(typeof challenge.message).toBe('string');
  return challenge;
}

describe('an access token', () => {
  it('from the Authorization header: token info names this app, then the profile from /v2/user/me', async () => {
    mockTokenInfo(TOKEN_INFO_DOC);
    mockProfile();
    const { strategy, calls } = makeStrategy();
    const outcome = expectOutcome(await runStrategy(strategy, post(undefined, bearer(ACCESS_TOKEN))), 'success');
    expect(outcome.user).toEqual({ id: USER_ID });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.credentials).toEqual({
      type: 'access_token',
      accessToken: ACCESS_TOKEN,
      tokenInfo: { id: USER_ID, expiresIn: 7199, appId: APP_ID },
      idToken: undefined,
      idTokenClaims: undefined,
    });
    expect(calls[0]!.profile).toMatchObject({ provider: 'kakao', id: USER_ID, displayName: '지히', _raw: USER_NICKNAME_ONLY_DOC });
  });

  it('from the body field access_token, and the scheme of the header in any case', async () => {
    mockTokenInfo(TOKEN_INFO_DOC);
    mockProfile();
    const { strategy } = makeStrategy();
    expectOutcome(await runStrategy(strategy, post({ access_token: ACCESS_TOKEN })), 'success');

    mockTokenInfo(TOKEN_INFO_DOC);
    mockProfile();
    expectOutcome(await runStrategy(strategy, post({}, { authorization: `bearer ${ACCESS_TOKEN}` })), 'success');
  });

  it('from a configured body field', async () => {
    mockTokenInfo(TOKEN_INFO_DOC);
    mockProfile();
    const { strategy } = makeStrategy({ tokenField: 'kakaoAccessToken' });
    expectOutcome(await runStrategy(strategy, post({ kakaoAccessToken: ACCESS_TOKEN })), 'success');
  });

  it("reads only where tokenFrom says: 'header' ignores the body, 'body' ignores the header (no request to Kakao)", async () => {
    const headerOnly = makeStrategy({ tokenFrom: 'header' }).strategy;
    expectFailure(await runStrategy(headerOnly, post({ access_token: ACCESS_TOKEN })), 400, 'MISSING_TOKEN');
    const bodyOnly = makeStrategy({ tokenFrom: ['body'] }).strategy;
    expectFailure(await runStrategy(bodyOnly, post({}, bearer(ACCESS_TOKEN))), 400, 'MISSING_TOKEN');

    // tokenFrom 'body' leaves the Authorization header to the app (its own session token, say).
    mockTokenInfo(TOKEN_INFO_DOC);
    mockProfile();
    expectOutcome(await runStrategy(bodyOnly, post({ access_token: ACCESS_TOKEN }, bearer('the-apps-own-jwt'))), 'success');
  });

  it('in both the header and the body is refused (RFC 6750 §2), without asking Kakao', async () => {
    const { strategy, calls } = makeStrategy();
    expectFailure(await runStrategy(strategy, post({ access_token: ACCESS_TOKEN }, bearer(ACCESS_TOKEN))), 400, 'MULTIPLE_TOKENS');
    expect(calls).toEqual([]);
  });

  it('of another app: app_id is not appId, so the request fails and /v2/user/me is never called', async () => {
    mockTokenInfo(TOKEN_INFO_OTHER_APP); // strict nock: a /v2/user/me request would fail the test
    const { strategy, calls } = makeStrategy();
    const challenge = expectFailure(await runStrategy(strategy, post(undefined, bearer(ACCESS_TOKEN))), 401, 'TOKEN_OF_ANOTHER_APP');
    expect(calls).toEqual([]);
    expect(inspect(challenge)).not.toContain(ACCESS_TOKEN);
  });

  it('expired (kapi -401) fails with INVALID_TOKEN, not an error', async () => {
    mockTokenInfo(API_ERROR_EXPIRED_OBS, 401);
    const { strategy, calls } = makeStrategy();
    expectFailure(await runStrategy(strategy, post(undefined, bearer(ACCESS_TOKEN))), 401, 'INVALID_TOKEN');
    expect(calls).toEqual([]);
  });

  it('revoked or unknown (kapi -401 "does not exist") fails with INVALID_TOKEN', async () => {
    mockTokenInfo(API_ERROR_TOKEN_NOT_EXIST_DOC, 401);
    const { strategy } = makeStrategy();
    expectFailure(await runStrategy(strategy, post({ access_token: ACCESS_TOKEN })), 401, 'INVALID_TOKEN');
  });

  it('revoked between token info and the profile fails with INVALID_TOKEN too', async () => {
    mockTokenInfo(TOKEN_INFO_DOC);
    mockProfile(API_ERROR_TOKEN_NOT_EXIST_DOC, 401);
    const { strategy, calls } = makeStrategy();
    expectFailure(await runStrategy(strategy, post(undefined, bearer(ACCESS_TOKEN))), 401, 'INVALID_TOKEN');
    expect(calls).toEqual([]);
  });

  it('keeps a user id above 2^53 exact, from token info and profile alike', async () => {
    mockTokenInfo(`{"id":1376016924426111111,"expires_in":7199,"app_id":${APP_ID}}`);
    mockProfile(USER_BIG_ID_DOC);
    const { strategy, calls } = makeStrategy();
    expectOutcome(await runStrategy(strategy, post(undefined, bearer(ACCESS_TOKEN))), 'success');
    expect(calls[0]!.credentials.tokenInfo?.id).toBe('1376016924426111111');
    expect(calls[0]!.profile.id).toBe('1376016924426111111');
  });

  it('whose profile names another user than token info is an INVALID_RESPONSE error', async () => {
    mockTokenInfo(`{"id":999,"expires_in":7199,"app_id":${APP_ID}}`);
    mockProfile();
    const { strategy, calls } = makeStrategy();
    const outcome = expectOutcome(await runStrategy(strategy, post(undefined, bearer(ACCESS_TOKEN))), 'error');
    expect(outcome.error).toBeInstanceOf(ProviderRequestError);
    expect((outcome.error as ProviderRequestError).code).toBe('INVALID_RESPONSE');
    expect(calls).toEqual([]);
  });
});

describe('a missing or malformed token is a 400 failure, and Kakao is never asked', () => {
  // Strict nock: no mock is set up here, so any request to Kakao fails the test.
  const garbage: Array<[string, unknown]> = [
    ['an empty string', ''],
    ['a number', 12345],
    ['a list (a repeated form field)', [ACCESS_TOKEN, ACCESS_TOKEN]],
    ['an object (qs-style nesting)', { $ne: null }],
    ['null', null],
    ['an absurdly long string', 'a'.repeat(100_000)],
    ['a space inside', 'abc def'],
    ['a quote and angle brackets', '"><script>'],
    ['non-ASCII characters', '토큰토큰'],
    ['a newline (header injection)', `${ACCESS_TOKEN}\r\nX-Evil: 1`],
  ];
  it.each(garbage)('a body token that is %s', async (_what, value) => {
    const { strategy, calls } = makeStrategy();
    const challenge = expectFailure(await runStrategy(strategy, post({ access_token: value })), 400, 'MALFORMED_TOKEN');
    expect(calls).toEqual([]);
    if (typeof value === 'string' && value.length > 0) expect(inspect(challenge)).not.toContain(value);
  });

  it.each([
    ['Bearer with nothing after it', 'Bearer'],
    ['Bearer and spaces', 'Bearer    '],
    ['two tokens', `Bearer ${ACCESS_TOKEN} ${ACCESS_TOKEN}`],
    ['a bad charset', 'Bearer {"token":1}'],
  ])('an Authorization header with %s', async (_what, header) => {
    const { strategy } = makeStrategy();
    expectFailure(await runStrategy(strategy, post(undefined, { authorization: header })), 400, 'MALFORMED_TOKEN');
  });

  it('no token at all: MISSING_TOKEN, saying where it looked (and that the body was not parsed)', async () => {
    const { strategy, calls } = makeStrategy();
    const challenge = expectFailure(await runStrategy(strategy, post(undefined)), 400, 'MISSING_TOKEN');
    expect(challenge.message).toMatch(/Authorization: Bearer header.*access_token.*id_token.*body parser/);
    expectFailure(await runStrategy(strategy, post({}, { authorization: 'Basic dXNlcjpwYXNz' })), 400, 'MISSING_TOKEN');
    expect(calls).toEqual([]);
  });

  it.each([
    ['two parts', 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0'],
    ['four parts', 'a.b.c.d'],
    ['an empty signature', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.'],
    ['standard base64 characters', 'eyJh+GciOi.eyJzdWIi/In0.c2lnbmF0dXJl'],
    ['a number', 42],
    ['an absurd length', `${'a'.repeat(9000)}.b.c`],
  ])('an id_token with %s: MALFORMED_ID_TOKEN, no JWKS request', async (_what, value) => {
    const { strategy } = makeStrategy();
    expectFailure(await runStrategy(strategy, post({ id_token: value })), 400, 'MALFORMED_ID_TOKEN');
  });

  it('a nonce that is not a short string: MALFORMED_NONCE', async () => {
    const { strategy } = makeStrategy();
    const token = await idToken();
    expectFailure(await runStrategy(strategy, post({ id_token: token, nonce: ['a', 'b'] })), 400, 'MALFORMED_NONCE');
    expectFailure(await runStrategy(strategy, post({ id_token: token, nonce: 'n'.repeat(600) })), 400, 'MALFORMED_NONCE');
  });
});

describe('an id_token', () => {
  it('issued to the JavaScript key, one of the app keys in audience, with the nonce the client sent', async () => {
    mockJWKS();
    const token = await idToken({ nonce: 'client-nonce-1', email: 'jihi@example.com' });
    const { strategy, calls } = makeStrategy();
    expectOutcome(await runStrategy(strategy, post({ id_token: token, nonce: 'client-nonce-1' })), 'success');
    const { credentials, profile } = calls[0]!;
    expect(credentials.type).toBe('id_token');
    expect(credentials.accessToken).toBeUndefined();
    expect(credentials.idToken).toBe(token);
    expect(credentials.idTokenClaims).toMatchObject({ aud: JS_KEY, sub: USER_ID, nonce: 'client-nonce-1' });
    expect(profile).toMatchObject({ provider: 'kakao', id: USER_ID, displayName: '지히', emails: [{ value: 'jihi@example.com', verified: true }] });
  });

  it('without a nonce, when the request names none and requireNonce is off (KakaoTalk app logins, A8)', async () => {
    mockJWKS();
    const token = await idToken({ aud: NATIVE_KEY });
    const { strategy } = makeStrategy();
    expectOutcome(await runStrategy(strategy, post({ id_token: token })), 'success');
  });

  it('issued to a key that is not in audience (another app): INVALID_ID_TOKEN / AUDIENCE_MISMATCH', async () => {
    mockJWKS();
    const token = await idToken({ aud: 'ANOTHER_APPS_JAVASCRIPT_KEY' });
    const { strategy, calls } = makeStrategy();
    const challenge = expectFailure(await runStrategy(strategy, post({ id_token: token })), 401, 'INVALID_ID_TOKEN', 'AUDIENCE_MISMATCH');
    expect(calls).toEqual([]);
    expect(inspect(challenge)).not.toContain(token);
  });

  it('with another nonce than the request names: NONCE_MISMATCH', async () => {
    mockJWKS();
    const token = await idToken({ nonce: 'nonce-of-another-login' });
    const { strategy } = makeStrategy();
    expectFailure(await runStrategy(strategy, post({ id_token: token, nonce: 'client-nonce-1' })), 401, 'INVALID_ID_TOKEN', 'NONCE_MISMATCH');
  });

  it('with requireNonce: a request without a nonce is refused before fetching keys; a token without one fails the check', async () => {
    const { strategy } = makeStrategy({ requireNonce: true });
    const bare = await idToken();
    expectFailure(await runStrategy(strategy, post({ id_token: bare })), 400, 'MISSING_NONCE');
    mockJWKS();
    expectFailure(await runStrategy(strategy, post({ id_token: bare, nonce: 'client-nonce-1' })), 401, 'INVALID_ID_TOKEN', 'NONCE_MISMATCH');
  });

  it('expired, or signed by another key: EXPIRED, BAD_SIGNATURE (keys cached across requests)', async () => {
    mockJWKS();
    const { strategy } = makeStrategy();
    const expired = await idToken({ iat: now() - 7200, exp: now() - 3600 });
    expectFailure(await runStrategy(strategy, post({ id_token: expired })), 401, 'INVALID_ID_TOKEN', 'EXPIRED');
    const good = await idToken();
    const [header, payload] = good.split('.');
    const forged = `${header}.${payload}.${Buffer.from('not the signature').toString('base64url')}`;
    expectFailure(await runStrategy(strategy, post({ id_token: forged })), 401, 'INVALID_ID_TOKEN', 'BAD_SIGNATURE');
  });

  it('is not read without audience: the app accepts access tokens only', async () => {
    const strategy = new KakaoTokenStrategy({ appId: APP_ID }, (_c, profile, done) => done(null, { id: profile.id }));
    const challenge = expectFailure(await runStrategy(strategy, post({ id_token: await idToken() })), 400, 'MISSING_TOKEN');
    expect(challenge.message).not.toMatch(/id_token/);
  });

  it("with an access token too: both checked, and the id_token's sub must be the token's user", async () => {
    mockJWKS();
    mockTokenInfo(TOKEN_INFO_DOC);
    mockProfile();
    const { strategy, calls } = makeStrategy();
    const token = await idToken();
    expectOutcome(await runStrategy(strategy, post({ id_token: token }, bearer(ACCESS_TOKEN))), 'success');
    expect(calls[0]!.credentials).toMatchObject({ type: 'both', accessToken: ACCESS_TOKEN, idToken: token, tokenInfo: { appId: APP_ID } });

    mockTokenInfo(TOKEN_INFO_DOC); // no /v2/user/me: the mismatch is found first
    const other = await idToken({ sub: '1111' });
    expectFailure(await runStrategy(strategy, post({ id_token: other }, bearer(ACCESS_TOKEN))), 401, 'INVALID_ID_TOKEN', 'SUBJECT_MISMATCH');
  });

  it("Kakao's keys out of reach is an error (JWKS_UNAVAILABLE), not a failure", async () => {
    nock(KAUTH).get('/.well-known/jwks.json').reply(502, HTML_BAD_GATEWAY);
    const { strategy } = makeStrategy();
    const outcome = expectOutcome(await runStrategy(strategy, post({ id_token: await idToken() })), 'error');
    expect(outcome.error).toBeInstanceOf(KakaoIdTokenError);
    expect((outcome.error as KakaoIdTokenError).code).toBe('JWKS_UNAVAILABLE');
  });
});

describe('the verify callback', () => {
  it('gets req first with passReqToCallback', async () => {
    mockTokenInfo(TOKEN_INFO_DOC);
    mockProfile();
    const seen: unknown[] = [];
    const strategy = new KakaoTokenStrategy({ appId: APP_ID, passReqToCallback: true }, (req, credentials, profile, done) => {
      seen.push(req.headers['x-request-id'], credentials.type, profile.id);
      done(null, { id: profile.id });
    });
    expectOutcome(await runStrategy(strategy, post(undefined, { ...bearer(ACCESS_TOKEN), 'x-request-id': 'r-1' })), 'success');
    expect(seen).toEqual(['r-1', 'access_token', USER_ID]);
  });

  it('an async callback returning the user or throwing: the rejection reaches Passport once, none is unhandled', async () => {
    const errors: unknown[] = [];
    const strategy = new KakaoTokenStrategy({ appId: APP_ID }, async () => {
      throw new Error('database down');
    });
    mockTokenInfo(TOKEN_INFO_DOC);
    mockProfile();
    const outcome = await new Promise<StrategyOutcome>((resolve) => {
      const instance = Object.create(strategy) as Record<string, unknown> & { authenticate: KakaoTokenStrategy['authenticate'] };
      instance['error'] = (error: unknown) => {
        errors.push(error);
        setTimeout(() => resolve({ kind: 'error', error }), 30);
      };
      for (const action of ['success', 'fail', 'redirect', 'pass']) instance[action] = () => resolve({ kind: 'pass' });
      instance.authenticate(post(undefined, bearer(ACCESS_TOKEN)) as never);
    });
    expect(outcome.kind).toBe('error');
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).message).toBe('database down');
  });

  it('a rejection after done was called is dropped; a non-Error rejection becomes an Error', async () => {
    mockTokenInfo(TOKEN_INFO_DOC);
    mockProfile();
    const late = new KakaoTokenStrategy({ appId: APP_ID }, async (_c, profile, done) => {
      done(null, { id: profile.id });
      throw new Error('after done');
    });
    expectOutcome(await runStrategy(late, post(undefined, bearer(ACCESS_TOKEN))), 'success');

    mockTokenInfo(TOKEN_INFO_DOC);
    mockProfile();
    const odd = new KakaoTokenStrategy({ appId: APP_ID }, () => Promise.reject('a string'));
    const outcome = expectOutcome(await runStrategy(odd, post(undefined, bearer(ACCESS_TOKEN))), 'error');
    expect(outcome.error).toBeInstanceOf(Error);
  });

  it('done(null, false, info) is a failure with that info', async () => {
    mockTokenInfo(TOKEN_INFO_DOC);
    mockProfile();
    const strategy = new KakaoTokenStrategy({ appId: APP_ID }, (_c, _p, done: KakaoVerifyCallback) => done(null, false, { message: 'not signed up' }));
    const outcome = expectOutcome(await runStrategy(strategy, post(undefined, bearer(ACCESS_TOKEN))), 'fail');
    expect(outcome.challenge).toEqual({ message: 'not signed up' });
  });
});

describe('errors', () => {
  it('Kakao errors other than -401 are KakaoAPIErrors, and no error carries the token', async () => {
    mockTokenInfo(API_ERROR_INTERNAL_DOC, 400);
    const { strategy } = makeStrategy();
    const outcome = expectOutcome(await runStrategy(strategy, post(undefined, bearer(ACCESS_TOKEN))), 'error');
    expect(outcome.error).toBeInstanceOf(KakaoAPIError);
    expect([(outcome.error as KakaoAPIError).code, (outcome.error as KakaoAPIError).apiCode]).toEqual(['API_REQUEST_FAILED', -1]);
    expect(inspect(outcome.error, { depth: 10, showHidden: true })).not.toContain(ACCESS_TOKEN);
  });

  it('an HTML answer is INVALID_RESPONSE; a refused connection is NETWORK_ERROR; neither carries the token', async () => {
    nock(KAPI).get('/v1/user/access_token_info').reply(502, HTML_BAD_GATEWAY);
    const { strategy } = makeStrategy();
    const html = expectOutcome(await runStrategy(strategy, post(undefined, bearer(ACCESS_TOKEN))), 'error');
    expect((html.error as ProviderRequestError).code).toBe('INVALID_RESPONSE');
    expect(inspect(html.error, { depth: 10, showHidden: true })).not.toContain(ACCESS_TOKEN);

    const port = await closedPort();
    const offline = makeStrategy({ baseURL: `http://127.0.0.1:${port}` }).strategy;
    const refused = expectOutcome(await runStrategy(offline, post(undefined, bearer(ACCESS_TOKEN))), 'error');
    expect(refused.error).toBeInstanceOf(ProviderRequestError);
    expect((refused.error as ProviderRequestError).code).toBe('NETWORK_ERROR');
    expect(inspect(refused.error, { depth: 10, showHidden: true })).not.toContain(ACCESS_TOKEN);
  });

  it('one deadline for the whole check: a hung Kakao ends the request with TIMEOUT after loginTimeout', async () => {
    const server = await silentServer();
    try {
      const { strategy } = makeStrategy({ baseURL: server.url, timeout: 5_000, loginTimeout: 150 });
      const started = Date.now();
      const outcome = expectOutcome(await runStrategy(strategy, post(undefined, bearer(ACCESS_TOKEN))), 'error');
      expect(Date.now() - started).toBeLessThan(2_000);
      expect((outcome.error as ProviderRequestError).code).toBe('TIMEOUT');
      expect(inspect(outcome.error, { depth: 10, showHidden: true })).not.toContain(ACCESS_TOKEN);
    } finally {
      await server.close();
    }
  });
});

describe('options', () => {
  const verify = () => undefined;
  it.each([
    ['no appId', {}],
    ['appId as a string', { appId: '1234' }],
    ['appId NaN (Number of a missing variable)', { appId: Number(undefined) }],
    ['an empty audience list', { appId: APP_ID, audience: [] }],
    ['an empty key in audience', { appId: APP_ID, audience: [REST_KEY, ''] }],
    ['an unknown tokenFrom', { appId: APP_ID, tokenFrom: 'query' }],
    ['requireNonce not a boolean', { appId: APP_ID, requireNonce: 'yes' }],
    ['a zero timeout', { appId: APP_ID, timeout: 0 }],
  ])('%s is a TypeError', (_what, options) => {
    expect(() => new KakaoTokenStrategy(options as unknown as KakaoTokenStrategyOptions, verify)).toThrow(TypeError);
  });

  it("is named 'kakao-token'", () => {
    expect(makeStrategy().strategy.name).toBe('kakao-token');
  });
});

describe('in an Express app', () => {
  function makeApp() {
    const authenticator = new passport.Passport();
    authenticator.use(
      new KakaoTokenStrategy({ appId: APP_ID, audience: [REST_KEY, JS_KEY] }, (_credentials, profile, done) => {
        done(null, { id: profile.id, name: profile.displayName });
      }),
    );
    const app = express();
    app.use(express.json());
    app.post('/auth/kakao/token', authenticator.authenticate('kakao-token', { session: false }), (req, res) => {
      res.json({ user: req.user });
    });
    return app;
  }

  it('signs in with a JSON body; a garbage token gets 400, a token of another app 401', async () => {
    const app = makeApp();
    mockTokenInfo(TOKEN_INFO_DOC);
    mockProfile();
    const ok = await request(app).post('/auth/kakao/token').send({ access_token: ACCESS_TOKEN }).expect(200);
    expect(ok.body).toEqual({ user: { id: USER_ID, name: '지히' } });

    await request(app).post('/auth/kakao/token').send({ access_token: 'not a token' }).expect(400);
    mockTokenInfo(TOKEN_INFO_OTHER_APP);
    await request(app).post('/auth/kakao/token').set('Authorization', `Bearer ${ACCESS_TOKEN}`).expect(401);
  });
});
