import { webhookHandler } from '@passport-korea/internal';
import express from 'express';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import request from 'supertest';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { KAKAO_WEBHOOK_MAX_BODY_BYTES, KakaoWebhookError, kakaoUnlinkWebhook, verifyKakaoUnlinkWebhook } from '../src/index.js';
import type { KakaoUnlinkEvent, KakaoUnlinkWebhookOptions, KakaoWebhookErrorCode, KakaoWebhookRequest } from '../src/index.js';

const ADMIN_KEY = 'a1b2c3d4e5f6a7b8c9d0ADMINKEYFIXTURE';
const APP_ID = '1234567';
/** Above Number.MAX_SAFE_INTEGER: `Number(BIG_USER_ID)` is 1376016924426111000, not this. */
const BIG_USER_ID = '1376016924426111111';
const USER_ID = '3610472851';
const AUTH = `KakaoAK ${ADMIN_KEY}`;
const PATH = '/webhooks/kakao/unlink';
const FORM = 'application/x-www-form-urlencoded';

const options = { adminKey: ADMIN_KEY, appId: APP_ID };
const fields = (overrides: Record<string, string | undefined> = {}) => {
  const all: Record<string, string | undefined> = { app_id: APP_ID, user_id: USER_ID, referrer_type: 'UNLINK_FROM_APPS', ...overrides };
  return new URLSearchParams(Object.entries(all).filter((entry): entry is [string, string] => entry[1] !== undefined)).toString();
};
const get = (query: string, headers: Record<string, string> = { authorization: AUTH }): KakaoWebhookRequest => ({ method: 'GET', headers, query });
const post = (body: KakaoWebhookRequest['body'], contentType = FORM, authorization = AUTH): KakaoWebhookRequest => ({
  method: 'POST',
  headers: { authorization, 'content-type': contentType },
  body,
});

/** The error `verify` throws, checked to be a KakaoWebhookError and to leak neither the admin key nor the user id. */
function refusal(req: KakaoWebhookRequest, opts: Parameters<typeof verifyKakaoUnlinkWebhook>[1] = options): KakaoWebhookError {
  let caught: unknown;
  try {
    verifyKakaoUnlinkWebhook(req, opts);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(KakaoWebhookError);
  const text = `${inspect(caught, { showHidden: true, depth: 10 })} ${JSON.stringify(caught)} ${String(caught)}`;
  for (const secret of [ADMIN_KEY, USER_ID, BIG_USER_ID]) expect(text).not.toContain(secret);
  return caught as KakaoWebhookError;
}

describe('verifyKakaoUnlinkWebhook: accepted calls', () => {
  it('reads a GET from the query', () => {
    expect(verifyKakaoUnlinkWebhook(get(fields()), options)).toEqual({ appId: APP_ID, userId: USER_ID, referrerType: 'UNLINK_FROM_APPS' });
  });

  it('reads a POST with a form body (string or bytes), keeping an id above 2^53 exact', () => {
    const body = fields({ user_id: BIG_USER_ID, referrer_type: 'ACCOUNT_DELETE' });
    const expected = { appId: APP_ID, userId: BIG_USER_ID, referrerType: 'ACCOUNT_DELETE' };
    expect(verifyKakaoUnlinkWebhook(post(body, `${FORM}; charset=utf-8`), options)).toEqual(expected);
    expect(verifyKakaoUnlinkWebhook(post(Buffer.from(body)), options)).toEqual(expected);
  });

  it('reads a POST with a JSON body, a numeric user_id above 2^53 included, exactly', () => {
    const raw = `{"app_id":${APP_ID},"user_id":${BIG_USER_ID},"referrer_type":"UNLINK_FROM_ADMIN"}`;
    expect(String(JSON.parse(raw).user_id)).not.toBe(BIG_USER_ID); // what a naive parse would give
    expect(verifyKakaoUnlinkWebhook(post(raw, 'application/json'), options)).toEqual({ appId: APP_ID, userId: BIG_USER_ID, referrerType: 'UNLINK_FROM_ADMIN' });
  });

  it('reads a POST body a framework already parsed, and falls back to the query for fields the body lacks', () => {
    const event = verifyKakaoUnlinkWebhook({ method: 'POST', headers: { authorization: AUTH }, body: { user_id: USER_ID, referrer_type: 'INCOMPLETE_SIGN_UP' }, query: { app_id: APP_ID } }, { adminKey: ADMIN_KEY, appId: 1234567 });
    expect(event).toEqual({ appId: APP_ID, userId: USER_ID, referrerType: 'INCOMPLETE_SIGN_UP' });
  });

  it('keeps an unknown referrer_type as sent and passes group_user_token on', () => {
    expect(verifyKakaoUnlinkWebhook(get(fields({ referrer_type: 'SOMETHING_NEW', group_user_token: 'gut-1' })), options)).toEqual({
      appId: APP_ID, userId: USER_ID, referrerType: 'SOMETHING_NEW', groupUserToken: 'gut-1',
    });
  });

  it('reads headers from a fetch Headers object or a plain object in any case, and the scheme in any case', () => {
    expect(verifyKakaoUnlinkWebhook({ method: 'GET', headers: new Headers({ Authorization: AUTH }), query: `?${fields()}` }, options).userId).toBe(USER_ID);
    expect(verifyKakaoUnlinkWebhook({ method: 'GET', headers: { Authorization: `kakaoak ${ADMIN_KEY}` }, query: new URLSearchParams(fields()) }, options).userId).toBe(USER_ID);
  });
});

describe('verifyKakaoUnlinkWebhook: bad input, each refused with a typed error', () => {
  it.each<[string, KakaoWebhookRequest, KakaoWebhookErrorCode, number, string | undefined]>([
    ['a wrong admin key', get(fields(), { authorization: 'KakaoAK a1b2c3d4e5f6a7b8c9d0ADMINKEYFIXTURF' }), 'BAD_AUTHORIZATION', 401, undefined],
    ['no Authorization header', get(fields(), {}), 'BAD_AUTHORIZATION', 401, undefined],
    ['the admin key as a Bearer token', get(fields(), { authorization: `Bearer ${ADMIN_KEY}` }), 'BAD_AUTHORIZATION', 401, undefined],
    ['the admin key alone', get(fields(), { authorization: ADMIN_KEY }), 'BAD_AUTHORIZATION', 401, undefined],
    ['another app_id', get(fields({ app_id: '7654321' })), 'APP_MISMATCH', 401, undefined],
    ['a missing app_id', get(fields({ app_id: undefined })), 'MISSING_FIELD', 400, 'app_id'],
    ['a missing user_id', get(fields({ user_id: undefined })), 'MISSING_FIELD', 400, 'user_id'],
    ['an empty user_id', get(fields({ user_id: '' })), 'MISSING_FIELD', 400, 'user_id'],
    ['a missing referrer_type', post(fields({ referrer_type: undefined })), 'MISSING_FIELD', 400, 'referrer_type'],
    ['a user_id that is not digits', get(fields({ user_id: '12ab' })), 'BAD_FIELD', 400, 'user_id'],
    ['a user_id given twice with different values', get(`${fields()}&user_id=42`), 'BAD_FIELD', 400, 'user_id'],
    ['a parsed JSON user_id that lost its precision', post({ app_id: APP_ID, user_id: 1376016924426111000, referrer_type: 'UNLINK_FROM_APPS' }), 'BAD_FIELD', 400, 'user_id'],
    ['an oversized body', post(`${fields()}&pad=${'x'.repeat(KAKAO_WEBHOOK_MAX_BODY_BYTES)}`), 'BODY_TOO_LARGE', 413, undefined],
    ['broken JSON', post(`{"user_id":${USER_ID},`, 'application/json'), 'BAD_BODY', 400, undefined],
    ['a JSON array', post('[1]', 'application/json'), 'BAD_BODY', 400, undefined],
    ['a multipart body', post('--x', 'multipart/form-data; boundary=x'), 'BAD_BODY', 400, undefined],
    ['a compressed body', { method: 'POST', headers: { authorization: AUTH, 'content-type': FORM, 'content-encoding': 'gzip' }, body: fields() }, 'BAD_BODY', 400, undefined],
    ['two Authorization headers', { method: 'GET', headers: { authorization: [AUTH, AUTH] }, query: fields() }, 'BAD_AUTHORIZATION', 401, undefined],
    ['a PUT', { method: 'PUT', headers: { authorization: AUTH }, query: fields() }, 'BAD_METHOD', 405, undefined],
  ])('%s', (_label, req, code, status, field) => {
    const error = refusal(req);
    expect({ code: error.code, status: error.status, field: error.field, name: error.name }).toEqual({ code, status, field, name: 'KakaoWebhookError' });
  });

  it('checks the admin key before reading the body, so an unauthenticated caller learns nothing about it', () => {
    expect(refusal(post(`${'x'.repeat(KAKAO_WEBHOOK_MAX_BODY_BYTES + 1)}`, FORM, 'KakaoAK wrong')).code).toBe('BAD_AUTHORIZATION');
  });

  it('honours a smaller maxBodyBytes', () => {
    const body = fields();
    expect(refusal(post(body), { ...options, maxBodyBytes: body.length - 1 }).code).toBe('BODY_TOO_LARGE');
    expect(verifyKakaoUnlinkWebhook(post(body), { ...options, maxBodyBytes: body.length }).userId).toBe(USER_ID);
  });

  it('has fixed messages that quote no value from the request', () => {
    expect(refusal(get(fields(), { authorization: 'KakaoAK nope' })).message).toBe("Kakao unlink webhook refused: the Authorization header is not KakaoAK with the app's admin key");
    expect(refusal(get(fields({ app_id: '999' }))).message).toBe("Kakao unlink webhook refused: app_id is not the configured app's");
    expect(refusal(get(fields({ user_id: undefined }))).message).toBe('Kakao unlink webhook refused: user_id is missing');
  });

  it('takes several admin keys (a rotation of the primary key, A13): a call with either is accepted, any other refused', async () => {
    const NEXT_KEY = 'f0e1d2c3b4a5NEXTPRIMARYADMINKEYFIXTURE';
    const rotating = { adminKey: [ADMIN_KEY, NEXT_KEY] as const, appId: APP_ID };
    expect(verifyKakaoUnlinkWebhook(get(fields()), rotating)).toEqual({ appId: APP_ID, userId: USER_ID, referrerType: 'UNLINK_FROM_APPS' });
    expect(verifyKakaoUnlinkWebhook(get(fields(), { authorization: `KakaoAK ${NEXT_KEY}` }), rotating).userId).toBe(USER_ID);
    expect(refusal(get(fields(), { authorization: 'KakaoAK another-apps-admin-key' }), rotating).code).toBe('BAD_AUTHORIZATION');
    const text = inspect(refusal(get(fields(), { authorization: 'KakaoAK x' }), rotating), { showHidden: true, depth: 10 });
    expect(text).not.toContain(NEXT_KEY);
    // The handler takes the list too.
    const events: KakaoUnlinkEvent[] = [];
    const app = express().post(PATH, kakaoUnlinkWebhook({ ...rotating, onEvent: (event) => void events.push(event) }));
    await request(app).post(PATH).set('Authorization', `KakaoAK ${NEXT_KEY}`).type('form').send(fields()).expect(200);
    await request(app).post(PATH).set('Authorization', `KakaoAK ${ADMIN_KEY}x`).type('form').send(fields()).expect(401);
    await vi.waitFor(() => expect(events).toHaveLength(1));
    // An empty list, more than five keys, or a bad key in the list: a TypeError that quotes none of them.
    for (const adminKey of [[], ['k1', 'k2', 'k3', 'k4', 'k5', 'k6']]) {
      expect(() => verifyKakaoUnlinkWebhook(get(fields()), { adminKey, appId: APP_ID })).toThrow(
        new TypeError('verifyKakaoUnlinkWebhook: the adminKey option takes one admin key or a list of 1 to 5 (a Kakao app holds at most 5)'),
      );
    }
    expect(() => verifyKakaoUnlinkWebhook(get(fields()), { adminKey: [ADMIN_KEY, 'key with space'], appId: APP_ID })).toThrow(
      new TypeError('verifyKakaoUnlinkWebhook: the adminKey option holds a space or a control character (a line break from a secret file?)'),
    );
  });

  it('refuses bad options with a TypeError that does not quote them', () => {
    expect(() => verifyKakaoUnlinkWebhook(get(fields()), { adminKey: '', appId: APP_ID })).toThrow(new TypeError('verifyKakaoUnlinkWebhook requires the adminKey option (a non-empty string)'));
    expect(() => verifyKakaoUnlinkWebhook(get(fields()), { adminKey: 'admin-key\r\n', appId: APP_ID })).toThrow(
      new TypeError('verifyKakaoUnlinkWebhook: the adminKey option holds a space or a control character (a line break from a secret file?)'),
    );
    expect(() => verifyKakaoUnlinkWebhook(get(fields()), { adminKey: ADMIN_KEY, appId: 'my-app' })).toThrow(new TypeError("verifyKakaoUnlinkWebhook requires the appId option (the app's numeric id)"));
    expect(() => kakaoUnlinkWebhook({ ...options } as KakaoUnlinkWebhookOptions)).toThrow(new TypeError('kakaoUnlinkWebhook requires the onEvent option (a function)'));
  });
});

// ---------------------------------------------------------------------------------------------------------------------

type Parser = 'none' | 'urlencoded' | 'json' | 'text';

/** An Express app with the webhook mounted as the README shows, recording the order of answer and event. */
function makeApp(parser: Parser = 'none', extra: Partial<KakaoUnlinkWebhookOptions> = {}) {
  const order: string[] = [];
  const events: KakaoUnlinkEvent[] = [];
  const onEvent = vi.fn((event: KakaoUnlinkEvent) => {
    order.push('event');
    events.push(event);
  });
  const onRefused = vi.fn((_error: KakaoWebhookError) => undefined);
  const app = express();
  if (parser === 'urlencoded') app.use(express.urlencoded({ extended: false }));
  if (parser === 'json') app.use(express.json());
  if (parser === 'text') app.use(express.text({ type: '*/*' }));
  app.use((_req, res, next) => {
    res.on('finish', () => order.push('answered'));
    next();
  });
  app.all(PATH, kakaoUnlinkWebhook({ ...options, onEvent, onRefused, ...extra }));
  return { app, onEvent, onRefused, events, order };
}

/** Lets the after-answer callbacks run (they are scheduled with setImmediate after `finish`). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

describe('verifyKakaoUnlinkWebhook: a parsed query or body that is not an object (found by property.test.ts)', () => {
  // `express.json({ strict: false })` gives `null` for the body `null`: it threw "TypeError: Cannot convert undefined
  // or null to object" instead of a refusal. It now holds no fields, like an absent one.
  it('refuses a null POST body (and a null query) as MISSING_FIELD app_id', () => {
    for (const req of [post(null as unknown as KakaoWebhookRequest['body'], 'application/json'), { ...get(''), query: null as unknown as string }]) {
      const error = refusal(req);
      expect({ code: error.code, status: error.status, field: error.field }).toEqual({ code: 'MISSING_FIELD', status: 400, field: 'app_id' });
    }
  });

  it('reads the query when the parsed body is null or a number', () => {
    for (const body of [null, 5]) {
      const req = { ...post(body as unknown as KakaoWebhookRequest['body'], 'application/json'), query: fields() };
      expect(verifyKakaoUnlinkWebhook(req, options)).toEqual({ appId: APP_ID, userId: USER_ID, referrerType: 'UNLINK_FROM_APPS' });
    }
  });
});

describe('kakaoUnlinkWebhook (Express): accepted calls answer 200 first, then run onEvent', () => {
  it('GET: 200 with an empty body, then onEvent with the event', async () => {
    const { app, onEvent, events, order } = makeApp();
    const res = await request(app).get(`${PATH}?${fields()}`).set('Authorization', AUTH);
    expect({ status: res.status, text: res.text }).toEqual({ status: 200, text: '' });
    await vi.waitFor(() => expect(onEvent).toHaveBeenCalledTimes(1));
    expect(events).toEqual([{ appId: APP_ID, userId: USER_ID, referrerType: 'UNLINK_FROM_APPS' }]);
    expect(order).toEqual(['answered', 'event']);
  });

  it.each<[Parser, string, string]>([
    ['none', FORM, fields({ user_id: BIG_USER_ID })],
    ['urlencoded', FORM, fields({ user_id: BIG_USER_ID })],
    ['json', FORM, fields({ user_id: BIG_USER_ID })],
    ['none', 'application/json', `{"app_id":${APP_ID},"user_id":${BIG_USER_ID},"referrer_type":"UNLINK_FROM_APPS"}`],
    ['json', 'application/json', `{"app_id":"${APP_ID}","user_id":"${BIG_USER_ID}","referrer_type":"UNLINK_FROM_APPS"}`],
    ['text', 'application/json', `{"app_id":${APP_ID},"user_id":${BIG_USER_ID},"referrer_type":"UNLINK_FROM_APPS"}`],
  ])('POST with parser %s and %s: 200, id kept exact', async (parser, contentType, body) => {
    const { app, onEvent, events } = makeApp(parser);
    const res = await request(app).post(PATH).set('Authorization', AUTH).set('Content-Type', contentType).send(body);
    expect({ status: res.status, text: res.text }).toEqual({ status: 200, text: '' });
    await vi.waitFor(() => expect(onEvent).toHaveBeenCalledTimes(1));
    expect(events).toEqual([{ appId: APP_ID, userId: BIG_USER_ID, referrerType: 'UNLINK_FROM_APPS' }]);
  });

  it('answers before a slow onEvent finishes (Kakao waits only 3 s)', async () => {
    let release = () => {};
    const onEvent = vi.fn(() => new Promise<void>((resolve) => { release = resolve; }));
    const { app } = makeApp('none', { onEvent });
    const res = await request(app).get(`${PATH}?${fields()}`).set('Authorization', AUTH);
    expect(res.status).toBe(200);
    await vi.waitFor(() => expect(onEvent).toHaveBeenCalledTimes(1));
    release();
  });

  it('sends an onEvent that throws, or rejects, to onError with the event; the answer is still 200', async () => {
    const failures: unknown[] = [];
    const onError = vi.fn((error: unknown, event: KakaoUnlinkEvent) => { failures.push([(error as Error).message, event.userId]); });
    const sync = makeApp('none', { onEvent: () => { throw new Error('db down'); }, onError });
    expect((await request(sync.app).get(`${PATH}?${fields()}`).set('Authorization', AUTH)).status).toBe(200);
    const async = makeApp('none', { onEvent: () => Promise.reject(new Error('db slow')), onError });
    expect((await request(async.app).get(`${PATH}?${fields()}`).set('Authorization', AUTH)).status).toBe(200);
    await vi.waitFor(() => expect(onError).toHaveBeenCalledTimes(2));
    expect(failures).toEqual([['db down', USER_ID], ['db slow', USER_ID]]);
  });

  it('without onError, reports a failed onEvent with console.error, and an onError that throws too, without crashing', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const failure = new Error('db down');
    const plain = makeApp('none', { onEvent: () => Promise.reject(failure) });
    expect((await request(plain.app).get(`${PATH}?${fields()}`).set('Authorization', AUTH)).status).toBe(200);
    const broken = makeApp('none', { onEvent: () => Promise.reject(failure), onError: () => { throw new Error('logger down'); } });
    expect((await request(broken.app).get(`${PATH}?${fields()}`).set('Authorization', AUTH)).status).toBe(200);
    await vi.waitFor(() => expect(log).toHaveBeenCalledTimes(2));
    expect(log.mock.calls.map((call) => [call[0], (call[1] as Error).message])).toEqual([
      ['kakaoUnlinkWebhook: onEvent failed', 'db down'],
      ['kakaoUnlinkWebhook: onError failed', 'logger down'],
    ]);
  });
});

describe('kakaoUnlinkWebhook (Express): bad input gets the right status, and onEvent is never called', () => {
  afterEach(() => vi.restoreAllMocks());

  it.each<[string, Parser, (test: request.Agent) => request.Test, number, KakaoWebhookErrorCode]>([
    ['a wrong admin key (GET)', 'none', (t) => t.get(`${PATH}?${fields()}`).set('Authorization', 'KakaoAK wrong-key'), 401, 'BAD_AUTHORIZATION'],
    ['a wrong admin key (POST)', 'urlencoded', (t) => t.post(PATH).set('Authorization', 'KakaoAK wrong-key').type('form').send(fields()), 401, 'BAD_AUTHORIZATION'],
    ['no Authorization header', 'none', (t) => t.get(`${PATH}?${fields()}`), 401, 'BAD_AUTHORIZATION'],
    ['another app_id', 'none', (t) => t.post(PATH).set('Authorization', AUTH).type('form').send(fields({ app_id: '7654321' })), 401, 'APP_MISMATCH'],
    ['a missing user_id', 'none', (t) => t.get(`${PATH}?${fields({ user_id: undefined })}`).set('Authorization', AUTH), 400, 'MISSING_FIELD'],
    ['a missing referrer_type', 'json', (t) => t.post(PATH).set('Authorization', AUTH).send({ app_id: APP_ID, user_id: USER_ID }), 400, 'MISSING_FIELD'],
    ['an oversized body (Content-Length)', 'none', (t) => t.post(PATH).set('Authorization', AUTH).type('form').send(`${fields()}&pad=${'x'.repeat(10_000)}`), 413, 'BODY_TOO_LARGE'],
    ['broken JSON', 'none', (t) => t.post(PATH).set('Authorization', AUTH).type('json').send('{"user_id":'), 400, 'BAD_BODY'],
    ['a DELETE', 'none', (t) => t.delete(`${PATH}?${fields()}`).set('Authorization', AUTH), 405, 'BAD_METHOD'],
  ])('%s', async (_label, parser, send, status, code) => {
    const { app, onEvent, onRefused } = makeApp(parser);
    const res = await send(request.agent(app));
    expect({ status: res.status, text: res.text }).toEqual({ status, text: '' });
    if (status === 405) expect(res.headers['allow']).toBe('GET, POST');
    await vi.waitFor(() => expect(onRefused).toHaveBeenCalledTimes(1));
    expect(onRefused.mock.calls[0]?.[0]).toMatchObject({ name: 'KakaoWebhookError', code });
    await settle();
    expect(onEvent).not.toHaveBeenCalled();
  });

  it('an oversized chunked body (no Content-Length) read without a parser: 413 once past the cap', async () => {
    const { app, onEvent } = makeApp('none', { maxBodyBytes: 1024 });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const status = await new Promise<number>((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port, path: PATH, method: 'POST', headers: { authorization: AUTH, 'content-type': FORM, 'transfer-encoding': 'chunked' } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.write(fields());
        req.write(`&pad=${'x'.repeat(2048)}`);
        req.end();
      });
      expect(status).toBe(413);
      await settle();
      expect(onEvent).not.toHaveBeenCalled();
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('the shared webhook skeleton', () => {
  it('answers 500 when a check throws something other than a refusal after the body was read, and leaves no unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const handler = webhookHandler({
        owner: 'testWebhook',
        maxBodyBytes: 1024,
        acceptStatus: 204,
        allow: 'POST',
        isRefusal: (error): error is KakaoWebhookError => error instanceof KakaoWebhookError,
        tooLarge: () => new KakaoWebhookError('BODY_TOO_LARGE', 'too large'),
        beforeBody: () => undefined,
        hasBody: () => true,
        readEvent: () => {
          throw new Error('a bug in a check');
        },
        onEvent: () => undefined,
      });
      const app = express().post(PATH, handler);
      await request(app).post(PATH).type('form').send('a=1').expect(500);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(unhandled).toEqual([]);
      expect(logged).toHaveBeenCalledWith('testWebhook: the call could not be checked', new Error('a bug in a check'));
    } finally {
      process.off('unhandledRejection', onUnhandled);
      logged.mockRestore();
    }
  });
});
