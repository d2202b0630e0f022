import { inspect } from 'node:util';
import { silentServer, useStrictNock } from '@passport-korea/internal/testing';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { KakaoAPIError, KakaoAuthClient, KakaoIdTokenError, KakaoTokenError, ProviderRequestError } from '../src/index.js';
import type { KakaoStrategyOptions } from '../src/index.js';
import { API_ERROR_TOKEN_NOT_EXIST_DOC, HTML_BAD_GATEWAY, TOKEN_ERROR_KOE322_DOC } from './fixtures/kakao.js';
import { CLIENT_ID, CLIENT_SECRET, KAPI, KAUTH } from './helpers.js';

useStrictNock();

const client = (options: Partial<KakaoStrategyOptions> = {}) => new KakaoAuthClient({ clientID: CLIENT_ID, clientSecret: CLIENT_SECRET, ...options });

/** A2 DOC shape: a refresh answer when the refresh token had more than a month left. */
const REFRESH_NOT_ROTATED_DOC = '{"access_token":"new-access","token_type":"bearer","expires_in":21599}';
/** A2 DOC shape: a refresh answer in the refresh token's last month. */
const REFRESH_ROTATED_DOC = '{"access_token":"new-access","token_type":"bearer","refresh_token":"new-refresh","expires_in":21599,"refresh_token_expires_in":5183999}';

describe('KakaoAuthClient.refresh', () => {
  it('sends exactly grant_type, client_id, client_secret, refresh_token and keeps the old refresh token when Kakao sends none', async () => {
    nock(KAUTH)
      .post('/oauth/token', `grant_type=refresh_token&client_id=${CLIENT_ID}&client_secret=${CLIENT_SECRET}&refresh_token=old-refresh`)
      .matchHeader('content-type', 'application/x-www-form-urlencoded;charset=utf-8')
      .reply(200, REFRESH_NOT_ROTATED_DOC);
    const before = Date.now();
    const result = await client().refresh('old-refresh');
    expect({ ...result, expiresAt: undefined }).toEqual({
      accessToken: 'new-access', tokenType: 'bearer', expiresIn: 21599, expiresAt: undefined, refreshToken: 'old-refresh',
      refreshTokenRotated: false, refreshTokenExpiresIn: undefined, idToken: undefined, idTokenClaims: undefined, idTokenError: undefined,
      raw: { access_token: 'new-access', token_type: 'bearer', expires_in: 21599 },
    });
    expect(result.expiresAt.getTime()).toBeGreaterThanOrEqual(before + 21599_000);
  });

  it('returns the new refresh token and its expiry when Kakao rotates it (quirk: under a month left)', async () => {
    nock(KAUTH).post('/oauth/token').reply(200, REFRESH_ROTATED_DOC);
    const result = await client().refresh('old-refresh');
    expect({ refreshToken: result.refreshToken, rotated: result.refreshTokenRotated, expiresIn: result.refreshTokenExpiresIn })
      .toEqual({ refreshToken: 'new-refresh', rotated: true, expiresIn: 5183999 });
  });

  it('verifies a new id_token before handing it out, with its claims', async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256' };
    const now = Math.floor(Date.now() / 1000);
    const sign = (claims: Record<string, unknown>) =>
      new SignJWT({ iss: KAUTH, aud: CLIENT_ID, sub: '3621318900', iat: now, exp: now + 600, auth_time: now - 60, ...claims })
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' }).sign(privateKey);
    nock(KAUTH).get('/.well-known/jwks.json').reply(200, { keys: [jwk] });
    const good = await sign({});
    nock(KAUTH).post('/oauth/token').reply(200, { access_token: 'a', token_type: 'bearer', id_token: good, expires_in: 21599 });
    const kakao = client();
    const refreshed = await kakao.refresh('r');
    expect(refreshed.idToken).toBe(good);
    expect(refreshed.idTokenClaims).toMatchObject({ sub: '3621318900', aud: CLIENT_ID, auth_time: now - 60 });
    expect(refreshed.idTokenError).toBeUndefined();
    // One that fails verification is never handed out; the new tokens still are, with the reason.
    nock(KAUTH).post('/oauth/token').reply(200, { access_token: 'a2', token_type: 'bearer', id_token: await sign({ aud: 'another-app' }), expires_in: 21599 });
    const refused = await kakao.refresh('r');
    expect({ accessToken: refused.accessToken, idToken: refused.idToken, idTokenClaims: refused.idTokenClaims }).toEqual({ accessToken: 'a2', idToken: undefined, idTokenClaims: undefined });
    expect(refused.idTokenError).toBeInstanceOf(KakaoIdTokenError);
    expect(refused.idTokenError).toMatchObject({ code: 'AUDIENCE_MISMATCH' });
  });

  it('keeps a rotated refresh token when the refreshed id_token cannot be checked (JWKS answering 503)', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const now = Math.floor(Date.now() / 1000);
    const idToken = await new SignJWT({ iss: KAUTH, aud: CLIENT_ID, sub: '3621318900', iat: now, exp: now + 600 }).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).sign(privateKey);
    nock(KAUTH).post('/oauth/token').reply(200, { ...(JSON.parse(REFRESH_ROTATED_DOC) as object), id_token: idToken });
    nock(KAUTH).get('/.well-known/jwks.json').reply(503, 'unavailable');
    const result = await client().refresh('old-refresh');
    expect({ refreshToken: result.refreshToken, rotated: result.refreshTokenRotated, idToken: result.idToken }).toEqual({ refreshToken: 'new-refresh', rotated: true, idToken: undefined });
    expect(result.idTokenError).toBeInstanceOf(KakaoIdTokenError);
    expect(result.idTokenError).toMatchObject({ code: 'JWKS_UNAVAILABLE' });
  });

  it('leaves client_secret out when there is none', async () => {
    nock(KAUTH).post('/oauth/token', `grant_type=refresh_token&client_id=${CLIENT_ID}&refresh_token=r`).reply(200, REFRESH_NOT_ROTATED_DOC);
    await new KakaoAuthClient({ clientID: CLIENT_ID }).refresh('r');
  });

  it('turns KOE322 into a KakaoTokenError with its code, and an HTML page into INVALID_RESPONSE', async () => {
    nock(KAUTH).post('/oauth/token').reply(400, TOKEN_ERROR_KOE322_DOC);
    const error = await client().refresh('expired').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KakaoTokenError);
    expect({ errorCode: (error as KakaoTokenError).errorCode, httpStatus: (error as KakaoTokenError).httpStatus }).toEqual({ errorCode: 'KOE322', httpStatus: 400 });
    // A description that echoes the refresh token (as KOE320's echoes the code) is redacted in every field.
    const echoed = 'expired-refresh-token-fixture';
    nock(KAUTH).post('/oauth/token').reply(400, { error: 'invalid_grant', error_description: `refresh_token=${echoed} is expired`, error_code: 'KOE322' });
    const redacted = (await client().refresh(echoed).catch((e: unknown) => e)) as KakaoTokenError;
    expect(redacted.message).toBe('Kakao token request failed: invalid_grant (KOE322): refresh_token=[redacted] is expired');
    for (const text of [redacted.message, String(redacted.errorDescription), String(redacted.body), inspect(redacted, { showHidden: true })]) {
      expect(text).not.toContain(echoed);
    }
    nock(KAUTH).post('/oauth/token').reply(502, HTML_BAD_GATEWAY);
    await expect(client().refresh('r')).rejects.toMatchObject({ name: 'ProviderRequestError', code: 'INVALID_RESPONSE', httpStatus: 502 });
  });

  it('refuses an empty refresh token with a TypeError before any request', async () => {
    await expect(client().refresh('')).rejects.toThrow(new TypeError('KakaoAuthClient.refresh requires the refreshToken argument (a non-empty string)'));
  });
});

describe('KakaoAuthClient token info, logout, unlink', () => {
  it('reads token info with a Bearer header, keeping a big id exact', async () => {
    nock(KAPI).get('/v1/user/access_token_info').matchHeader('authorization', 'Bearer at').reply(200, '{"id":1376016924426111111,"expires_in":7199,"app_id":1234}');
    expect(await client().tokenInfo('at')).toEqual({ id: '1376016924426111111', expiresIn: 7199, appId: 1234 });
    nock(KAPI).get('/v1/user/access_token_info').reply(200, '{"id":1376016924426111111.0,"expires_in":7199,"app_id":1234}');
    const error = await client().tokenInfo('at').catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ProviderRequestError', code: 'INVALID_RESPONSE', endpoint: `GET ${KAPI}/v1/user/access_token_info` });
  });

  it.each([
    ['logout', '/v1/user/logout'],
    ['unlink', '/v1/user/unlink'],
  ] as const)('%s POSTs with a Bearer header and returns the user id', async (method, path) => {
    nock(KAPI).post(path).matchHeader('authorization', 'Bearer at').reply(200, '{"id":123456789}');
    expect(await client()[method]('at')).toEqual({ id: '123456789' });
  });

  it('turns -401 into a KakaoAPIError', async () => {
    nock(KAPI).post('/v1/user/unlink').reply(401, API_ERROR_TOKEN_NOT_EXIST_DOC);
    const error = await client().unlink('gone').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KakaoAPIError);
    expect({ code: (error as KakaoAPIError).code, apiCode: (error as KakaoAPIError).apiCode, httpStatus: (error as KakaoAPIError).httpStatus }).toEqual({ code: 'API_REQUEST_FAILED', apiCode: -401, httpStatus: 401 });
  });

  it.each([
    ['tokenInfo', 'get', '/v1/user/access_token_info', '{"id":1}', 'Kakao answered GET https://kapi.kakao.com/v1/user/access_token_info without expires_in or app_id'],
    ['logout', 'post', '/v1/user/logout', '{}', 'Kakao answered POST https://kapi.kakao.com/v1/user/logout without a user id'],
  ] as const)('ends a %s answer without its fields in INVALID_RESPONSE', async (method, verb, path, body, message) => {
    nock(KAPI)[verb](path).reply(200, body);
    await expect(client()[method]('at')).rejects.toMatchObject({ code: 'INVALID_RESPONSE', message });
  });

  it('ends a silent endpoint in TIMEOUT within the timeout', async () => {
    const server = await silentServer();
    try {
      const error = await client({ baseURL: server.url, timeout: 100 }).logout('at').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProviderRequestError);
      expect((error as ProviderRequestError).message).toBe(`Kakao did not answer POST ${server.url}/v1/user/logout within 100 ms`);
    } finally {
      await server.close();
    }
  });
});

describe('KakaoAuthClient setup and account logout', () => {
  it('keeps the client secret out of util.inspect', () => {
    const shown = inspect(client(), { showHidden: true, depth: 10 });
    expect(shown).toContain('KakaoAuthClient');
    expect(shown).not.toContain(CLIENT_SECRET);
  });

  it('builds the Kakao Account logout URL', () => {
    expect(client().accountLogoutURL({ logoutRedirectURI: 'https://app.example.com/bye', state: 's 1' })).toBe(
      `${KAUTH}/oauth/logout?client_id=${CLIENT_ID}&logout_redirect_uri=https%3A%2F%2Fapp.example.com%2Fbye&state=s+1`,
    );
  });

  it('takes the strategy\'s options as they are, endpoints and baseURL included', () => {
    const strategyOptions: KakaoStrategyOptions = { clientID: CLIENT_ID, callbackURL: '/cb', scope: ['a'], baseURL: 'http://127.0.0.1:9', unlinkURL: 'http://127.0.0.1:9/custom' };
    expect(new KakaoAuthClient(strategyOptions).endpoints).toEqual({
      authorizationURL: 'http://127.0.0.1:9/oauth/authorize', tokenURL: 'http://127.0.0.1:9/oauth/token', profileURL: 'http://127.0.0.1:9/v2/user/me',
      tokenInfoURL: 'http://127.0.0.1:9/v1/user/access_token_info', logoutURL: 'http://127.0.0.1:9/v1/user/logout',
      unlinkURL: 'http://127.0.0.1:9/custom', accountLogoutURL: 'http://127.0.0.1:9/oauth/logout', jwksURL: 'http://127.0.0.1:9/.well-known/jwks.json',
    });
  });

  it('throws TypeErrors for bad options', () => {
    expect(() => new KakaoAuthClient({} as never)).toThrow(new TypeError('KakaoAuthClient requires the clientID option (a non-empty string)'));
    expect(() => new KakaoAuthClient(null as never)).toThrow(new TypeError('KakaoAuthClient requires an options object'));
    expect(() => client({ timeout: -5 })).toThrow(TypeError);
  });
});
