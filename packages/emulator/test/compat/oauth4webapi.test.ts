/**
 * oauth4webapi 3 (panva): the low-level calls its users make for Kakao (discovery, PKCE, nonce, id_token, refresh) and
 * Naver (a hand-written authorization server, state, the code grant, the profile API, refresh).
 */
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/index.js';
import type { Emulator } from '../../src/index.js';
import { KAKAO_CALLBACK, NAVER_CALLBACK } from '../helpers.js';
import { authorizeAt, emulatorFetch } from './helpers.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ autoApprove: { kakao: 'kakao-full', naver: 'naver-full' } });
});
afterAll(() => emulator.close());

const insecure = { [oauth.allowInsecureRequests]: true } as const;

describe('oauth4webapi 3 × Kakao', () => {
  it('logs in with discovery, PKCE, state and nonce, validates the id_token, reads /v2/user/me and refreshes', async () => {
    const issuer = new URL(emulator.url);
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { ...insecure, algorithm: 'oidc' }));
    const client: oauth.Client = { client_id: emulator.kakao.clientID };
    const auth = oauth.ClientSecretPost(emulator.kakao.clientSecret!);
    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const nonce = oauth.generateRandomNonce();
    const url = new URL(as.authorization_endpoint!);
    for (const [key, value] of Object.entries({
      client_id: client.client_id, redirect_uri: KAKAO_CALLBACK, response_type: 'code', scope: 'openid', state, nonce,
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
    })) url.searchParams.set(key, value);
    const params = oauth.validateAuthResponse(as, client, await authorizeAt(emulator, url), state);
    const response = await oauth.authorizationCodeGrantRequest(as, client, auth, params, KAKAO_CALLBACK, verifier, insecure);
    const tokens = await oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: nonce, requireIdToken: true });
    expect(oauth.getValidatedIdTokenClaims(tokens)).toMatchObject({ iss: emulator.url, sub: '4012345678', nonce });
    expect(tokens.expires_in).toBe(21599);
    const me = await oauth.protectedResourceRequest(tokens.access_token, 'GET', new URL(emulator.kakao.profileURL), undefined, undefined, insecure);
    expect(me.status).toBe(200);
    expect(((await me.json()) as { id: number }).id).toBe(4012345678);
    const userinfo = await oauth.processUserInfoResponse(as, client, '4012345678', await oauth.userInfoRequest(as, client, tokens.access_token, insecure));
    expect(userinfo.sub).toBe('4012345678');
    const refreshed = await oauth.processRefreshTokenResponse(as, client, await oauth.refreshTokenGrantRequest(as, client, auth, tokens.refresh_token!, insecure));
    expect(oauth.getValidatedIdTokenClaims(refreshed)).toMatchObject({ sub: '4012345678', auth_time: oauth.getValidatedIdTokenClaims(tokens)!['auth_time'] });
  });

  it('gets Kakao\'s 400 KOE320 as a ResponseBodyError for an unknown code', async () => {
    const as: oauth.AuthorizationServer = { issuer: emulator.url, token_endpoint: emulator.kakao.tokenURL };
    const client: oauth.Client = { client_id: emulator.kakao.clientID };
    const params = oauth.validateAuthResponse(as, client, new URLSearchParams({ code: 'never-issued' }), oauth.skipStateCheck);
    const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.ClientSecretPost(emulator.kakao.clientSecret!), params, KAKAO_CALLBACK, oauth.nopkce, insecure);
    const error = await oauth.processAuthorizationCodeResponse(as, client, response).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(oauth.ResponseBodyError);
    expect((error as oauth.ResponseBodyError).status).toBe(400);
    expect((error as oauth.ResponseBodyError).cause).toMatchObject({ error: 'invalid_grant', error_code: 'KOE320' });
  });
});

describe('oauth4webapi 3 × Naver', () => {
  const as = (): oauth.AuthorizationServer => ({
    issuer: 'https://nid.naver.com', authorization_endpoint: emulator.naver.authorizationURL, token_endpoint: emulator.naver.tokenURL,
  });
  const client = (): oauth.Client => ({ client_id: emulator.naver.clientID });

  it('logs in with state, reads the wrapped profile and refreshes; Naver\'s string expires_in is there and oauth4webapi parses it', async () => {
    const log: Array<{ url: string; request: Request; body: string }> = [];
    const options = { ...insecure, [oauth.customFetch]: emulatorFetch(emulator, log) };
    const state = oauth.generateRandomState();
    const url = new URL(as().authorization_endpoint!);
    for (const [key, value] of Object.entries({ client_id: emulator.naver.clientID, redirect_uri: NAVER_CALLBACK, response_type: 'code', state })) url.searchParams.set(key, value);
    const params = oauth.validateAuthResponse(as(), client(), await authorizeAt(emulator, url), state);
    const auth = oauth.ClientSecretPost(emulator.naver.clientSecret);
    const tokens = await oauth.processAuthorizationCodeResponse(as(), client(), await oauth.authorizationCodeGrantRequest(as(), client(), auth, params, NAVER_CALLBACK, oauth.nopkce, options));
    expect(JSON.parse(log[0]!.body).expires_in).toBe('3600'); // the quirk (B2, B6.4) ...
    expect(tokens.expires_in).toBe(3600); // ... which oauth4webapi 3 turns into a number
    const me = await oauth.protectedResourceRequest(tokens.access_token, 'GET', new URL(emulator.naver.profileURL), undefined, undefined, insecure);
    expect(((await me.json()) as { response: { nickname: string } }).response.nickname).toBe('OpenAPI');
    const refreshed = await oauth.processRefreshTokenResponse(as(), client(), await oauth.refreshTokenGrantRequest(as(), client(), auth, tokens.refresh_token!, options));
    expect(refreshed.refresh_token).toBeUndefined(); // B6.5: no rotation
  });

  it('logs in with client_secret_basic too (Naver accepts HTTP Basic, ⚠)', async () => {
    const state = 'st';
    const url = new URL(`${emulator.naver.authorizationURL}?${new URLSearchParams({ client_id: emulator.naver.clientID, redirect_uri: NAVER_CALLBACK, response_type: 'code', state })}`);
    const params = oauth.validateAuthResponse(as(), client(), await authorizeAt(emulator, url), state);
    const response = await oauth.authorizationCodeGrantRequest(as(), client(), oauth.ClientSecretBasic(emulator.naver.clientSecret), params, NAVER_CALLBACK, oauth.nopkce, insecure);
    expect((await oauth.processAuthorizationCodeResponse(as(), client(), response)).token_type).toBe('bearer');
  });

  it('trips on Naver\'s HTTP-200 error for an unknown code: no ResponseBodyError, a missing access_token', async () => {
    const params = oauth.validateAuthResponse(as(), client(), new URLSearchParams({ code: 'never-issued' }), oauth.skipStateCheck);
    const response = await oauth.authorizationCodeGrantRequest(as(), client(), oauth.ClientSecretPost(emulator.naver.clientSecret), params, NAVER_CALLBACK, oauth.nopkce, insecure);
    expect(response.status).toBe(200); // the quirk (B2, B6.1)
    expect(await response.clone().json()).toEqual({ error: 'invalid_request', error_description: 'no valid data in session' });
    const error = await oauth.processAuthorizationCodeResponse(as(), client(), response).catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(oauth.ResponseBodyError);
    expect(error).toBeInstanceOf(oauth.OperationProcessingError);
    expect((error as Error).message).toBe('"response" body "access_token" property must be a string');
  });
});
