import { inspect } from 'node:util';
import { closedPort, expectOutcome, silentServer, useStrictNock } from '@passport-korea/internal/testing';
import nock from 'nock';
import OAuth2Strategy from 'passport-oauth2';
import { describe, expect, it } from 'vitest';
import { NaverAPIError, NaverAuthorizationError, NaverTokenError, ProviderRequestError } from '../src/index.js';
import { normalizeNaverTokenResponse } from '../src/index.js';
import {
  API_ERROR_024_DOC,
  API_ERROR_024_OBS,
  API_ERROR_028_DOC,
  API_ERROR_GENERAL_SHAPE_DOC,
  HTML_SERVICE_UNAVAILABLE,
  TOKEN_ERROR_NO_VALID_DATA_OBS,
  TOKEN_ERROR_UNAUTHORIZED_CLIENT_DOC,
  TOKEN_ERROR_WRONG_SECRET_OBS,
  TOKEN_RESPONSE_DOC,
} from './fixtures/naver.js';
import { ACCESS_TOKEN, AUTH_CODE, CLIENT_SECRET, NID, OPENAPI, REFRESH_TOKEN, finishLogin, login, makeStrategy } from './helpers.js';

useStrictNock();

function expectNoSecrets(error: unknown): void {
  for (const text of [(error as Error).message, String(error), inspect(error, { depth: 5 })]) {
    for (const secret of [CLIENT_SECRET, ACCESS_TOKEN, REFRESH_TOKEN, AUTH_CODE]) expect(text).not.toContain(secret);
  }
}

async function loginError(options = {}) {
  const { strategy, calls } = makeStrategy({ state: false, insecureAllowLoginCSRF: true, ...options });
  const outcome = expectOutcome(await login(strategy), 'error');
  expect(calls, 'the verify callback must not run').toEqual([]);
  expectNoSecrets(outcome.error);
  return outcome.error;
}

describe('callback errors', () => {
  it.each(['user not logged in.', 'need user consent.', 'unsupported browser environment.'])('ends a failed autologin (access_denied, "%s") as a failure that says why (B1)', async (description) => {
    expect(await finishLogin(makeStrategy().strategy, {}, { state: 's', error: 'access_denied', error_description: description })).toEqual({
      kind: 'fail', challenge: { message: description, code: 'ACCESS_DENIED', error: 'access_denied' }, status: undefined,
    });
  });

  it('turns access_denied into a failure with Naver\'s description', async () => {
    expect(await finishLogin(makeStrategy().strategy, {}, { state: 's', error: 'access_denied', error_description: 'Canceled By User' })).toEqual({
      kind: 'fail', challenge: { message: 'Canceled By User', code: 'ACCESS_DENIED', error: 'access_denied' }, status: undefined,
    });
  });

  it('turns any other error into a NaverAuthorizationError keeping error and description', async () => {
    const outcome = expectOutcome(await finishLogin(makeStrategy().strategy, {}, { error: 'invalid_request', error_description: 'bad' }), 'error');
    const error = outcome.error as NaverAuthorizationError;
    expect(error).toBeInstanceOf(OAuth2Strategy.AuthorizationError);
    expect({ name: error.name, code: error.code, error: error.error, errorDescription: error.errorDescription, message: error.message }).toEqual({
      name: 'NaverAuthorizationError', code: 'AUTHORIZATION_FAILED', error: 'invalid_request', errorDescription: 'bad', message: 'Naver authorization failed: invalid_request: bad',
    });
  });
});

describe('token endpoint errors', () => {
  it('turns HTTP 200 with an error body into a NaverTokenError and never calls the profile API (quirk B6.1)', async () => {
    nock(NID).post('/oauth2.0/token').reply(200, TOKEN_ERROR_NO_VALID_DATA_OBS, { 'Content-Type': 'application/json;charset=utf-8' });
    const error = (await loginError()) as NaverTokenError;
    expect(error).toBeInstanceOf(NaverTokenError);
    expect(error).toBeInstanceOf(OAuth2Strategy.TokenError);
    expect({ name: error.name, code: error.code, error: error.error, errorDescription: error.errorDescription, httpStatus: error.httpStatus, message: error.message }).toEqual({
      name: 'NaverTokenError', code: 'TOKEN_REQUEST_FAILED', error: 'invalid_request', errorDescription: 'no valid data in session', httpStatus: 200,
      message: 'Naver token request failed: invalid_request: no valid data in session',
    });
  });

  it('turns the wrong-secret answer (HTTP 200, B8) into a NaverTokenError that names no secret', async () => {
    nock(NID).post('/oauth2.0/token').reply(200, TOKEN_ERROR_WRONG_SECRET_OBS);
    const error = (await loginError()) as NaverTokenError;
    expect({ name: error.name, code: error.code, error: error.error, errorDescription: error.errorDescription, httpStatus: error.httpStatus }).toEqual({
      name: 'NaverTokenError', code: 'TOKEN_REQUEST_FAILED', error: 'invalid_request', errorDescription: 'wrong client id / client secret pair', httpStatus: 200,
    });
    expect(`${error.message} ${inspect(error)}`).not.toContain(CLIENT_SECRET);
  });

  it('keeps a 4xx error body too', async () => {
    nock(NID).post('/oauth2.0/token').reply(401, TOKEN_ERROR_UNAUTHORIZED_CLIENT_DOC);
    const error = (await loginError()) as NaverTokenError;
    expect({ error: error.error, httpStatus: error.httpStatus }).toEqual({ error: 'unauthorized_client', httpStatus: 401 });
  });

  it.each([
    ['an HTML 503', 503, HTML_SERVICE_UNAVAILABLE, 'Naver token endpoint answered HTTP 503 with a body that is not JSON'],
    ['an empty 200', 200, '', 'Naver token endpoint answered HTTP 200 with a body that is not JSON'],
    ['200 without access_token', 200, '{"token_type":"bearer","expires_in":"3600"}', 'Naver token endpoint answered without an access_token'],
    ['200 with an empty access_token', 200, '{"access_token":"","token_type":"bearer"}', 'Naver token endpoint answered without an access_token'],
  ])('ends %s in INVALID_RESPONSE', async (_case, status, body, message) => {
    nock(NID).post('/oauth2.0/token').reply(status, body);
    const error = (await loginError()) as ProviderRequestError;
    expect({ name: error.name, code: error.code, message: error.message, httpStatus: error.httpStatus }).toEqual({
      name: 'ProviderRequestError', code: 'INVALID_RESPONSE', message, httpStatus: status,
    });
  });

  it('ends a refused connection in NETWORK_ERROR', async () => {
    const port = await closedPort();
    const error = (await loginError({ tokenURL: `http://127.0.0.1:${port}/oauth2.0/token` })) as ProviderRequestError;
    expect({ code: error.code, message: error.message }).toEqual({
      code: 'NETWORK_ERROR', message: `Could not reach Naver at POST http://127.0.0.1:${port}/oauth2.0/token: ECONNREFUSED`,
    });
  });

  it('ends a silent token endpoint in TIMEOUT within the timeout', async () => {
    const server = await silentServer();
    try {
      const started = Date.now();
      const error = (await loginError({ tokenURL: `${server.url}/oauth2.0/token`, timeout: 120 })) as ProviderRequestError;
      expect({ code: error.code, message: error.message }).toEqual({
        code: 'TIMEOUT', message: `Naver did not answer POST ${server.url}/oauth2.0/token within 120 ms`,
      });
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      await server.close();
    }
  });
});

describe('profile API errors', () => {
  const mockToken = () => nock(NID).post('/oauth2.0/token').reply(200, TOKEN_RESPONSE_DOC);

  it.each([
    ['024 with 401 (DOC)', 401, API_ERROR_024_DOC, '024', 'Authentication failed / 인증에 실패했습니다.'],
    ['024 with 200 (passport-naver says Naver does this)', 200, API_ERROR_024_OBS, '024', 'Authentication failed (인증 실패하였습니다.)'],
    ['028 with 401', 401, API_ERROR_028_DOC, '028', 'Authentication header not exists / 인증 헤더가 존재하지 않습니다.'],
    ['the general OpenAPI shape', 401, API_ERROR_GENERAL_SHAPE_DOC, '024', 'Authentication failed (인증 실패하였습니다.)'],
  ])('turns resultcode %s into a NaverAPIError, whatever the status (quirk B3)', async (_case, status, body, resultcode, message) => {
    mockToken();
    nock(OPENAPI).get('/v1/nid/me').reply(status, body);
    const error = (await loginError()) as NaverAPIError;
    expect(error).toBeInstanceOf(NaverAPIError);
    expect({ name: error.name, resultcode: error.resultcode, code: error.code, httpStatus: error.httpStatus, message: error.message }).toEqual({
      name: 'NaverAPIError', resultcode, code: 'API_REQUEST_FAILED', httpStatus: status, message: `Naver API error ${resultcode}: ${message}`,
    });
  });

  it.each([
    ['an HTML 503', 503, HTML_SERVICE_UNAVAILABLE, 'Naver API answered HTTP 503 with a body that is not JSON at GET https://openapi.naver.com/v1/nid/me'],
    ['an empty 200', 200, '', 'Naver API answered HTTP 200 with a body that is not JSON at GET https://openapi.naver.com/v1/nid/me'],
    ['JSON without resultcode', 200, '{"response":{"id":"1"}}', 'Naver API answered HTTP 200 with JSON without a resultcode at GET https://openapi.naver.com/v1/nid/me'],
    ['a success resultcode with HTTP 500', 500, '{"resultcode":"00","message":"success","response":{"id":"1"}}', 'Naver API answered HTTP 500 with a success resultcode (00) at GET https://openapi.naver.com/v1/nid/me'],
    ['a success without an id', 200, '{"resultcode":"00","message":"success","response":{}}', 'Naver answered GET https://openapi.naver.com/v1/nid/me without a user id'],
    ['a success without response', 200, '{"resultcode":"00","message":"success"}', 'Naver answered GET https://openapi.naver.com/v1/nid/me without a user id'],
  ])('ends %s in INVALID_RESPONSE', async (_case, status, body, message) => {
    mockToken();
    nock(OPENAPI).get('/v1/nid/me').reply(status, body);
    const error = (await loginError()) as ProviderRequestError;
    expect({ code: error.code, message: error.message }).toEqual({ code: 'INVALID_RESPONSE', message });
  });

  it('ends a silent profile endpoint in TIMEOUT', async () => {
    mockToken();
    const server = await silentServer();
    try {
      const error = (await loginError({ profileURL: `${server.url}/v1/nid/me`, timeout: 100 })) as ProviderRequestError;
      expect(error.code).toBe('TIMEOUT');
    } finally {
      await server.close();
    }
  });
});

describe('normalizeNaverTokenResponse', () => {
  it('turns a numeric string into a number and drops a value that is not one', () => {
    expect(normalizeNaverTokenResponse({ access_token: 'a', expires_in: '3600' })).toEqual({ access_token: 'a', expires_in: 3600 });
    expect(normalizeNaverTokenResponse({ access_token: 'a', expires_in: 3600 })).toEqual({ access_token: 'a', expires_in: 3600 });
    expect(normalizeNaverTokenResponse({ access_token: 'a', expires_in: 'soon' })).toEqual({ access_token: 'a' });
    expect(normalizeNaverTokenResponse({ access_token: 'a', expires_in: '' })).toEqual({ access_token: 'a' });
    expect(normalizeNaverTokenResponse({ access_token: 'a' })).toEqual({ access_token: 'a' });
  });

  it('drops an expires_in that is an object or array, even one whose toString is not a function (found by property.test.ts)', () => {
    // Number() of these threw "TypeError: Cannot convert object to primitive value", ending the login with an untyped error.
    for (const raw of ['{"access_token":"a","expires_in":{"toString":1}}', '{"access_token":"a","expires_in":[{"toString":12345678901234567890}]}']) {
      expect(normalizeNaverTokenResponse(JSON.parse(raw) as Record<string, unknown>)).toEqual({ access_token: 'a' });
    }
    for (const value of [null, true, [3600], { valueOf: 3600 }]) expect(normalizeNaverTokenResponse({ access_token: 'a', expires_in: value })).toEqual({ access_token: 'a' });
  });
});

describe('error classes built directly', () => {
  it('keep an absent description and body absent, and redact a body that is given', () => {
    const bare = new NaverTokenError({ error: 'invalid_request', httpStatus: 200 });
    expect([bare.errorDescription, bare.body, bare.message]).toEqual([undefined, undefined, 'Naver token request failed: invalid_request']);
    const withBody = new NaverTokenError({ error: 'invalid_request', httpStatus: 200, body: '{"error":"invalid_request","refresh_token":"leaked"}' });
    expect(withBody.body).toBe('{"error":"invalid_request","refresh_token":"[redacted]"}');
    const api = new NaverAPIError({ resultcode: '024', message: 'Authentication failed', httpStatus: 401 });
    expect(api.body).toBeUndefined();
    expect(new NaverAPIError({ resultcode: '024', message: 'm', httpStatus: 401, body: '{"resultcode":"024"}' }).body).toBe('{"resultcode":"024"}');
    const authorization = new NaverAuthorizationError('server_error');
    expect([authorization.errorDescription, authorization.message]).toEqual([undefined, 'Naver authorization failed: server_error']);
  });
});
