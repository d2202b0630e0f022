import { inspect } from 'node:util';
import { closedPort, expectOutcome, silentServer, useStrictNock } from '@passport-korea/internal/testing';
import nock from 'nock';
import OAuth2Strategy from 'passport-oauth2';
import { describe, expect, it } from 'vitest';
import { KakaoAPIError, KakaoAuthorizationError, KakaoTokenError, ProviderRequestError, parseKakaoTokenError } from '../src/index.js';
import {
  API_ERROR_INSUFFICIENT_SCOPE_DOC,
  API_ERROR_TOKEN_NOT_EXIST_DOC,
  HTML_BAD_GATEWAY,
  TOKEN_ERROR_KOE009_SDK,
  TOKEN_ERROR_KOE010_OBS,
  TOKEN_ERROR_KOE101_OBS,
  TOKEN_ERROR_KOE303_OBS,
  TOKEN_ERROR_KOE320_OBS,
  TOKEN_ERROR_LEGACY_NO_CODE_OBS,
  TOKEN_RESPONSE_REST_OBS,
} from './fixtures/kakao.js';
import { ACCESS_TOKEN, AUTH_CODE, CLIENT_SECRET, KAPI, KAUTH, finishLogin, login, makeStrategy } from './helpers.js';

useStrictNock();

/** Secrets that must never appear in an error's message, string form or inspected form. */
function expectNoSecrets(error: unknown): void {
  for (const text of [(error as Error).message, String(error), inspect(error, { depth: 5 })]) {
    for (const secret of [CLIENT_SECRET, ACCESS_TOKEN, AUTH_CODE, '1PHc3Bdz-refresh-token-fixture']) {
      expect(text).not.toContain(secret);
    }
  }
}

async function loginError(options = {}) {
  const { strategy } = makeStrategy({ state: false, pkce: false, insecureAllowLoginCSRF: true, ...options });
  const outcome = expectOutcome(await login(strategy), 'error');
  expectNoSecrets(outcome.error);
  return outcome.error;
}

describe('callback errors', () => {
  it('turns access_denied (the user pressed Cancel) into a failure with Kakao\'s description', async () => {
    const outcome = await finishLogin(makeStrategy().strategy, {}, {
      error: 'access_denied', error_description: 'User denied access', state: 'whatever',
    });
    expect(outcome).toEqual({ kind: 'fail', challenge: { message: 'User denied access', code: 'ACCESS_DENIED', error: 'access_denied' }, status: undefined });
  });

  it('gives access_denied without a description a default message', async () => {
    const outcome = expectOutcome(await finishLogin(makeStrategy().strategy, {}, { error: 'access_denied' }), 'fail');
    expect(outcome.challenge).toEqual({ message: 'The user denied access.', code: 'ACCESS_DENIED', error: 'access_denied' });
  });

  it('turns any other error into a KakaoAuthorizationError keeping error and error_description', async () => {
    const outcome = expectOutcome(
      await finishLogin(makeStrategy().strategy, {}, { error: 'consent_required', error_description: 'user consent required.' }),
      'error',
    );
    const error = outcome.error as KakaoAuthorizationError;
    expect(error).toBeInstanceOf(KakaoAuthorizationError);
    expect(error).toBeInstanceOf(OAuth2Strategy.AuthorizationError);
    expect(error.name).toBe('KakaoAuthorizationError');
    expect([error.code, error.error]).toEqual(['AUTHORIZATION_FAILED', 'consent_required']);
    expect(error.errorDescription).toBe('user consent required.');
    expect(error.message).toBe('Kakao authorization failed: consent_required: user consent required.');
  });
});

describe('token endpoint errors', () => {
  it.each([
    ['KOE320 (code reused)', 400, TOKEN_ERROR_KOE320_OBS, 'invalid_grant', 'KOE320', 'authorization code not found for code=[redacted]'],
    ['KOE303 (redirect mismatch)', 400, TOKEN_ERROR_KOE303_OBS, 'invalid_grant', 'KOE303', 'Redirect URI mismatch.'],
    ['KOE010 (bad secret)', 401, TOKEN_ERROR_KOE010_OBS, 'invalid_client', 'KOE010', 'Bad client credentials'],
    ['KOE101 (unknown client)', 401, TOKEN_ERROR_KOE101_OBS, 'invalid_client', 'KOE101', 'Not exist client_id [REST_KEY]'],
    ['KOE009 (wrong platform, no error_code)', 400, TOKEN_ERROR_KOE009_SDK, 'misconfigured', undefined, 'invalid android_key_hash or ios_bundle_id or web_site_url'],
    ['an old answer without error_code', 401, TOKEN_ERROR_LEGACY_NO_CODE_OBS, 'invalid_client', undefined, 'Bad client credentials'],
  ])('keeps error, error_code and status for %s', async (_case, status, body, error, errorCode, description) => {
    nock(KAUTH).post('/oauth/token').reply(status, body, { 'Content-Type': 'application/json;charset=UTF-8' });
    const thrown = (await loginError()) as KakaoTokenError;
    expect(thrown).toBeInstanceOf(KakaoTokenError);
    expect(thrown).toBeInstanceOf(OAuth2Strategy.TokenError);
    expect({ name: thrown.name, code: thrown.code, error: thrown.error, errorCode: thrown.errorCode, httpStatus: thrown.httpStatus, errorDescription: thrown.errorDescription })
      .toEqual({ name: 'KakaoTokenError', code: 'TOKEN_REQUEST_FAILED', error, errorCode, httpStatus: status, errorDescription: description });
    expect(thrown.message).toBe(`Kakao token request failed: ${error}${errorCode ? ` (${errorCode})` : ''}: ${description}`);
    expect(thrown.body).toBe(body.replace(/code=[^"\s,&]+/, 'code=[redacted]'));
    expect(Object.keys(thrown)).not.toContain('body');
  });

  it.each([
    ['an HTML page with 502', 502, HTML_BAD_GATEWAY, 'Kakao token endpoint answered HTTP 502 with a body that is not JSON'],
    ['an empty 500', 500, '', 'Kakao token endpoint answered HTTP 500 with a body that is not JSON'],
    ['JSON without error on 400', 400, '{"message":"bad"}', 'Kakao token endpoint answered HTTP 400 with an unrecognised JSON body'],
    ['an HTML page with 200', 200, HTML_BAD_GATEWAY, 'Kakao token endpoint answered HTTP 200 with a body that is not JSON'],
    ['an empty 200', 200, '', 'Kakao token endpoint answered HTTP 200 with a body that is not JSON'],
    ['a JSON array with 200', 200, '[]', 'Kakao token endpoint answered HTTP 200 with a body that is not JSON'],
    ['200 without access_token', 200, '{"token_type":"bearer"}', 'Kakao token endpoint answered without an access_token'],
  ])('ends %s in a ProviderRequestError INVALID_RESPONSE', async (_case, status, body, message) => {
    nock(KAUTH).post('/oauth/token').reply(status, body);
    const thrown = (await loginError()) as ProviderRequestError;
    expect(thrown).toBeInstanceOf(ProviderRequestError);
    expect(thrown).toBeInstanceOf(OAuth2Strategy.InternalOAuthError);
    expect({ code: thrown.code, httpStatus: thrown.httpStatus, message: thrown.message, provider: thrown.provider })
      .toEqual({ code: 'INVALID_RESPONSE', httpStatus: status, message, provider: 'kakao' });
  });

  it('ends a refused connection in NETWORK_ERROR', async () => {
    const port = await closedPort();
    const thrown = (await loginError({ tokenURL: `http://127.0.0.1:${port}/oauth/token` })) as ProviderRequestError;
    expect({ name: thrown.name, code: thrown.code, endpoint: thrown.endpoint, message: thrown.message }).toEqual({
      name: 'ProviderRequestError',
      code: 'NETWORK_ERROR',
      endpoint: `POST http://127.0.0.1:${port}/oauth/token`,
      message: `Could not reach Kakao at POST http://127.0.0.1:${port}/oauth/token: ECONNREFUSED`,
    });
    expect((thrown.cause as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
  });

  it('ends a token endpoint that never answers in TIMEOUT within the timeout', async () => {
    const server = await silentServer();
    try {
      const started = Date.now();
      const thrown = (await loginError({ tokenURL: `${server.url}/oauth/token`, timeout: 150 })) as ProviderRequestError;
      const elapsed = Date.now() - started;
      expect(thrown.code).toBe('TIMEOUT');
      expect(thrown.message).toBe(`Kakao did not answer POST ${server.url}/oauth/token within 150 ms`);
      expect(elapsed).toBeGreaterThanOrEqual(140);
      expect(elapsed).toBeLessThan(2000);
    } finally {
      await server.close();
    }
  });
});

describe('profile API errors', () => {
  function mockToken() {
    nock(KAUTH).post('/oauth/token').reply(200, TOKEN_RESPONSE_REST_OBS);
  }

  it('turns {msg, code:-401} into a KakaoAPIError with code and status', async () => {
    mockToken();
    nock(KAPI).get('/v2/user/me').query(true).reply(401, API_ERROR_TOKEN_NOT_EXIST_DOC);
    const thrown = (await loginError()) as KakaoAPIError;
    expect(thrown).toBeInstanceOf(KakaoAPIError);
    expect({ name: thrown.name, code: thrown.code, apiCode: thrown.apiCode, httpStatus: thrown.httpStatus, msg: thrown.msg, message: thrown.message }).toEqual({
      name: 'KakaoAPIError', code: 'API_REQUEST_FAILED', apiCode: -401, httpStatus: 401, msg: 'this access token does not exist',
      message: 'Kakao API error -401: this access token does not exist',
    });
  });

  it('keeps required and allowed scopes of a -402', async () => {
    mockToken();
    nock(KAPI).get('/v2/user/me').query(true).reply(403, API_ERROR_INSUFFICIENT_SCOPE_DOC);
    const thrown = (await loginError()) as KakaoAPIError;
    expect({ apiCode: thrown.apiCode, httpStatus: thrown.httpStatus, requiredScopes: thrown.requiredScopes, allowedScopes: thrown.allowedScopes })
      .toEqual({ apiCode: -402, httpStatus: 403, requiredScopes: ['account_email'], allowedScopes: ['profile_nickname'] });
  });

  it.each([
    ['an HTML 502', 502, HTML_BAD_GATEWAY, 'Kakao API answered HTTP 502 with a body that is not JSON at GET https://kapi.kakao.com/v2/user/me'],
    ['an empty 200', 200, '', 'Kakao API answered HTTP 200 with a body that is not JSON at GET https://kapi.kakao.com/v2/user/me'],
    ['JSON without code on 500', 500, '{"oops":1}', 'Kakao API answered HTTP 500 with an unrecognised JSON body at GET https://kapi.kakao.com/v2/user/me'],
    ['200 without an id', 200, '{"kakao_account":{}}', 'Kakao answered GET https://kapi.kakao.com/v2/user/me without a user id'],
    ['200 with a string id', 200, '{"id":"12"}', 'Kakao answered GET https://kapi.kakao.com/v2/user/me without a user id'],
  ])('ends %s in INVALID_RESPONSE', async (_case, status, body, message) => {
    mockToken();
    nock(KAPI).get('/v2/user/me').query(true).reply(status, body);
    const thrown = (await loginError()) as ProviderRequestError;
    expect({ code: thrown.code, message: thrown.message, httpStatus: thrown.httpStatus }).toEqual({ code: 'INVALID_RESPONSE', message, httpStatus: status });
  });

  it('ends a profile endpoint that never answers in TIMEOUT', async () => {
    mockToken();
    const server = await silentServer();
    try {
      const thrown = (await loginError({ profileURL: `${server.url}/v2/user/me`, timeout: 100 })) as ProviderRequestError;
      expect(thrown.code).toBe('TIMEOUT');
      expect(thrown.message).toMatch(new RegExp(`^Kakao did not answer GET ${server.url}/v2/user/me within \\d+ ms$`));
    } finally {
      await server.close();
    }
  });

  it('ends a body larger than 1 MiB in INVALID_RESPONSE', async () => {
    mockToken();
    nock(KAPI).get('/v2/user/me').query(true).reply(200, `{"id":1,"pad":"${'x'.repeat(1024 * 1024)}"}`);
    const thrown = (await loginError()) as ProviderRequestError;
    expect(thrown.code).toBe('INVALID_RESPONSE');
    expect(thrown.message).toBe('Kakao sent an answer larger than 1 MiB from GET https://kapi.kakao.com/v2/user/me');
  });

  it('never sends the access token in the query string', async () => {
    mockToken();
    nock(KAPI)
      .get('/v2/user/me')
      .query((query) => !Object.values(query).includes(ACCESS_TOKEN) && !('access_token' in query))
      .reply(200, '{"id":1}');
    const { strategy } = makeStrategy({ state: false, pkce: false, insecureAllowLoginCSRF: true });
    expectOutcome(await login(strategy), 'success');
  });
});

describe('error classes built directly', () => {
  it('keep an absent description and body absent, and redact a body that is given', () => {
    const bare = new KakaoTokenError({ error: 'invalid_grant', httpStatus: 400 });
    expect([bare.errorDescription, bare.body, bare.message]).toEqual([undefined, undefined, 'Kakao token request failed: invalid_grant']);
    const api = new KakaoAPIError({ apiCode: -401, msg: 'this access token does not exist', httpStatus: 401 });
    expect(api.body).toBeUndefined();
    const withBody = new KakaoAPIError({ apiCode: -401, msg: 'm', httpStatus: 401, body: '{"msg":"m","code":-401,"access_token":"leaked"}' });
    expect(withBody.body).toBe('{"msg":"m","code":-401,"access_token":"[redacted]"}');
    const authorization = new KakaoAuthorizationError('consent_required');
    expect([authorization.errorDescription, authorization.message]).toEqual([undefined, 'Kakao authorization failed: consent_required']);
  });

  it('parses only kauth error bodies, and only a string error_code', () => {
    expect(parseKakaoTokenError('<html>Bad Gateway</html>', 502)).toBeNull();
    expect(parseKakaoTokenError('{"message":"no error field"}', 400)).toBeNull();
    expect(parseKakaoTokenError('{"error":"invalid_grant","error_code":320}', 400)?.errorCode).toBeUndefined();
  });

  it('strips control characters from provider text before it reaches a message (log injection)', () => {
    const error = new KakaoTokenError({ error: 'invalid_grant', errorDescription: 'bad\r\n2026-01-01 INFO forged line\u0007', httpStatus: 400 });
    expect(error.message).toBe('Kakao token request failed: invalid_grant: bad 2026-01-01 INFO forged line');
  });

  it('strips control characters from error and error_code too, not only from the description (found by property.test.ts)', () => {
    // `error` and `error_code` reached the message as sent: a NUL, a newline or a forged log line passed straight through.
    const error = parseKakaoTokenError('{"error":"invalid_grant\\r\\nINFO forged\\u0000","error_code":"KOE320\\n","error_description":"d"}', 400);
    expect([error?.error, error?.errorCode, error?.message]).toEqual(['invalid_grant INFO forged', 'KOE320', 'Kakao token request failed: invalid_grant INFO forged (KOE320): d']);
    expect(parseKakaoTokenError('{"error":"\\u0000"}', 400)?.message).toBe('Kakao token request failed: ');
  });
});

describe('token answers at the edges', () => {
  it('treats a token body answered with HTTP 300 as unusable, not as tokens', async () => {
    nock(KAUTH).post('/oauth/token').reply(300, TOKEN_RESPONSE_REST_OBS);
    const thrown = (await loginError()) as ProviderRequestError;
    expect([thrown.code, thrown.httpStatus, thrown.message]).toEqual(['INVALID_RESPONSE', 300, 'Kakao token endpoint answered HTTP 300 with an unrecognised JSON body']);
  });

  it('refuses an access_token that could not go into an Authorization header (a line break in it): INVALID_RESPONSE, no profile request', async () => {
    nock(KAUTH).post('/oauth/token').reply(200, { access_token: 'abc\r\nX-Injected: 1', token_type: 'bearer', expires_in: 21599 });
    const thrown = (await loginError()) as ProviderRequestError;
    expect(thrown).toBeInstanceOf(ProviderRequestError);
    expect([thrown.code, thrown.message]).toEqual(['INVALID_RESPONSE', 'Kakao token endpoint answered with an access_token that is not a bearer token']);
  });
});

describe('what an error shows', () => {
  it("keeps a ProviderRequestError's cause in the non-enumerable cause only: not in JSON, not twice in util.inspect", async () => {
    const port = await closedPort();
    const { strategy } = makeStrategy({ tokenURL: `http://127.0.0.1:${port}/oauth/token`, state: false, pkce: false, insecureAllowLoginCSRF: true });
    const error = expectOutcome(await login(strategy), 'error').error as ProviderRequestError;
    expect(error.code).toBe('NETWORK_ERROR');
    expect((error.cause as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
    expect(JSON.stringify(error)).not.toContain('errno');
    expect(inspect(error)).not.toContain('oauthError');
    expect(Object.keys(error)).not.toContain('oauthError');
  });

  it('cleans error_uri from the callback as it cleans error and error_description', async () => {
    const outcome = expectOutcome(
      await finishLogin(makeStrategy().strategy, {}, { error: 'server_error', error_uri: `https://kakao.example/e\r\nforged${'x'.repeat(400)}` }),
      'error',
    );
    const uri = (outcome.error as KakaoAuthorizationError).uri!;
    expect(uri).toMatch(/^https:\/\/kakao\.example\/e forgedx+…$/);
    expect(uri.length).toBeLessThanOrEqual(301);
  });
});
