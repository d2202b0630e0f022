import { silentServer, useStrictNock } from '@passport-korea/internal/testing';
import nock from 'nock';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { KakaoAPIError, KakaoAdminClient, ProviderRequestError } from '../src/index.js';
import type { KakaoAdminClientOptions } from '../src/index.js';
import { KAPI } from './helpers.js';

useStrictNock();

const ADMIN_KEY = 'f00dfeedADMINKEYFIXTURE9876543210';
/** Above Number.MAX_SAFE_INTEGER (the docs' admin examples use ids like it). */
const BIG_USER_ID = '1376016924426111111';
const FORM = 'application/x-www-form-urlencoded;charset=utf-8';

const admin = (options: Partial<KakaoAdminClientOptions> = {}) => new KakaoAdminClient({ adminKey: ADMIN_KEY, ...options });

/** Everything an error or a log line could show of `value`. */
const shown = (value: unknown) => `${inspect(value, { showHidden: true, depth: 10 })} ${JSON.stringify(value)} ${String(value)}`;

describe.each([
  ['unlink', '/v1/user/unlink'],
  ['logout', '/v1/user/logout'],
] as const)('KakaoAdminClient.%s', (method, path) => {
  it('POSTs exactly target_id_type=user_id&target_id with KakaoAK and keeps an id above 2^53 exact', async () => {
    nock(KAPI)
      .post(path, `target_id_type=user_id&target_id=${BIG_USER_ID}`)
      .matchHeader('authorization', `KakaoAK ${ADMIN_KEY}`)
      .matchHeader('content-type', FORM)
      .matchHeader('content-length', String(`target_id_type=user_id&target_id=${BIG_USER_ID}`.length))
      .reply(200, `{"id":${BIG_USER_ID}}`);
    expect(await admin()[method](BIG_USER_ID)).toEqual({ id: BIG_USER_ID, alreadyDone: false });
  });

  it('names its own endpoint when an id above 2^53 comes back in a form whose digits can\'t be read', async () => {
    nock(KAPI).post(path).reply(200, `{"id":${BIG_USER_ID}.0}`);
    const error = await admin()[method](BIG_USER_ID).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderRequestError);
    expect(error).toMatchObject({ code: 'INVALID_RESPONSE', endpoint: `POST ${KAPI}${path}`, httpStatus: 200 });
  });

  it('takes the id as a bigint or a safe integer too', async () => {
    nock(KAPI).post(path, 'target_id_type=user_id&target_id=123456789').twice().reply(200, '{"id":123456789}');
    expect(await admin()[method](123456789n)).toEqual({ id: '123456789', alreadyDone: false });
    expect(await admin()[method](123456789)).toEqual({ id: '123456789', alreadyDone: false });
  });

  it('reports -101 NotRegisteredUserException as already done, with the id passed in', async () => {
    nock(KAPI).post(path).reply(400, '{"msg":"NotRegisteredUserException","code":-101}');
    expect(await admin()[method](BIG_USER_ID)).toEqual({ id: BIG_USER_ID, alreadyDone: true });
  });

  it('turns another { msg, code } into a KakaoAPIError that does not show the admin key', async () => {
    nock(KAPI).post(path).reply(401, '{"msg":"wrong appKey(f00dfeed) type. this api should be requested with admin key","code":-401}');
    const error = await admin()[method](BIG_USER_ID).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KakaoAPIError);
    expect({ code: (error as KakaoAPIError).code, apiCode: (error as KakaoAPIError).apiCode, httpStatus: (error as KakaoAPIError).httpStatus }).toEqual({ code: 'API_REQUEST_FAILED', apiCode: -401, httpStatus: 401 });
    expect(shown(error)).not.toContain(ADMIN_KEY);
  });

  it('ends an HTML answer, or a 200 without an id, in INVALID_RESPONSE', async () => {
    nock(KAPI).post(path).reply(502, '<html>Bad Gateway</html>');
    await expect(admin()[method]('1')).rejects.toMatchObject({ name: 'ProviderRequestError', code: 'INVALID_RESPONSE', httpStatus: 502 });
    nock(KAPI).post(path).reply(200, '{}');
    await expect(admin()[method]('1')).rejects.toMatchObject({ code: 'INVALID_RESPONSE', message: `Kakao answered POST ${KAPI}${path} without a user id` });
  });
});

describe('KakaoAdminClient deadlines, endpoints and setup', () => {
  it('ends a silent endpoint in TIMEOUT within the timeout, at baseURL, with no key in the error', async () => {
    const server = await silentServer();
    try {
      const started = Date.now();
      const error = await admin({ baseURL: `${server.url}/`, timeout: 100 }).unlink(BIG_USER_ID).catch((e: unknown) => e);
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(error).toBeInstanceOf(ProviderRequestError);
      expect({ code: (error as ProviderRequestError).code, message: (error as ProviderRequestError).message }).toEqual({
        code: 'TIMEOUT', message: `Kakao did not answer POST ${server.url}/v1/user/unlink within 100 ms`,
      });
      expect(shown(error)).not.toContain(ADMIN_KEY);
    } finally {
      await server.close();
    }
  });

  it('resolves baseURL and explicit endpoints', () => {
    expect(admin()).toMatchObject({ unlinkURL: `${KAPI}/v1/user/unlink`, logoutURL: `${KAPI}/v1/user/logout` });
    expect(admin({ baseURL: 'http://127.0.0.1:9999/', logoutURL: 'https://proxy.example/logout' })).toMatchObject({
      unlinkURL: 'http://127.0.0.1:9999/v1/user/unlink', logoutURL: 'https://proxy.example/logout',
    });
  });

  it('keeps the admin key out of util.inspect and JSON', () => {
    const client = admin();
    expect(shown(client)).not.toContain(ADMIN_KEY);
    expect(shown(client)).not.toContain('KakaoAK');
  });

  it('refuses a bad user id with a TypeError before any request (strict nock would see one)', async () => {
    const message = (method: string) => `KakaoAdminClient.${method} requires the userId argument (the Kakao user id as a string of digits, a bigint, or a safe integer)`;
    await expect(admin().unlink('')).rejects.toThrow(new TypeError(message('unlink')));
    await expect(admin().unlink('12a')).rejects.toThrow(new TypeError(message('unlink')));
    await expect(admin().logout(2 ** 60)).rejects.toThrow(new TypeError(message('logout')));
    await expect(admin().logout(-5)).rejects.toThrow(new TypeError(message('logout')));
  });

  it('refuses missing options with TypeErrors that do not quote them', () => {
    expect(() => admin({ adminKey: '' })).toThrow(new TypeError('KakaoAdminClient requires the adminKey option (a non-empty string)'));
    for (const adminKey of ['admin-key\n', 'admin key', ' admin-key']) {
      expect(() => admin({ adminKey })).toThrow(new TypeError('KakaoAdminClient: the adminKey option holds a space or a control character (a line break from a secret file?)'));
    }
    expect(() => admin({ timeout: 0 })).toThrow(new TypeError('KakaoAdminClient: the timeout option must be a positive number of milliseconds'));
  });
});
