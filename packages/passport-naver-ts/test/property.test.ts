/**
 * Property tests (fast-check) over every parser of Naver's answers: hostile JSON, text and bytes end in a typed error
 * (one of ours, with a code) or a valid result, never an untyped TypeError or RangeError, never a hang.
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
import type { AnswerServer } from '@passport-korea/internal/testing';
import fc from 'fast-check';
import nock from 'nock';
import { createHash, createHmac } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  NaverAPIError,
  NaverTokenError,
  NaverWebhookError,
  ProviderRequestError,
  Strategy,
  normalizeNaverTokenResponse,
  parseNaverProfile,
  parseNaverTokenError,
  profileFromIdToken,
  verifyNaverDeauthorizeCallback,
} from '../src/index.js';
import { signNaverDeauthorizeCallback } from 'kakao-naver-emulator';
import type { NaverIdTokenClaims, NaverProfile, NaverUserResponse, NaverVerifyCallback, NaverWebhookRequest } from '../src/index.js';
import { ACCESS_TOKEN, AUTH_CODE, CALLBACK_URL, CLIENT_ID, CLIENT_SECRET } from './helpers.js';

/** Naver, played by a local server (real HTTP on 127.0.0.1): each run sets its answer. */
let naver: AnswerServer;
beforeAll(async () => {
  // The shared test helpers load nock, whose interceptor would sit between the client and the server: off here.
  nock.restore();
  naver = await answerServer();
});
afterAll(async () => {
  await naver.close();
  nock.activate();
});

/** In `pnpm test`, the properties over HTTP (a round trip per run) get half the runs. */
const HTTP_RUNS = fuzzRunsFor(1 / 2, 200);
const SYNC_TIMEOUT = fuzzTestTimeout(2);
const HTTP_TIMEOUT = fuzzTestTimeout(10, HTTP_RUNS);

const optionalString = (value: unknown) => value === undefined || typeof value === 'string';
const nonEmptyString = (value: unknown) => typeof value === 'string' && value.length > 0;

/** Each of `kinds` came up at least once: the inputs reached every branch the property speaks of. */
function expectMet(seen: OutcomeCounter, kinds: readonly string[]): void {
  if (process.env['FC_SUMMARY']) console.log(expect.getState().currentTestName, seen.summary());
  expect(Object.keys(seen.summary()), JSON.stringify(seen.summary())).toEqual(expect.arrayContaining([...kinds]));
}

/** A profile of the declared shape (NaverProfile). */
function assertNaverProfile(profile: NaverProfile, raw: string): void {
  expect(profile.provider).toBe('naver');
  expect(nonEmptyString(profile.id)).toBe(true);
  expect(typeof profile.displayName).toBe('string');
  expect(profile._raw).toBe(raw);
  expect(typeof profile._json).toBe('object');
  for (const email of profile.emails ?? []) expect(nonEmptyString(email.value)).toBe(true);
  for (const photo of profile.photos ?? []) expect(nonEmptyString(photo.value)).toBe(true);
  for (const key of ['fullName', 'ageRange', 'birthyear', 'mobile', 'mobileE164'] as const) expect(optionalString(profile[key]), key).toBe(true);
  if (profile.gender !== undefined) expect(['F', 'M', 'U']).toContain(profile.gender);
  if (profile.birthday !== undefined) expect(profile.birthday).toMatch(/^\d\d-\d\d$/);
}

// ---------------------------------------------------------------------------------------------------------------------
// Arbitraries shaped like Naver's answers (docs/providers/naver.md B2, B3, B6), every field liable to be of any type.

const naverText = fc.oneof(fc.string({ maxLength: 16 }), fc.constantFrom('M', 'F', 'U', '20-29', '11-30', '2002', '010-1234-5678', '+821012345678', ''));
const userInfo = hostileRecord(
  {
    id: fc.oneof(fc.string({ minLength: 1, maxLength: 44 }), fc.constant('32742776')),
    nickname: naverText,
    name: naverText,
    email: naverText,
    gender: naverText,
    age: naverText,
    birthday: naverText,
    birthyear: naverText,
    profile_image: naverText,
    mobile: naverText,
    mobile_e164: naverText,
  },
  ['id'],
);
const userResponse = hostileRecord(
  { resultcode: fc.oneof({ arbitrary: fc.constant('00'), weight: 3 }, fc.constantFrom('024', '028', '')), message: fc.constantFrom('success', 'Authentication failed'), response: userInfo },
  ['resultcode', 'response'],
);
const openAPIError = hostileRecord({ errorCode: fc.constantFrom('024', '028', '00'), errorMessage: fc.string() });
const expiresIn = fc.oneof(fc.integer(), fc.constantFrom('3600', ' 3600 ', '', ' ', '1e3', '0x10', 'Infinity', '-1', '3600s'), fc.string({ maxLength: 6 }));
/** A token response (B2) or an error body (B6.1: Naver sends these with HTTP 200), each field liable to be of any type. */
const tokenResponse = fc.oneof(
  hostileRecord(
    {
      access_token: fc.oneof(fc.string({ minLength: 1, maxLength: 40 }), fc.constant(ACCESS_TOKEN)),
      refresh_token: fc.string({ maxLength: 40 }),
      token_type: fc.constant('bearer'),
      expires_in: expiresIn,
    },
    ['access_token'],
  ),
  hostileRecord(
    {
      error: fc.constantFrom('invalid_request', 'invalid_grant', 'invalid_client', ''),
      error_description: fc.oneof(fc.string(), fc.constant('no valid data in session\r\ncode=NAVER_AUTH_CODE_FIXTURE')),
    },
    ['error'],
  ),
);

/** A body as text or as bytes. */
const bodyOf = (shaped: fc.Arbitrary<unknown>) => fc.oneof({ arbitrary: hostileText(shaped), weight: 5 }, { arbitrary: hostileBytes.map((bytes) => Buffer.from(bytes)), weight: 1 });
/** The body as the client reads it (UTF-8). */
const textOf = (body: string | Buffer) => (typeof body === 'string' ? body : body.toString('utf8'));

function makeStrategy() {
  return new Strategy(
    { clientID: CLIENT_ID, clientSecret: CLIENT_SECRET, callbackURL: CALLBACK_URL, timeout: 1_000, baseURL: naver.url },
    (_a: string, _r: string, _p: NaverProfile, done: NaverVerifyCallback) => done(null, {}),
  );
}

// ---------------------------------------------------------------------------------------------------------------------

describe('property: Naver token answers', () => {
  it('parseNaverTokenError: any body and status give null or a NaverTokenError with the status and a safe description', () => {
    const seen = new OutcomeCounter();
    fc.assert(
      fc.property(hostileText(tokenResponse), hostileStatus, (body, status) => {
        const settled = settleSync(() => parseNaverTokenError(body, status));
        if (!settled.ok) return assertTypedError(settled.error, []);
        const error = settled.value;
        seen.note(error === null ? 'null' : 'NaverTokenError');
        if (error === null) return;
        expect(error).toBeInstanceOf(NaverTokenError);
        expect(typeof error.code).toBe('string');
        expect(error.httpStatus).toBe(status);
        expect(optionalString(error.errorDescription)).toBe(true);
        expect(error.message).not.toMatch(/[\r\n\u0000]|code=NAVER_AUTH_CODE_FIXTURE/);
      }),
      fuzzParameters(),
    );
    expectMet(seen, ['null', 'NaverTokenError']);
  }, SYNC_TIMEOUT);

  it('normalizeNaverTokenResponse: any parsed token response keeps its fields, with expires_in a finite number or absent', () => {
    const seen = new OutcomeCounter();
    fc.assert(
      fc.property(hostileText(tokenResponse), (text) => {
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          return;
        }
        fc.pre(typeof json === 'object' && json !== null && !Array.isArray(json));
        const input = json as Record<string, unknown>;
        const settled = settleSync(() => normalizeNaverTokenResponse(input));
        if (!settled.ok) return assertTypedError(settled.error, []);
        const results = settled.value;
        const expires = results['expires_in'];
        seen.note(expires === undefined ? 'no expires_in' : 'expires_in');
        if (expires !== undefined) expect(Number.isFinite(expires)).toBe(true);
        for (const key of Object.keys(input)) if (key !== 'expires_in') expect(results[key]).toBe(input[key]);
      }),
      fuzzParameters(),
    );
    expectMet(seen, ['no expires_in', 'expires_in']);
  }, SYNC_TIMEOUT);

  it('the token exchange: any answer to POST /oauth2.0/token gives tokens, a NaverTokenError or an INVALID_RESPONSE', async () => {
    const strategy = makeStrategy();
    const oauth2 = (strategy as unknown as { _oauth2: { getOAuthAccessToken(code: string, params: object, cb: (...args: unknown[]) => void): void } })._oauth2;
    const seen = new OutcomeCounter();
    await fc.assert(
      fc.asyncProperty(bodyOf(tokenResponse), hostileStatus, async (body, status) => {
        naver.answer(status, body);
        const settled = await settleAsync(
          () =>
            new Promise<unknown[]>((resolve, reject) =>
              oauth2.getOAuthAccessToken(AUTH_CODE, { grant_type: 'authorization_code', state: 'state-fixture' }, (err, ...rest) => (err ? reject(err) : resolve(rest))),
            ),
        );
        if (!settled.ok) {
          assertTypedError(settled.error, [NaverTokenError, ProviderRequestError]);
          // NETWORK_ERROR: bytes the HTTP parser refuses (a body after a 205, say); never a TIMEOUT.
          if (settled.error instanceof ProviderRequestError) expect(['INVALID_RESPONSE', 'NETWORK_ERROR']).toContain(settled.error.code);
          seen.note((settled.error as Error).name);
          return;
        }
        seen.note('tokens');
        const [accessToken, refreshToken, results] = settled.value as [unknown, unknown, Record<string, unknown>];
        expect(nonEmptyString(accessToken)).toBe(true);
        expect(optionalString(refreshToken)).toBe(true);
        expect(Object.prototype.hasOwnProperty.call(results, 'refresh_token')).toBe(false);
        if (results['expires_in'] !== undefined) expect(Number.isFinite(results['expires_in'])).toBe(true);
        expect(status >= 200 && status < 300).toBe(true);
        expect(JSON.parse(textOf(body))).toMatchObject({ access_token: accessToken });
      }),
      fuzzParameters(HTTP_RUNS),
    );
    expectMet(seen, ['tokens', 'NaverTokenError', 'ProviderRequestError']);
  }, HTTP_TIMEOUT);
});

describe('property: Naver profiles', () => {
  it('parseNaverProfile: any /v1/nid/me envelope whose response.id is a string gives a profile of the declared shape', () => {
    const seen = new OutcomeCounter();
    fc.assert(
      fc.property(userResponse, (json) => {
        const user = json['response'];
        // The strategy checks `response.id` (a non-empty string) before it calls the parser; the HTTP property covers the rest.
        fc.pre(typeof user === 'object' && user !== null && nonEmptyString((user as Record<string, unknown>)['id']));
        const raw = JSON.stringify(json);
        const settled = settleSync(() => parseNaverProfile(JSON.parse(raw) as NaverUserResponse, raw));
        if (!settled.ok) return assertTypedError(settled.error, []);
        seen.note(settled.value.emails || settled.value.birthday || settled.value.gender ? 'profile with fields' : 'profile');
        assertNaverProfile(settled.value, raw);
        expect(settled.value.id).toBe((user as Record<string, unknown>)['id']);
      }),
      fuzzParameters(),
    );
    expectMet(seen, ['profile', 'profile with fields']);
  }, SYNC_TIMEOUT);

  it('profileFromIdToken: any verified claims (sub a string) give a profile of the declared shape, id the sub', () => {
    const claims = hostileRecord({ nickname: naverText, name: naverText, email: naverText, picture: naverText, iss: fc.constant('https://nid.naver.com'), aud: fc.constant(CLIENT_ID) });
    const seen = new OutcomeCounter();
    fc.assert(
      fc.property(claims, fc.string({ minLength: 1, maxLength: 64 }), (values, sub) => {
        const all = { ...values, sub } as unknown as NaverIdTokenClaims;
        const settled = settleSync(() => profileFromIdToken(all));
        if (!settled.ok) return assertTypedError(settled.error, []);
        assertNaverProfile(settled.value, JSON.stringify(all));
        expect(settled.value.id).toBe(sub);
        seen.note(settled.value.displayName !== '' && settled.value.emails ? 'profile with fields' : 'profile');
      }),
      fuzzParameters(),
    );
    expectMet(seen, ['profile', 'profile with fields']);
  }, SYNC_TIMEOUT);

  it('the openapi envelope: any answer to GET /v1/nid/me gives a profile, a NaverAPIError or an INVALID_RESPONSE', async () => {
    const strategy = makeStrategy();
    const seen = new OutcomeCounter();
    await fc.assert(
      fc.asyncProperty(bodyOf(fc.oneof({ arbitrary: userResponse, weight: 3 }, openAPIError)), hostileStatus, async (body, status) => {
        naver.answer(status, body);
        const settled = await settleAsync(
          () => new Promise<unknown>((resolve, reject) => strategy.userProfile(ACCESS_TOKEN, (err, profile) => (err ? reject(err) : resolve(profile)))),
        );
        if (!settled.ok) {
          assertTypedError(settled.error, [NaverAPIError, ProviderRequestError]);
          if (settled.error instanceof ProviderRequestError) expect(['INVALID_RESPONSE', 'NETWORK_ERROR']).toContain(settled.error.code);
          if (settled.error instanceof NaverAPIError) {
            expect(typeof settled.error.resultcode).toBe('string');
            expect(settled.error.resultcode).not.toBe('00');
            expect(settled.error.httpStatus).toBe(status);
          }
          seen.note((settled.error as Error).name);
          return;
        }
        seen.note('profile');
        assertNaverProfile(settled.value as NaverProfile, textOf(body));
        expect(status >= 200 && status < 300).toBe(true);
      }),
      fuzzParameters(HTTP_RUNS),
    );
    expectMet(seen, ['profile', 'NaverAPIError', 'ProviderRequestError']);
  }, HTTP_TIMEOUT);
});

describe('property: Naver deauthorize callback', () => {
  const NOW = 1_760_000_000_000;
  const options = { clientID: CLIENT_ID, clientSecret: CLIENT_SECRET };
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'], now: NOW });
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  const KEY = createHash('md5').update(CLIENT_SECRET, 'utf8').digest();
  /** Naver's signature over the three fields (docs/providers/naver.md B7): what lets garbage in the other fields past the signature check. */
  const signature = (clientId: string, encryptUniqueId: string, timestamp: string) =>
    createHmac('sha256', KEY).update(`clientId=${clientId}&encryptUniqueId=${encryptUniqueId}&timestamp=${timestamp}`, 'utf8').digest('base64url');

  const FIELD_NAMES = ['clientId', 'encryptUniqueId', 'timestamp', 'signature'] as const;
  /** A genuine callback (any user id, a timestamp near or far from now), then maybe one field replaced or dropped, re-signed or not. */
  const fields = fc
    .record({
      userId: fc.string({ minLength: 1, maxLength: 40 }),
      offset: fc.oneof(fc.integer({ min: -400, max: 400 }), fc.integer({ min: -1e9, max: 1e9 })),
      iv: fc.uint8Array({ minLength: 16, maxLength: 16 }),
      mutate: fc.option(fc.record({ field: fc.constantFrom(...FIELD_NAMES), value: fc.oneof(hostileJSON(), fc.string(), fc.base64String(), fc.constant(undefined)), resign: fc.boolean() }), { freq: 2 }),
    })
    .map(({ userId, offset, iv, mutate }) => {
      const signed: Record<string, unknown> = { ...signNaverDeauthorizeCallback({ clientID: CLIENT_ID, clientSecret: CLIENT_SECRET, userId, timestamp: Math.max(0, Math.floor(NOW / 1000) + offset), iv }) };
      if (mutate) {
        if (mutate.value === undefined) delete signed[mutate.field];
        else signed[mutate.field] = mutate.value;
        const [clientId, encryptUniqueId, timestamp] = [signed['clientId'], signed['encryptUniqueId'], signed['timestamp']];
        if (mutate.resign && typeof clientId === 'string' && typeof encryptUniqueId === 'string' && (typeof timestamp === 'string' || typeof timestamp === 'number')) {
          signed['signature'] = signature(clientId, encryptUniqueId, String(timestamp));
        }
      }
      return signed;
    });
  const form = (values: Record<string, unknown>) =>
    new URLSearchParams(Object.entries(values).map(([key, value]): [string, string] => [key, typeof value === 'string' ? value : JSON.stringify(value) ?? ''])).toString();
  const headerValue = fc.oneof(fc.string(), fc.array(fc.string(), { maxLength: 2 }), fc.constant(undefined));
  const contentType = fc.oneof(
    { arbitrary: fc.constantFrom('application/x-www-form-urlencoded', 'application/json; charset=utf-8'), weight: 4 },
    fc.constantFrom('text/plain', 'application/problem+json', ''),
    headerValue,
  );
  const request = fc
    .record({
      method: fc.oneof({ arbitrary: fc.constant('POST'), weight: 8 }, fc.constantFrom('GET', 'post', ''), fc.string({ maxLength: 6 })),
      values: fc.oneof({ arbitrary: fields, weight: 4 }, hostileRecord({ clientId: fc.constant(CLIENT_ID), timestamp: fc.string(), signature: fc.base64String() })),
      encoding: fc.constantFrom('form', 'json', 'parsed', 'bytes', 'any'),
      contentType,
      contentEncoding: fc.oneof({ arbitrary: fc.constant(undefined), weight: 6 }, fc.constantFrom('identity', 'gzip'), headerValue),
      extraHeaders: fc.dictionary(hostileKey(['content-type', 'Content-Type', 'content-encoding']), headerValue, { maxKeys: 2 }),
      other: fc.oneof(hostileText(fields), hostileBytes, hostileJSON(FIELD_NAMES)),
    })
    .map(({ method, values, encoding, contentType: type, contentEncoding, extraHeaders, other }): NaverWebhookRequest => {
      const body: NaverWebhookRequest['body'] =
        encoding === 'form' ? form(values)
        : encoding === 'json' ? JSON.stringify(values)
        : encoding === 'parsed' ? values
        : encoding === 'bytes' ? new TextEncoder().encode(form(values))
        : (other as NaverWebhookRequest['body']);
      const headers: Record<string, string | readonly string[] | undefined> = { ...extraHeaders, 'content-type': type };
      if (contentEncoding !== undefined) headers['content-encoding'] = contentEncoding;
      return { method, headers, body };
    });

  it('verifyNaverDeauthorizeCallback: any method, headers and body (text, bytes, parsed JSON) give an event or a NaverWebhookError', () => {
    const seen = new OutcomeCounter();
    fc.assert(
      fc.property(request, (req) => {
        const settled = settleSync(() => verifyNaverDeauthorizeCallback(req, options));
        if (!settled.ok) {
          assertTypedError(settled.error, [NaverWebhookError]);
          expect((settled.error as Error).message).not.toContain(CLIENT_SECRET);
          seen.note((settled.error as NaverWebhookError).code);
          return;
        }
        seen.note('event');
        const event = settled.value;
        expect(event.clientId).toBe(CLIENT_ID);
        expect(nonEmptyString(event.userId)).toBe(true);
        expect(Number.isNaN(event.timestamp.getTime())).toBe(false);
        expect(Math.abs(event.timestamp.getTime() - NOW)).toBeLessThanOrEqual(300_000);
      }),
      fuzzParameters(),
    );
    expectMet(seen, ['event', 'BAD_METHOD', 'BAD_BODY', 'MISSING_FIELD', 'BAD_FIELD', 'BAD_SIGNATURE', 'STALE_TIMESTAMP', 'FUTURE_TIMESTAMP', 'BAD_ENCRYPTION']);
  }, SYNC_TIMEOUT);
});
