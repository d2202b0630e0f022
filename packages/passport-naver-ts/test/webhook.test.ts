import express from 'express';
import http from 'node:http';
import { createCipheriv, createHash, createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import request from 'supertest';
import { signNaverDeauthorizeCallback } from 'kakao-naver-emulator';
import type { NaverDeauthorizeFields } from 'kakao-naver-emulator';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NAVER_WEBHOOK_MAX_BODY_BYTES, NaverWebhookError, naverDeauthorizeWebhook, verifyNaverDeauthorizeCallback } from '../src/index.js';
import type { NaverDeauthorizeEvent, NaverDeauthorizeVerifyOptions, NaverDeauthorizeWebhookOptions, NaverWebhookErrorCode, NaverWebhookRequest } from '../src/index.js';

const CLIENT_ID = 'NAVER_CLIENT_ID_FIXTURE';
const CLIENT_SECRET = 'naverClientSecretFixture';
const USER_ID = 'Zk3nQ2xY-user-fixture';
/** 2026-01-01T00:00:00Z, in epoch seconds. */
const SENT = 1767225600;
const FORM = 'application/x-www-form-urlencoded';
const PATH = '/webhooks/naver/deauthorize';

/** Verification happens 10 s after the callback was sent (the clock is Vitest's, only `Date` faked). */
const options: NaverDeauthorizeVerifyOptions = { clientID: CLIENT_ID, clientSecret: CLIENT_SECRET };
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'], now: (SENT + 10) * 1000 });
});
afterEach(() => {
  vi.useRealTimers();
});

/** A callback signed with the app's key, with any field overridden before (`fields`) or after (`raw`) signing. */
function callback(at = SENT, userId = USER_ID): NaverDeauthorizeFields {
  return signNaverDeauthorizeCallback({ clientID: CLIENT_ID, clientSecret: CLIENT_SECRET, userId, timestamp: at });
}

/** HMAC-SHA256 with Naver's key over the three fields, computed here with node:crypto, independently of the package. */
function resign(fields: Omit<NaverDeauthorizeFields, 'signature'>, secret = CLIENT_SECRET): NaverDeauthorizeFields {
  const key = createHash('md5').update(secret).digest();
  const signature = createHmac('sha256', key).update(`clientId=${fields.clientId}&encryptUniqueId=${fields.encryptUniqueId}&timestamp=${fields.timestamp}`).digest('base64url');
  return { ...fields, signature };
}

const form = (fields: Partial<Record<string, string>>) => new URLSearchParams(Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== undefined)).toString();
const post = (body: NaverWebhookRequest['body'], contentType = FORM): NaverWebhookRequest => ({ method: 'POST', headers: { 'content-type': contentType }, body });

/** Replaces the character at `index` with another character of the Base64url alphabet. */
const flip = (text: string, index: number) => `${text.slice(0, index)}${text[index] === 'A' ? 'B' : 'A'}${text.slice(index + 1)}`;

/** The error `verify` throws, checked to be a NaverWebhookError and to leak neither the client secret nor the user id. */
function refusal(req: NaverWebhookRequest, opts: NaverDeauthorizeVerifyOptions = options): NaverWebhookError {
  let caught: unknown;
  try {
    verifyNaverDeauthorizeCallback(req, opts);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(NaverWebhookError);
  const text = `${inspect(caught, { showHidden: true, depth: 10 })} ${JSON.stringify(caught)} ${String(caught)}`;
  for (const secret of [CLIENT_SECRET, USER_ID]) expect(text).not.toContain(secret);
  return caught as NaverWebhookError;
}

describe('the construction, pinned by a known-answer vector', () => {
  // Computed once with the openssl command line (md5, enc -aes-128-cbc, dgst -hmac), independently of this package:
  // KEY=$(printf %s "$SECRET" | openssl dgst -md5 -r); printf %s "$USER_ID" | openssl enc -aes-128-cbc -K $KEY -iv 000102…0f
  const IV = Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex');
  const ENCRYPT_UNIQUE_ID = 'AAECAwQFBgcICQoLDA0OD9Y8ux72yhNJmCgdq9Fd9AV2nFrW0p24NSiQoDHJANqM';
  const SIGNATURE = 'idCH-N36pVzr_1dMzxY5_r8h69AbKGOjM7HL2gadL24';

  it('node:crypto, used directly here, gives the same vector (key = MD5(secret), IV || AES-128-CBC, HMAC-SHA256 over the fields)', () => {
    const key = createHash('md5').update(CLIENT_SECRET, 'utf8').digest();
    expect(key.toString('hex')).toBe('2b5a269953c553de2142af1646401d4d');
    const cipher = createCipheriv('aes-128-cbc', key, IV);
    const encryptUniqueId = Buffer.concat([IV, cipher.update(USER_ID, 'utf8'), cipher.final()]).toString('base64url');
    expect(encryptUniqueId).toBe(ENCRYPT_UNIQUE_ID);
    expect(resign({ clientId: CLIENT_ID, encryptUniqueId, timestamp: String(SENT) }).signature).toBe(SIGNATURE);
  });

  it('the verifier decrypts the vector to the user id', () => {
    const body = form({ clientId: CLIENT_ID, encryptUniqueId: ENCRYPT_UNIQUE_ID, timestamp: String(SENT), signature: SIGNATURE });
    expect(verifyNaverDeauthorizeCallback(post(body), options)).toEqual({ clientId: CLIENT_ID, userId: USER_ID, timestamp: new Date(SENT * 1000) });
  });

  it('the signer, given the same IV and time, produces exactly the vector', () => {
    expect(signNaverDeauthorizeCallback({ clientID: CLIENT_ID, clientSecret: CLIENT_SECRET, userId: USER_ID, timestamp: new Date(SENT * 1000 + 999), iv: IV })).toEqual({
      clientId: CLIENT_ID, encryptUniqueId: ENCRYPT_UNIQUE_ID, timestamp: String(SENT), signature: SIGNATURE,
    });
  });
});

describe('verifyNaverDeauthorizeCallback: accepted callbacks', () => {
  it('round-trips the signer through a form body (string or bytes), with a random IV each time', () => {
    const a = callback();
    const b = callback();
    expect(a.encryptUniqueId).not.toBe(b.encryptUniqueId);
    const expected = { clientId: CLIENT_ID, userId: USER_ID, timestamp: new Date(SENT * 1000) };
    expect(verifyNaverDeauthorizeCallback(post(form({ ...a })), options)).toEqual(expected);
    expect(verifyNaverDeauthorizeCallback(post(Buffer.from(form({ ...b })), `${FORM}; charset=UTF-8`), options)).toEqual(expected);
  });

  it('reads a JSON body (timestamp as a string or a number) and a body a framework already parsed', () => {
    const fields = callback(SENT, '한글-아이디-🙂');
    const expected = { clientId: CLIENT_ID, userId: '한글-아이디-🙂', timestamp: new Date(SENT * 1000) };
    expect(verifyNaverDeauthorizeCallback(post(JSON.stringify(fields), 'application/json'), options)).toEqual(expected);
    expect(verifyNaverDeauthorizeCallback(post(JSON.stringify({ ...fields, timestamp: SENT }), 'application/json'), options)).toEqual(expected);
    expect(verifyNaverDeauthorizeCallback({ method: 'POST', headers: {}, body: { ...fields } }, options)).toEqual(expected);
  });

  it('accepts a timestamp exactly at the tolerance either way (default 300 s), and uses Date.now without `now`', () => {
    expect(verifyNaverDeauthorizeCallback(post(form({ ...callback(SENT - 290) })), options).userId).toBe(USER_ID); // 300 s old
    expect(verifyNaverDeauthorizeCallback(post(form({ ...callback(SENT + 310) })), options).userId).toBe(USER_ID); // 300 s ahead
    expect(verifyNaverDeauthorizeCallback(post(form({ ...signNaverDeauthorizeCallback({ clientID: CLIENT_ID, clientSecret: CLIENT_SECRET, userId: USER_ID }) })), { clientID: CLIENT_ID, clientSecret: CLIENT_SECRET }).userId).toBe(USER_ID);
  });
});

describe('verifyNaverDeauthorizeCallback: bad input, each refused with a typed error', () => {
  const good = callback();
  const body = (fields: Partial<Record<keyof NaverDeauthorizeFields | 'pad', string>>) => post(form({ ...good, ...fields }));
  // A last AES block replaced by zeros (re-signed); with a fixed IV the result is fixed, and it fails PKCS#7 unpadding.
  const fixed = signNaverDeauthorizeCallback({ clientID: CLIENT_ID, clientSecret: CLIENT_SECRET, userId: USER_ID, timestamp: SENT, iv: new Uint8Array(16).fill(7) });
  const raw = Buffer.from(fixed.encryptUniqueId, 'base64url');
  const badPadding = Buffer.concat([raw.subarray(0, raw.length - 16), Buffer.alloc(16)]).toString('base64url');

  it.each<[string, NaverWebhookRequest, NaverWebhookErrorCode, number, string | undefined]>([
    ['a tampered signature', body({ signature: flip(good.signature, 10) }), 'BAD_SIGNATURE', 401, undefined],
    ['a signature made with another secret', post(form({ ...resign(good, 'another-secret') })), 'BAD_SIGNATURE', 401, undefined],
    ['a non-base64 signature', body({ signature: '!!not*base64!!' }), 'BAD_SIGNATURE', 401, undefined],
    ['a non-base64 encryptUniqueId, unsigned (the signature is checked before any decryption)', body({ encryptUniqueId: 'not~base64!' }), 'BAD_SIGNATURE', 401, undefined],
    ['a tampered encryptUniqueId (signature kept)', body({ encryptUniqueId: flip(good.encryptUniqueId, 30) }), 'BAD_SIGNATURE', 401, undefined],
    ['another clientId (signature kept)', body({ clientId: 'OTHER_CLIENT_ID' }), 'BAD_SIGNATURE', 401, undefined],
    ['another clientId, signed with the secret', post(form({ ...resign({ ...good, clientId: 'OTHER_CLIENT_ID' }) })), 'CLIENT_MISMATCH', 401, undefined],
    ['a changed timestamp (signature kept)', body({ timestamp: String(SENT + 1) }), 'BAD_SIGNATURE', 401, undefined],
    ['a stale timestamp (301 s old)', body({ ...callback(SENT - 291) }), 'STALE_TIMESTAMP', 401, undefined],
    ['a future timestamp (301 s ahead)', body({ ...callback(SENT + 311) }), 'FUTURE_TIMESTAMP', 401, undefined],
    ['a signed timestamp that is not epoch seconds', post(form({ ...resign({ ...good, timestamp: '2026-01-01' }) })), 'BAD_FIELD', 400, 'timestamp'],
    ['a signed encryptUniqueId that is not base64', post(form({ ...resign({ ...good, encryptUniqueId: 'not~base64!' }) })), 'BAD_ENCRYPTION', 400, undefined],
    ['a signed encryptUniqueId too short for IV and a block', post(form({ ...resign({ ...good, encryptUniqueId: good.encryptUniqueId.slice(0, 22) }) })), 'BAD_ENCRYPTION', 400, undefined],
    ['a signed encryptUniqueId that fails unpadding', post(form({ ...resign({ ...good, encryptUniqueId: badPadding }) })), 'BAD_ENCRYPTION', 400, undefined],
    ['a missing clientId', body({ clientId: '' }), 'MISSING_FIELD', 400, 'clientId'],
    ['a missing encryptUniqueId', post(form({ ...good, encryptUniqueId: undefined })), 'MISSING_FIELD', 400, 'encryptUniqueId'],
    ['a missing timestamp', post(form({ ...good, timestamp: undefined })), 'MISSING_FIELD', 400, 'timestamp'],
    ['a missing signature', post(form({ ...good, signature: undefined })), 'MISSING_FIELD', 400, 'signature'],
    ['no body', { method: 'POST', headers: {} }, 'MISSING_FIELD', 400, 'clientId'],
    ['a repeated signature', post(`${form({ ...good })}&signature=x`), 'BAD_FIELD', 400, 'signature'],
    ['a JSON field that is not a string', post(JSON.stringify({ ...good, clientId: 1 }), 'application/json'), 'BAD_FIELD', 400, 'clientId'],
    ['an oversized body', body({ pad: 'x'.repeat(NAVER_WEBHOOK_MAX_BODY_BYTES) }), 'BODY_TOO_LARGE', 413, undefined],
    ['broken JSON', post('{"clientId":', 'application/json'), 'BAD_BODY', 400, undefined],
    ['a text/plain body', post(form({ ...good }), 'text/plain'), 'BAD_BODY', 400, undefined],
    ['a compressed body', { method: 'POST', headers: { 'content-type': FORM, 'content-encoding': 'gzip' }, body: form({ ...good }) }, 'BAD_BODY', 400, undefined],
    ['a GET', { method: 'GET', headers: {}, body: form({ ...good }) }, 'BAD_METHOD', 405, undefined],
  ])('%s', (_label, req, code, status, field) => {
    const error = refusal(req);
    expect({ code: error.code, status: error.status, field: error.field, name: error.name }).toEqual({ code, status, field, name: 'NaverWebhookError' });
  });

  it('honours a configured tolerance', () => {
    const opts = { ...options, toleranceSeconds: 60 };
    expect(refusal(post(form({ ...callback(SENT - 51) })), opts).code).toBe('STALE_TIMESTAMP');
    expect(verifyNaverDeauthorizeCallback(post(form({ ...callback(SENT - 50) })), opts).userId).toBe(USER_ID);
  });

  it('has fixed messages that quote no value from the request', () => {
    expect(refusal(body({ signature: flip(good.signature, 3) })).message).toBe('Naver deauthorize callback refused: the signature does not match');
    expect(refusal(body({ ...callback(SENT - 400) })).message).toBe('Naver deauthorize callback refused: timestamp is older than the tolerance');
  });

  it('refuses bad options and signer input with TypeErrors that do not quote them', () => {
    expect(() => verifyNaverDeauthorizeCallback(post(''), { clientID: CLIENT_ID, clientSecret: '' })).toThrow(new TypeError('verifyNaverDeauthorizeCallback requires the clientSecret option (a non-empty string)'));
    expect(() => verifyNaverDeauthorizeCallback(post(''), { ...options, toleranceSeconds: 0 })).toThrow(new TypeError('verifyNaverDeauthorizeCallback: the toleranceSeconds option must be a positive number'));
    expect(() => naverDeauthorizeWebhook({ ...options } as NaverDeauthorizeWebhookOptions)).toThrow(new TypeError('naverDeauthorizeWebhook requires the onEvent option (a function)'));
    expect(() => signNaverDeauthorizeCallback({ clientID: CLIENT_ID, clientSecret: CLIENT_SECRET, userId: USER_ID, iv: new Uint8Array(8) })).toThrow(new TypeError('signNaverDeauthorizeCallback: the iv must be 16 bytes'));
    expect(() => signNaverDeauthorizeCallback({ clientID: CLIENT_ID, clientSecret: CLIENT_SECRET, userId: USER_ID, timestamp: 1.5 })).toThrow(new TypeError('signNaverDeauthorizeCallback: the timestamp must be a Date or whole epoch seconds'));
  });
});

// ---------------------------------------------------------------------------------------------------------------------

type Parser = 'none' | 'urlencoded' | 'json';

/** An Express app with the callback mounted as the README shows, recording the order of answer and event. */
function makeApp(parser: Parser = 'none', extra: Partial<NaverDeauthorizeWebhookOptions> = {}) {
  const order: string[] = [];
  const events: NaverDeauthorizeEvent[] = [];
  const onEvent = vi.fn((event: NaverDeauthorizeEvent) => {
    order.push('event');
    events.push(event);
  });
  const onRefused = vi.fn((_error: NaverWebhookError) => undefined);
  const app = express();
  if (parser === 'urlencoded') app.use(express.urlencoded({ extended: false }));
  if (parser === 'json') app.use(express.json());
  app.use((_req, res, next) => {
    res.on('finish', () => order.push('answered'));
    next();
  });
  app.all(PATH, naverDeauthorizeWebhook({ ...options, onEvent, onRefused, ...extra }));
  return { app, onEvent, onRefused, events, order };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

describe('verifyNaverDeauthorizeCallback: a parsed body that is not an object (found by property.test.ts)', () => {
  // `express.json({ strict: false })` gives `null` for the body `null`: it threw "TypeError: Cannot convert undefined
  // or null to object" instead of a refusal.
  it.each<[string, unknown]>([['null', null], ['a number', 5], ['true', true]])('refuses %s as MISSING_FIELD clientId', (_name, body) => {
    const error = refusal(post(body as NaverWebhookRequest['body'], 'application/json'));
    expect({ code: error.code, status: error.status, field: error.field }).toEqual({ code: 'MISSING_FIELD', status: 400, field: 'clientId' });
  });
});

describe('naverDeauthorizeWebhook (Express): accepted callbacks answer 204 first, then run onEvent', () => {
  it.each<[Parser, 'form' | 'json']>([
    ['none', 'form'],
    ['urlencoded', 'form'],
    ['json', 'form'],
    ['none', 'json'],
    ['json', 'json'],
  ])('parser %s, %s body: 204, then onEvent with the event', async (parser, type) => {
    const { app, onEvent, events, order } = makeApp(parser);
    const res = await request(app).post(PATH).type(type).send(type === 'form' ? form({ ...callback() }) : JSON.stringify(callback()));
    expect({ status: res.status, text: res.text }).toEqual({ status: 204, text: '' });
    await vi.waitFor(() => expect(onEvent).toHaveBeenCalledTimes(1));
    expect(events).toEqual([{ clientId: CLIENT_ID, userId: USER_ID, timestamp: new Date(SENT * 1000) }]);
    expect(order).toEqual(['answered', 'event']);
  });

  it('sends an onEvent that throws, or rejects, to onError; the answer is still 204', async () => {
    const failures: unknown[] = [];
    const onError = vi.fn((error: unknown, event: NaverDeauthorizeEvent) => { failures.push([(error as Error).message, event.userId]); });
    const sync = makeApp('none', { onEvent: () => { throw new Error('db down'); }, onError });
    expect((await request(sync.app).post(PATH).type('form').send(form({ ...callback() }))).status).toBe(204);
    const async = makeApp('none', { onEvent: () => Promise.reject(new Error('db slow')), onError });
    expect((await request(async.app).post(PATH).type('form').send(form({ ...callback() }))).status).toBe(204);
    await vi.waitFor(() => expect(onError).toHaveBeenCalledTimes(2));
    expect(failures).toEqual([['db down', USER_ID], ['db slow', USER_ID]]);
  });

  it('without onError, reports a failed onEvent with console.error, without crashing', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const { app } = makeApp('none', { onEvent: () => Promise.reject(new Error('db down')) });
      expect((await request(app).post(PATH).type('form').send(form({ ...callback() }))).status).toBe(204);
      await vi.waitFor(() => expect(log).toHaveBeenCalledTimes(1));
      expect([log.mock.calls[0]?.[0], (log.mock.calls[0]?.[1] as Error).message]).toEqual(['naverDeauthorizeWebhook: onEvent failed', 'db down']);
    } finally {
      log.mockRestore();
    }
  });
});

describe('naverDeauthorizeWebhook (Express): bad input gets the right status, and onEvent is never called', () => {
  const good = callback();
  it.each<[string, Parser, (test: request.Agent) => request.Test, number, NaverWebhookErrorCode]>([
    ['a tampered signature', 'none', (t) => t.post(PATH).type('form').send(form({ ...good, signature: flip(good.signature, 5) })), 401, 'BAD_SIGNATURE'],
    ['a tampered encryptUniqueId', 'urlencoded', (t) => t.post(PATH).type('form').send(form({ ...good, encryptUniqueId: flip(good.encryptUniqueId, 40) })), 401, 'BAD_SIGNATURE'],
    ['a stale timestamp', 'none', (t) => t.post(PATH).type('form').send(form({ ...callback(SENT - 600) })), 401, 'STALE_TIMESTAMP'],
    ['a future timestamp', 'json', (t) => t.post(PATH).send(callback(SENT + 600)), 401, 'FUTURE_TIMESTAMP'],
    ['another clientId', 'none', (t) => t.post(PATH).type('form').send(form({ ...resign({ ...good, clientId: 'OTHER' }) })), 401, 'CLIENT_MISMATCH'],
    ['a missing field', 'json', (t) => t.post(PATH).send({ ...good, timestamp: undefined }), 400, 'MISSING_FIELD'],
    ['a non-base64 encryptUniqueId', 'none', (t) => t.post(PATH).type('form').send(form({ ...resign({ ...good, encryptUniqueId: '***' }) })), 400, 'BAD_ENCRYPTION'],
    ['an oversized body', 'none', (t) => t.post(PATH).type('form').send(form({ ...good, pad: 'x'.repeat(10_000) })), 413, 'BODY_TOO_LARGE'],
    ['a GET', 'none', (t) => t.get(PATH), 405, 'BAD_METHOD'],
  ])('%s', async (_label, parser, send, status, code) => {
    const { app, onEvent, onRefused } = makeApp(parser);
    const res = await send(request.agent(app));
    expect({ status: res.status, text: res.text }).toEqual({ status, text: '' });
    if (status === 405) expect(res.headers['allow']).toBe('POST');
    await vi.waitFor(() => expect(onRefused).toHaveBeenCalledTimes(1));
    expect(onRefused.mock.calls[0]?.[0]).toMatchObject({ name: 'NaverWebhookError', code });
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
        const req = http.request({ host: '127.0.0.1', port, path: PATH, method: 'POST', headers: { 'content-type': FORM, 'transfer-encoding': 'chunked' } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.write(form({ ...good }));
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
