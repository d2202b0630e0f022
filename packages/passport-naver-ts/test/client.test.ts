import { inspect } from 'node:util';
import { silentServer, useStrictNock } from '@passport-korea/internal/testing';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { NaverAPIError, NaverAuthClient, NaverTokenError } from '../src/index.js';
import type { NaverStrategyOptions } from '../src/index.js';
import { API_ERROR_024_DOC, HTML_SERVICE_UNAVAILABLE, REFRESH_RESPONSE_DOC } from './fixtures/naver.js';
import { CLIENT_ID, CLIENT_SECRET, NID, OPENAPI, REFRESH_TOKEN } from './helpers.js';

useStrictNock();

const client = (options: Partial<NaverStrategyOptions> = {}) => new NaverAuthClient({ clientID: CLIENT_ID, clientSecret: CLIENT_SECRET, ...options });

describe('NaverAuthClient.refresh', () => {
  it('sends the exact body, returns expires_in as a number and the same refresh token (quirks B6.4, B6.5)', async () => {
    nock(NID)
      .post('/oauth2.0/token', `grant_type=refresh_token&client_id=${CLIENT_ID}&client_secret=${CLIENT_SECRET}&refresh_token=${REFRESH_TOKEN}`)
      .reply(200, REFRESH_RESPONSE_DOC);
    const result = await client().refresh(REFRESH_TOKEN);
    expect({ ...result, expiresAt: undefined }).toEqual({
      accessToken: 'AAAAnewAccessTokenFixture', tokenType: 'bearer', expiresIn: 3600, expiresAt: undefined, refreshToken: REFRESH_TOKEN,
      refreshTokenRotated: false,
      raw: { access_token: 'AAAAnewAccessTokenFixture', token_type: 'bearer', expires_in: 3600 },
    });
  });

  it('keeps a new refresh token should Naver send one, instead of dropping it', async () => {
    nock(NID).post('/oauth2.0/token').reply(200, '{"access_token":"AAAAnew","refresh_token":"rotatedRefreshFixture","token_type":"bearer","expires_in":"3600"}');
    const result = await client().refresh(REFRESH_TOKEN);
    expect({ refreshToken: result.refreshToken, refreshTokenRotated: result.refreshTokenRotated }).toEqual({ refreshToken: 'rotatedRefreshFixture', refreshTokenRotated: true });
  });

  it('reports an answer without expires_in as expiring now (expiresIn 0), not as lasting the default hour', async () => {
    nock(NID).post('/oauth2.0/token').reply(200, '{"access_token":"AAAAnew","token_type":"bearer"}');
    const before = Date.now();
    const result = await client().refresh(REFRESH_TOKEN);
    expect(result.expiresIn).toBe(0);
    expect(result.expiresAt.getTime()).toBeGreaterThanOrEqual(before);
    expect(result.expiresAt.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it('turns an error answered with HTTP 200 into a NaverTokenError (quirk B6.1)', async () => {
    nock(NID).post('/oauth2.0/token').reply(200, '{"error":"invalid_request","error_description":"invalid refresh token"}');
    const error = await client().refresh('bad').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NaverTokenError);
    expect({ code: (error as NaverTokenError).code, error: (error as NaverTokenError).error, httpStatus: (error as NaverTokenError).httpStatus }).toEqual({ code: 'TOKEN_REQUEST_FAILED', error: 'invalid_request', httpStatus: 200 });
  });
});

describe('NaverAuthClient.revoke', () => {
  it('sends client credentials, token and hint, and succeeds on an empty 200', async () => {
    nock(NID)
      .post('/oauth2.0/revoke', `client_id=${CLIENT_ID}&client_secret=${CLIENT_SECRET}&token=at&token_type_hint=access_token`)
      .reply(200, '');
    await expect(client().revoke('at')).resolves.toBeUndefined();
    nock(NID).post('/oauth2.0/revoke', (body: Record<string, string>) => body['token_type_hint'] === 'refresh_token').reply(200, '');
    await client().revoke('rt', 'refresh_token');
  });

  it.each([
    [401, '{"error":"unauthorized_client","error_description":"Client authentication failed."}', 'unauthorized_client'],
    [400, '{"error":"invalid_request","error_description":"token is required."}', 'invalid_request'],
    [503, '{"error":"temporarily_unavailable","error_description":"try later"}', 'temporarily_unavailable'],
  ])('turns HTTP %i with an error body into a NaverTokenError', async (status, body, code) => {
    nock(NID).post('/oauth2.0/revoke').reply(status, body);
    const error = await client().revoke('at').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NaverTokenError);
    expect({ code: (error as NaverTokenError).code, error: (error as NaverTokenError).error, httpStatus: (error as NaverTokenError).httpStatus }).toEqual({ code: 'TOKEN_REQUEST_FAILED', error: code, httpStatus: status });
  });

  it('ends an HTML error page in INVALID_RESPONSE', async () => {
    nock(NID).post('/oauth2.0/revoke').reply(503, HTML_SERVICE_UNAVAILABLE);
    await expect(client().revoke('at')).rejects.toMatchObject({
      name: 'ProviderRequestError', code: 'INVALID_RESPONSE', message: 'Naver answered POST https://nid.naver.com/oauth2.0/revoke with HTTP 503 and no error body',
    });
  });

  it('ends a silent revoke endpoint in TIMEOUT', async () => {
    const server = await silentServer();
    try {
      await expect(client({ baseURL: server.url, timeout: 100 }).revoke('at')).rejects.toMatchObject({ code: 'TIMEOUT' });
    } finally {
      await server.close();
    }
  });
});

describe('NaverAuthClient.verify', () => {
  it('checks a token, with the allowed profile items when asked', async () => {
    nock(OPENAPI).get('/v1/nid/verify').matchHeader('authorization', 'Bearer at')
      .reply(200, '{"resultcode":"00","message":"success","response":{"token":"at","expire_date":"2026-11-21 09:00:00"}}');
    expect(await client().verify('at')).toEqual({ token: 'at', expireDate: '2026-11-21 09:00:00', allowedProfile: undefined });
    nock(OPENAPI).get('/v1/nid/verify').query({ info: 'true' })
      .reply(200, '{"resultcode":"00","message":"success","response":{"token":"at","expire_date":"2026-11-21 09:00:00","allowed_profile":"id,name,email"}}');
    expect((await client().verify('at', { info: true })).allowedProfile).toEqual(['id', 'name', 'email']);
  });

  it('turns resultcode 024 into a NaverAPIError and a success without fields into INVALID_RESPONSE', async () => {
    nock(OPENAPI).get('/v1/nid/verify').reply(401, API_ERROR_024_DOC);
    await expect(client().verify('bad')).rejects.toBeInstanceOf(NaverAPIError);
    nock(OPENAPI).get('/v1/nid/verify').reply(200, '{"resultcode":"00","message":"success","response":{}}');
    await expect(client().verify('at')).rejects.toMatchObject({ code: 'INVALID_RESPONSE' });
  });
});

describe('NaverAuthClient setup', () => {
  it('keeps the client secret out of util.inspect', () => {
    const shown = inspect(client(), { showHidden: true, depth: 10 });
    expect(shown).toContain('NaverAuthClient');
    expect(shown).not.toContain(CLIENT_SECRET);
  });

  it('takes the strategy\'s options as they are', () => {
    const options: NaverStrategyOptions = { clientID: CLIENT_ID, clientSecret: CLIENT_SECRET, callbackURL: '/cb', baseURL: 'http://127.0.0.1:9' };
    expect(new NaverAuthClient(options).endpoints).toEqual({
      authorizationURL: 'http://127.0.0.1:9/oauth2.0/authorize', tokenURL: 'http://127.0.0.1:9/oauth2.0/token', profileURL: 'http://127.0.0.1:9/v1/nid/me',
      revokeURL: 'http://127.0.0.1:9/oauth2.0/revoke', verifyURL: 'http://127.0.0.1:9/v1/nid/verify', jwksURL: 'http://127.0.0.1:9/oauth2/jwks',
    });
  });

  it('throws TypeErrors for missing credentials and empty tokens', async () => {
    expect(() => new NaverAuthClient({ clientID: CLIENT_ID } as never)).toThrow(new TypeError('NaverAuthClient requires the clientSecret option (a non-empty string)'));
    expect(() => new NaverAuthClient(undefined as never)).toThrow(new TypeError('NaverAuthClient requires an options object'));
    await expect(client().revoke('')).rejects.toThrow(TypeError);
    await expect(client().verify('')).rejects.toThrow(TypeError);
    await expect(client().refresh('')).rejects.toThrow(TypeError);
  });
});
