/**
 * openid-client 6 (panva): Kakao OpenID Connect through discovery, as its users write it: PKCE, nonce, state, the code
 * grant with id_token validation, userinfo, refresh.
 */
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/index.js';
import type { Emulator } from '../../src/index.js';
import { KAKAO_CALLBACK } from '../helpers.js';
import { authorizeAt } from './helpers.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ autoApprove: { kakao: 'kakao-full' } });
});
afterAll(() => emulator.close());

async function discover(origin: string): Promise<client.Configuration> {
  return client.discovery(new URL(origin), emulator.kakao.clientID, undefined, client.ClientSecretPost(emulator.kakao.clientSecret!), {
    execute: [client.allowInsecureRequests],
  });
}

describe('openid-client 6 × Kakao OIDC', () => {
  it('logs in through discovery with PKCE, nonce and state, reads userinfo, and refreshes', async () => {
    const config = await discover(emulator.url);
    expect(config.serverMetadata().userinfo_endpoint).toBe(`${emulator.url}/v1/oidc/userinfo`);
    const verifier = client.randomPKCECodeVerifier();
    const nonce = client.randomNonce();
    const state = client.randomState();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: KAKAO_CALLBACK, scope: 'openid profile_nickname account_email', nonce, state,
      code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
    });
    const callback = await authorizeAt(emulator, url);
    const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedNonce: nonce, expectedState: state, idTokenExpected: true });
    const claims = tokens.claims()!;
    expect(claims).toMatchObject({ iss: emulator.url, aud: emulator.kakao.clientID, sub: '4012345678', nonce, nickname: '홍길동', email: 'gildong@kakao.example' });
    expect(tokens.expires_in).toBe(21599);
    const userinfo = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
    expect(userinfo).toMatchObject({ sub: '4012345678', nickname: '홍길동', email: 'gildong@kakao.example', email_verified: true });
    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.claims()).toMatchObject({ sub: '4012345678', auth_time: claims['auth_time'] });
    expect(refreshed.refresh_token).toBeUndefined(); // A2: not rotated with more than a month left
  });

  it('refuses discovery through another address than the issuer (strict issuer check), and works once publicOrigin names it', async () => {
    const localhost = emulator.url.replace('127.0.0.1', 'localhost');
    await expect(discover(localhost)).rejects.toThrow('discovered metadata issuer does not match the expected issuer');
    const port = Number(new URL(emulator.url).port);
    await emulator.close();
    emulator = await startEmulator({ port, publicOrigin: localhost, autoApprove: { kakao: 'kakao-full' } });
    const config = await discover(localhost);
    expect(config.serverMetadata().issuer).toBe(localhost);
    const nonce = client.randomNonce();
    const callback = await authorizeAt(emulator, client.buildAuthorizationUrl(config, { redirect_uri: KAKAO_CALLBACK, scope: 'openid', nonce }));
    const tokens = await client.authorizationCodeGrant(config, callback, { expectedNonce: nonce, idTokenExpected: true });
    expect(tokens.claims()?.iss).toBe(localhost);
  });
});
