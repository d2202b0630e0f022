/**
 * Property tests (fast-check) over every parser of Kakao's answers, and over the shared parsers in
 * @passport-korea/internal (token exchange, token input, callback errors): hostile JSON, text and bytes end in a
 * typed error (one of ours, with a code) or a valid result, never an untyped TypeError or RangeError, never a hang.
 * `FC_RUNS` sets the runs per property (default 2,000; `pnpm fuzz` runs 100,000); `FC_SEED` replays a failure.
 */
import {
  OutcomeCounter,
  answerServer,
  assertTypedError,
  fuzzParameters,
  fuzzRunsFor,
  fuzzTestTimeout,
  hostileBytes,
  hostileJSON,
  hostileKey,
  hostileRecord,
  hostileStatus,
  hostileText,
  settleAsync,
  settleSync,
} from '@passport-korea/internal/testing';
import { checkAccessToken, presentedToken, readCallbackError } from '@passport-korea/internal';
import type { TokenSource } from '@passport-korea/internal';
import type { AnswerServer } from '@passport-korea/internal/testing';
import fc from 'fast-check';
import nock from 'nock';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import type { JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  KakaoAPIError,
  KakaoIdTokenError,
  KakaoTokenError,
  KakaoWebhookError,
  ProviderRequestError,
  Strategy,
  parseKakaoProfile,
  parseKakaoTokenError,
  profileFromIdToken,
  verifyKakaoUnlinkWebhook,
} from '../src/index.js';
import type { KakaoIdTokenClaims, KakaoProfile, KakaoUserResponse, KakaoVerifyCallback, KakaoWebhookRequest } from '../src/index.js';
import { ACCESS_TOKEN, AUTH_CODE, CALLBACK_URL, CLIENT_ID, CLIENT_SECRET, KAUTH, finishLogin, startLogin } from './helpers.js';

/** Kakao, played by a local server (real HTTP on 127.0.0.1): each run sets its answer. */
let kakao: AnswerServer;
beforeAll(async () => {
  // The shared test helpers load nock, whose interceptor would sit between the client and the server: off here.
  nock.restore();
  kakao = await answerServer();
});
afterAll(async () => {
  await kakao.close();
  nock.activate();
});

/** In `pnpm test`, the properties over HTTP (a round trip per run) get half the runs, a whole login a quarter. */
const HTTP_RUNS = fuzzRunsFor(1 / 2, 200);
const LOGIN_RUNS = fuzzRunsFor(1 / 4, 100);
const SYNC_TIMEOUT = fuzzTestTimeout(2);
const HTTP_TIMEOUT = fuzzTestTimeout(10, HTTP_RUNS);
const LOGIN_TIMEOUT = fuzzTestTimeout(20, LOGIN_RUNS);

const ID_TOKEN_CODES = new Set([
  'MISSING', 'NO_STORED_NONCE', 'MALFORMED', 'ALG_NOT_ALLOWED', 'BAD_SIGNATURE', 'UNKNOWN_KID', 'ISSUER_MISMATCH',
  'AUDIENCE_MISMATCH', 'AZP_MISMATCH', 'EXPIRED', 'ISSUED_IN_FUTURE', 'NONCE_MISMATCH', 'SUBJECT_MISMATCH', 'JWKS_UNAVAILABLE', 'JWKS_TIMEOUT',
]);

const optionalString = (value: unknown) => value === undefined || typeof value === 'string';

/** Each of `kinds` came up at least once: the inputs reached every branch the property speaks of. */
function expectMet(seen: OutcomeCounter, kinds: readonly string[]): void {
  if (process.env['FC_SUMMARY']) console.log(expect.getState().currentTestName, seen.summary());
  expect(Object.keys(seen.summary()), JSON.stringify(seen.summary())).toEqual(expect.arrayContaining([...kinds]));
}

/** A profile of the declared shape (KakaoProfile), with `id` as digits. */
function assertKakaoProfile(profile: KakaoProfile, raw?: string): void {
  expect(profile.provider).toBe('kakao');
  expect(profile.id).toMatch(/^-?\d+$/);
  expect(typeof profile.displayName).toBe('string');
  if (raw !== undefined) expect(profile._raw).toBe(raw);
  expect(typeof profile._json).toBe('object');
  for (const email of profile.emails ?? []) {
    expect(typeof email.value).toBe('string');
    expect(typeof email.verified).toBe('boolean');
  }
  for (const photo of profile.photos ?? []) {
    expect(typeof photo.value).toBe('string');
    expect(['profile', 'thumbnail']).toContain(photo.type);
  }
  if (profile.emails) expect(profile.emails.length).toBe(1);
  if (profile.photos) expect(profile.photos.length).toBeGreaterThan(0);
  for (const key of ['fullName', 'ageRange', 'birthyear', 'phoneNumber'] as const) expect(optionalString(profile[key]), key).toBe(true);
  if (profile.gender !== undefined) expect(['female', 'male']).toContain(profile.gender);
  if (profile.birthday !== undefined) expect(profile.birthday).toMatch(/^\d\d-\d\d$/);
  if (profile.birthdayType !== undefined) expect(['SOLAR', 'LUNAR']).toContain(profile.birthdayType);
}

// ---------------------------------------------------------------------------------------------------------------------
// Arbitraries shaped like Kakao's answers (docs/providers/kakao.md A2, A4, A6), every field liable to be of any type.

const ids = fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.constantFrom(2 ** 53 + 2, 1376016924426111111, -1, 0, 1e21, 1.5, 1e308));
const accountText = fc.oneof(fc.string({ maxLength: 16 }), fc.constantFrom('1130', '0229', '2002', 'female', 'male', 'SOLAR', 'LUNAR', '20~29', ''));
const kakaoAccount = hostileRecord({
  profile: hostileRecord({ nickname: accountText, profile_image_url: accountText, thumbnail_image_url: accountText }),
  email: accountText,
  is_email_valid: fc.boolean(),
  is_email_verified: fc.boolean(),
  name: accountText,
  gender: accountText,
  age_range: accountText,
  birthday: fc.oneof(accountText, fc.constantFrom(1130, 229)),
  birthday_type: accountText,
  birthyear: accountText,
  phone_number: accountText,
});
const userResponse = hostileRecord({
  id: ids,
  kakao_account: kakaoAccount,
  properties: hostileRecord({ nickname: accountText, profile_image: accountText, thumbnail_image: accountText }),
  connected_at: fc.string(),
});
/** A token response (A2) or a kauth error body (A2), each field liable to be of any type. */
const tokenResponse = fc.oneof(
  hostileRecord(
    {
      access_token: fc.oneof(fc.string({ minLength: 1, maxLength: 40 }), fc.constant(ACCESS_TOKEN)),
      token_type: fc.constant('bearer'),
      refresh_token: fc.string({ maxLength: 40 }),
      expires_in: fc.oneof(fc.integer(), fc.string()),
      refresh_token_expires_in: fc.integer(),
      scope: fc.string(),
      id_token: fc.string(),
    },
    ['access_token'],
  ),
  hostileRecord(
    {
      error: fc.constantFrom('invalid_grant', 'invalid_client', 'invalid_request', ''),
      error_description: fc.oneof(fc.string(), fc.constant('authorization code not found for code=AUTH_CODE_FIXTURE\r\n')),
      error_code: fc.constantFrom('KOE320', 'KOE303', 'KOE010', 'KOE101'),
    },
    ['error'],
  ),
);
const apiError = hostileRecord({
  msg: fc.oneof(fc.string(), fc.constant('this access token does not exist')),
  code: fc.oneof(fc.integer({ min: -1000, max: 10 }), fc.constantFrom(-401, -402, -0.5)),
  required_scopes: fc.array(fc.oneof(fc.string(), fc.integer())),
  allowed_scopes: fc.array(fc.string()),
});

/** A body as text or as bytes. */
const bodyOf = (shaped: fc.Arbitrary<unknown>) => fc.oneof({ arbitrary: hostileText(shaped), weight: 5 }, { arbitrary: hostileBytes.map((bytes) => Buffer.from(bytes)), weight: 1 });
/** The body as the client reads it (UTF-8). */
const textOf = (body: string | Buffer) => (typeof body === 'string' ? body : body.toString('utf8'));

function makeStrategy() {
  return new Strategy({ clientID: CLIENT_ID, clientSecret: CLIENT_SECRET, callbackURL: CALLBACK_URL, timeout: 1_000, baseURL: kakao.url }, (_a: string, _r: string, _p: KakaoProfile, done: KakaoVerifyCallback) => done(null, {}));
}

// ---------------------------------------------------------------------------------------------------------------------

describe('property: Kakao token answers', () => {
  it('parseKakaoTokenError: any body and status give null or a KakaoTokenError with the status and a safe description', () => {
    const seen = new OutcomeCounter();
    fc.assert(
      fc.property(hostileText(tokenResponse), hostileStatus, (body, status) => {
        const settled = settleSync(() => parseKakaoTokenError(body, status));
        if (!settled.ok) return assertTypedError(settled.error, []);
        const error = settled.value;
        seen.note(error === null ? 'null' : 'KakaoTokenError');
        if (error === null) return;
        expect(error).toBeInstanceOf(KakaoTokenError);
        expect(typeof error.code).toBe('string');
        expect(error.httpStatus).toBe(status);
        expect(optionalString(error.errorCode)).toBe(true);
        expect(optionalString(error.errorDescription)).toBe(true);
        expect(error.message).not.toMatch(/[\r\n\u0000]|code=AUTH_CODE_FIXTURE/);
      }),
      fuzzParameters(),
    );
    expectMet(seen, ['null', 'KakaoTokenError']);
  }, SYNC_TIMEOUT);

  it('the token exchange: any answer to POST /oauth/token gives tokens, a KakaoTokenError or an INVALID_RESPONSE', async () => {
    const strategy = makeStrategy();
    const oauth2 = (strategy as unknown as { _oauth2: { getOAuthAccessToken(code: string, params: object, cb: (...args: unknown[]) => void): void } })._oauth2;
    const seen = new OutcomeCounter();
    await fc.assert(
      fc.asyncProperty(bodyOf(tokenResponse), hostileStatus, async (body, status) => {
        kakao.answer(status, body);
        const settled = await settleAsync(
          () =>
            new Promise<unknown[]>((resolve, reject) =>
              oauth2.getOAuthAccessToken(AUTH_CODE, { grant_type: 'authorization_code', redirect_uri: CALLBACK_URL }, (err, ...rest) => (err ? reject(err) : resolve(rest))),
            ),
        );
        if (!settled.ok) {
          assertTypedError(settled.error, [KakaoTokenError, ProviderRequestError]);
          // NETWORK_ERROR: bytes the HTTP parser refuses (a body after a 205, say); never a TIMEOUT.
          if (settled.error instanceof ProviderRequestError) expect(['INVALID_RESPONSE', 'NETWORK_ERROR']).toContain(settled.error.code);
          seen.note((settled.error as Error).name);
          return;
        }
        seen.note('tokens');
        const [accessToken, refreshToken, results] = settled.value as [unknown, unknown, Record<string, unknown>];
        expect(typeof accessToken === 'string' && accessToken.length > 0).toBe(true);
        expect(optionalString(refreshToken)).toBe(true);
        expect(Object.prototype.hasOwnProperty.call(results, 'refresh_token')).toBe(false);
        expect(status >= 200 && status < 300).toBe(true);
        expect(JSON.parse(textOf(body))).toMatchObject({ access_token: accessToken });
      }),
      fuzzParameters(HTTP_RUNS),
    );
    expectMet(seen, ['tokens', 'KakaoTokenError', 'ProviderRequestError']);
  }, HTTP_TIMEOUT);
});

describe('property: Kakao profiles', () => {
  it('parseKakaoProfile: any /v2/user/me object with an integer id gives a profile of the declared shape, or a typed error for an inexact id', () => {
    const seen = new OutcomeCounter();
    fc.assert(
      fc.property(userResponse, ids, fc.boolean(), (shaped, id, spaced) => {
        // The strategy checks that `id` is an integer before it calls the parser (the HTTP property covers the rest).
        const json = { ...shaped, id };
        fc.pre(Number.isInteger(id));
        const raw = JSON.stringify(json, null, spaced ? 1 : undefined);
        const settled = settleSync(() => parseKakaoProfile(JSON.parse(raw) as KakaoUserResponse, raw));
        if (!settled.ok) {
          assertTypedError(settled.error, [ProviderRequestError]);
          expect(Number.isSafeInteger(json['id'])).toBe(false);
          seen.note('ProviderRequestError');
          return;
        }
        seen.note(settled.value.emails || settled.value.photos || settled.value.birthday ? 'profile with fields' : 'profile');
        assertKakaoProfile(settled.value, raw);
        if (Number.isSafeInteger(json['id'])) expect(settled.value.id).toBe(String(json['id']));
        else expect(Number(settled.value.id)).toBe(json['id']);
      }),
      fuzzParameters(),
    );
    expectMet(seen, ['profile', 'profile with fields', 'ProviderRequestError']);
  }, SYNC_TIMEOUT);

  it('profileFromIdToken: any verified claims (sub a string) give a profile of the declared shape', () => {
    const claims = hostileRecord({ nickname: accountText, picture: accountText, email: accountText, iss: fc.constant(KAUTH), aud: fc.constant(CLIENT_ID) });
    const seen = new OutcomeCounter();
    fc.assert(
      fc.property(claims, fc.stringMatching(/^\d{1,19}$/), (values, sub) => {
        const settled = settleSync(() => profileFromIdToken({ ...values, sub } as unknown as KakaoIdTokenClaims));
        if (!settled.ok) return assertTypedError(settled.error, []);
        assertKakaoProfile(settled.value);
        expect(settled.value.id).toBe(sub);
        seen.note(settled.value.displayName !== '' && settled.value.photos && settled.value.emails ? 'full profile' : 'profile');
      }),
      fuzzParameters(),
    );
    expectMet(seen, ['profile', 'full profile']);
  }, SYNC_TIMEOUT);

  it('the kapi envelope: any answer to GET /v2/user/me gives a profile, a KakaoAPIError or an INVALID_RESPONSE', async () => {
    const strategy = makeStrategy();
    const shaped = fc.oneof(userResponse, apiError);
    const seen = new OutcomeCounter();
    await fc.assert(
      fc.asyncProperty(bodyOf(shaped), hostileStatus, async (body, status) => {
        kakao.answer(status, body);
        const settled = await settleAsync(
          () => new Promise<unknown>((resolve, reject) => strategy.userProfile(ACCESS_TOKEN, (err, profile) => (err ? reject(err) : resolve(profile)))),
        );
        if (!settled.ok) {
          assertTypedError(settled.error, [KakaoAPIError, ProviderRequestError]);
          if (settled.error instanceof ProviderRequestError) expect(['INVALID_RESPONSE', 'NETWORK_ERROR']).toContain(settled.error.code);
          if (settled.error instanceof KakaoAPIError) {
            expect(Number.isInteger(settled.error.apiCode) && settled.error.apiCode < 0).toBe(true);
            expect(settled.error.code).toBe('API_REQUEST_FAILED');
            expect(settled.error.httpStatus).toBe(status);
            for (const scopes of [settled.error.requiredScopes, settled.error.allowedScopes]) {
              if (scopes !== undefined) for (const scope of scopes) expect(typeof scope).toBe('string');
            }
          }
          seen.note((settled.error as Error).name);
          return;
        }
        seen.note('profile');
        assertKakaoProfile(settled.value as KakaoProfile, textOf(body));
        expect(status >= 200 && status < 300).toBe(true);
      }),
      fuzzParameters(HTTP_RUNS),
    );
    expectMet(seen, ['profile', 'KakaoAPIError', 'ProviderRequestError']);
  }, HTTP_TIMEOUT);
});

describe('property: Kakao JWKS answers', () => {
  let privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
  let publicJWK: JWK;
  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey;
    publicJWK = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  });

  it('an OIDC login: any JWKS answer (JSON, text, bytes, any status) logs the user in or ends in a KakaoIdTokenError', async () => {
    const jwk = () =>
      fc.oneof(
        fc.constant(publicJWK),
        hostileRecord({
          kty: fc.constantFrom('RSA', 'EC', 'oct', 'OKP', ''),
          kid: fc.constantFrom('k1', 'k2'),
          alg: fc.constantFrom('RS256', 'ES256', 'HS256', 'none'),
          use: fc.constantFrom('sig', 'enc'),
          n: fc.oneof(fc.constant(publicJWK.n), fc.base64String(), fc.string()),
          e: fc.oneof(fc.constant(publicJWK.e), fc.constantFrom('AQAB', 'AA', '')),
          crv: fc.constantFrom('P-256', 'Ed25519'),
          x: fc.base64String(),
          y: fc.base64String(),
          k: fc.base64String(),
          key_ops: fc.array(fc.string()),
        }),
      );
    const jwks = hostileRecord({ keys: fc.array(jwk(), { maxLength: 3 }) });
    const seen = new OutcomeCounter();
    await fc.assert(
      fc.asyncProperty(bodyOf(jwks), hostileStatus, async (body, status) => {
        // A new strategy each run: its JWKS cache starts empty, so each run fetches the keys.
        const strategy = new Strategy(
          { clientID: CLIENT_ID, clientSecret: CLIENT_SECRET, callbackURL: CALLBACK_URL, timeout: 1_000, profileFrom: 'idToken', baseURL: kakao.url },
          (_a: string, _r: string, profile: KakaoProfile, done: KakaoVerifyCallback) => done(null, { id: profile.id }),
        );
        const session: Record<string, unknown> = {};
        const { url, state } = await startLogin(strategy, session);
        const now = Math.floor(Date.now() / 1000);
        const idToken = await new SignJWT({ iss: kakao.url, aud: CLIENT_ID, sub: '3621318900', iat: now, exp: now + 3600, nonce: url.searchParams.get('nonce') })
          .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: 'k1' })
          .sign(privateKey);
        kakao.answer(200, JSON.stringify({ access_token: ACCESS_TOKEN, token_type: 'bearer', expires_in: 21599, id_token: idToken }), '/oauth/token');
        kakao.answer(status, body, '/.well-known/jwks.json');
        const outcome = await finishLogin(strategy, session, { code: AUTH_CODE, state: state ?? '' });
        if (outcome.kind === 'error') {
          assertTypedError(outcome.error, [KakaoIdTokenError]);
          expect(ID_TOKEN_CODES.has((outcome.error as KakaoIdTokenError).code)).toBe(true);
          seen.note((outcome.error as KakaoIdTokenError).code);
          return;
        }
        seen.note(outcome.kind);
        expect(outcome).toMatchObject({ kind: 'success', user: { id: '3621318900' } });
        expect(textOf(body)).toContain(publicJWK.n);
      }),
      fuzzParameters(LOGIN_RUNS),
    );
    expectMet(seen, ['success', 'JWKS_UNAVAILABLE', 'UNKNOWN_KID']);
  }, LOGIN_TIMEOUT);
});

describe('property: Kakao unlink webhook', () => {
  const ADMIN_KEY = 'ADMINKEYFIXTURE0123456789';
  const APP_ID = '1234567';
  const options = { adminKey: ADMIN_KEY, appId: APP_ID };
  // Mostly right (the configured app, digits, a known referrer), so that the runs get past each check in turn.
  const digits = fc.oneof(fc.stringMatching(/^\d{1,22}$/), fc.constantFrom('1376016924426111111', '-1', '1e3', ' 12'));
  const fields = hostileRecord(
    {
      app_id: fc.oneof({ arbitrary: fc.constant(APP_ID), weight: 6 }, digits, fc.constant(Number(APP_ID))),
      user_id: fc.oneof(digits, fc.integer({ min: 0 }), fc.constant(1376016924426111111)),
      referrer_type: fc.constantFrom('UNLINK_FROM_APPS', 'UNLINK_FROM_ADMIN', 'ACCOUNT_DELETE', ''),
      group_user_token: fc.string(),
    },
    ['app_id', 'user_id', 'referrer_type'],
  );
  const form = fc.oneof(
    fields.map((values) => new URLSearchParams(Object.entries(values).map(([key, value]): [string, string] => [key, typeof value === 'string' ? value : JSON.stringify(value) ?? ''])).toString()),
    fc.array(fc.tuple(hostileKey(['app_id', 'user_id', 'referrer_type', 'group_user_token']), fc.string()), { maxLength: 6 }).map((pairs) => new URLSearchParams(pairs).toString()),
    fc.string(),
  );
  const headerValue = fc.oneof(fc.string(), fc.array(fc.string(), { maxLength: 2 }), fc.constant(undefined));
  const headers = fc
    .record(
      {
        authorization: fc.oneof(
          { arbitrary: fc.constantFrom(`KakaoAK ${ADMIN_KEY}`, `kakaoak  ${ADMIN_KEY}`), weight: 6 },
          fc.constantFrom(`KakaoAK ${ADMIN_KEY} `, `KakaoAK ${ADMIN_KEY}x`, 'KakaoAK', '', `Bearer ${ADMIN_KEY}`, [`KakaoAK ${ADMIN_KEY}`, `KakaoAK ${ADMIN_KEY}`]),
          headerValue,
        ),
        'content-type': fc.oneof(fc.constantFrom('application/json', 'application/x-www-form-urlencoded; charset=utf-8', 'text/plain', 'application/vnd+json', ''), headerValue),
        'content-encoding': fc.oneof(fc.constantFrom('identity', 'gzip'), headerValue),
        Authorization: headerValue,
      },
      { requiredKeys: ['authorization'] },
    )
    .chain((record) => fc.constantFrom<KakaoWebhookRequest['headers']>(record, new Headers(Object.entries(record).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v]] : [])) as [string, string][])));
  const body = fc.oneof(
    fc.constant(undefined),
    form,
    form.map((text) => new TextEncoder().encode(text)),
    hostileText(fields),
    hostileBytes,
    fields,
    hostileJSON(['app_id', 'user_id', 'referrer_type']),
  );
  const query = fc.oneof(fc.constant(undefined), form, form.map((text) => new URLSearchParams(text)), fields, hostileJSON(['app_id', 'user_id']));
  const request = fc.record({
    method: fc.oneof({ arbitrary: fc.constantFrom('GET', 'POST'), weight: 8 }, fc.constantFrom('PUT', 'get', ''), fc.string({ maxLength: 6 })),
    headers,
    query,
    body,
  });

  it('verifyKakaoUnlinkWebhook: any method, headers, query and body (text, bytes, parsed JSON) give an event or a KakaoWebhookError', () => {
    const seen = new OutcomeCounter();
    fc.assert(
      fc.property(request, (req) => {
        const settled = settleSync(() => verifyKakaoUnlinkWebhook(req as KakaoWebhookRequest, options));
        if (!settled.ok) {
          assertTypedError(settled.error, [KakaoWebhookError]);
          expect((settled.error as Error).message).not.toContain(ADMIN_KEY);
          seen.note((settled.error as KakaoWebhookError).code);
          return;
        }
        seen.note('event');
        const event = settled.value;
        expect(event.appId).toBe(APP_ID);
        expect(event.userId).toMatch(/^\d{1,20}$/);
        expect(typeof event.referrerType === 'string' && event.referrerType.length > 0).toBe(true);
        expect(optionalString(event.groupUserToken)).toBe(true);
      }),
      fuzzParameters(),
    );
    expectMet(seen, ['event', 'BAD_METHOD', 'BAD_AUTHORIZATION', 'APP_MISMATCH', 'MISSING_FIELD', 'BAD_FIELD', 'BAD_BODY']);
  }, SYNC_TIMEOUT);
});

describe('property: shared parsers (@passport-korea/internal)', () => {
  class Refused extends Error {
    constructor(readonly code: string) {
      super(code);
    }
  }
  const refuse = (code: string) => new Refused(code);
  const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/;

  it('token input: any Authorization header and body give no token, a checked Bearer token, or a refusal', () => {
    const headerValue = fc.oneof(
      fc.constantFrom('Bearer abc.DEF-123', 'bearer', 'Bearer ', 'Basic xyz', 'Bearer a b', 'Bearer\tabc=', 'BEARER abc=='),
      fc.string().map((text) => `Bearer ${text}`),
      fc.string(),
      fc.array(fc.string(), { maxLength: 2 }),
    );
    const req = fc.record(
      {
        headers: fc.record({ authorization: headerValue, Authorization: headerValue, 'content-type': fc.string() }, { requiredKeys: [] }),
        body: fc.oneof(hostileRecord({ access_token: fc.oneof(fc.string(), fc.constant('abc.DEF-123')) }), hostileJSON(['access_token'])),
      },
      { requiredKeys: [] },
    );
    const sources = fc.subarray<TokenSource>(['header', 'body'], { minLength: 1 }).map((list) => new Set(list));
    const seen = new OutcomeCounter();
    fc.assert(
      fc.property(req, sources, fc.integer({ min: 1, max: 64 }), (request, from, maxLength) => {
        const settled = settleSync(() => {
          const { token } = presentedToken(request as Parameters<typeof presentedToken>[0], from, 'access_token', refuse);
          return token === undefined ? undefined : checkAccessToken(token, maxLength, refuse);
        });
        if (!settled.ok) {
          assertTypedError(settled.error, [Refused]);
          expect(['MULTIPLE_TOKENS', 'MALFORMED_TOKEN']).toContain((settled.error as Refused).code);
          seen.note((settled.error as Refused).code);
          return;
        }
        seen.note(settled.value === undefined ? 'no token' : 'token');
        if (settled.value !== undefined) {
          expect(settled.value).toMatch(TOKEN68);
          expect(settled.value.length).toBeLessThanOrEqual(maxLength);
        }
      }),
      fuzzParameters(),
    );
    expectMet(seen, ['no token', 'token', 'MULTIPLE_TOKENS', 'MALFORMED_TOKEN']);
  }, SYNC_TIMEOUT);

  it("the callback's ?error=: any query or form body gives nothing or an error of plain strings", () => {
    const shaped = hostileRecord({ error: fc.constantFrom('access_denied', 'consent_required', ''), error_description: fc.string(), error_uri: fc.webUrl() });
    const source = fc.oneof(shaped, hostileJSON(['error', 'error_description']));
    const seen = new OutcomeCounter();
    fc.assert(
      fc.property(fc.record({ query: source, body: source }, { requiredKeys: [] }), (req) => {
        const settled = settleSync(() => readCallbackError(req));
        if (!settled.ok) return assertTypedError(settled.error, []);
        const error = settled.value;
        seen.note(error === undefined ? 'none' : 'error');
        if (error === undefined) return;
        expect(typeof error.error === 'string' && error.error.length > 0).toBe(true);
        expect(optionalString(error.description)).toBe(true);
        expect(optionalString(error.uri)).toBe(true);
      }),
      fuzzParameters(),
    );
    expectMet(seen, ['none', 'error']);
  }, SYNC_TIMEOUT);
});
