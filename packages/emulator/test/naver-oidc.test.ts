/** Naver OpenID Connect (B5, B8): /oauth2/authorize, /oauth2/token with PKCE, discovery under the Naver issuer, JWKS. */
import { createLocalJWKSet, decodeJwt, jwtVerify } from 'jose';
import * as client from 'openid-client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { naverUserId, startEmulator } from '../src/index.js';
import type { Emulator } from '../src/index.js';
import { NAVER_CALLBACK, bearer, get, location, postForm } from './helpers.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ autoApprove: { naver: 'naver-full' } });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.setAutoApprove({ naver: 'naver-full' }));

const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'; // RFC 7636 appendix B

async function oidcCode(extra: Record<string, string> = {}): Promise<URL> {
  const query = new URLSearchParams({
    client_id: emulator.naver.clientID, redirect_uri: NAVER_CALLBACK, response_type: 'code', state: 'st', scope: 'openid',
    code_challenge: CHALLENGE, code_challenge_method: 'S256', ...extra,
  });
  for (const [key, value] of [...query]) if (value === '') query.delete(key);
  return location(await get(`${emulator.naver.oidcAuthorizationURL}?${query}`));
}
const exchange = (code: string, extra: Record<string, string> = {}) =>
  postForm(emulator.naver.oidcTokenURL, {
    grant_type: 'authorization_code', client_id: emulator.naver.clientID, client_secret: emulator.naver.clientSecret, code, state: 'st', code_verifier: VERIFIER, ...extra,
  });

describe('Naver OIDC endpoints', () => {
  it('publishes discovery under the Naver issuer (apart from Kakao\'s at the root) and its own JWKS', async () => {
    expect(emulator.naver.issuer).toBe(`${emulator.url}/naver`);
    expect(emulator.naver.discoveryURL).toBe(`${emulator.url}/naver/.well-known/openid-configuration`);
    expect(await (await get(emulator.naver.discoveryURL)).json()).toEqual({
      issuer: `${emulator.url}/naver`,
      authorization_endpoint: `${emulator.url}/oauth2/authorize`,
      token_endpoint: `${emulator.url}/oauth2/token`,
      jwks_uri: `${emulator.url}/oauth2/jwks`,
      userinfo_endpoint: `${emulator.url}/v1/nid/me`,
      response_types_supported: ['code'],
      scopes_supported: ['openid', 'profile'],
      grant_types_supported: ['authorization_code'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'none'],
      code_challenge_methods_supported: ['S256'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
    });
    const naverKeys = (await (await get(emulator.naver.jwksURL)).json()) as { keys: Array<{ kid: string }> };
    const kakaoKeys = (await (await get(emulator.kakao.jwksURL)).json()) as { keys: Array<{ kid: string }> };
    expect(naverKeys.keys).toHaveLength(1);
    expect(naverKeys.keys[0]!.kid).not.toBe(kakaoKeys.keys[0]!.kid);
  });

  it('issues an id_token (iss, aud, sub, iat, exp, nonce) and an integer expires_in for a PKCE-verified code', async () => {
    const back = await oidcCode({ nonce: 'n-1' });
    expect([...back.searchParams.keys()]).toEqual(['code', 'state']);
    const response = await exchange(back.searchParams.get('code')!);
    const body = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['access_token', 'refresh_token', 'token_type', 'expires_in', 'id_token']);
    expect(body['expires_in']).toBe(3600);
    const jwks = createLocalJWKSet((await (await get(emulator.naver.jwksURL)).json()) as Parameters<typeof createLocalJWKSet>[0]);
    const { payload } = await jwtVerify(String(body['id_token']), jwks, { issuer: emulator.naver.issuer, audience: emulator.naver.clientID });
    expect(Object.keys(payload).sort()).toEqual(['aud', 'exp', 'iat', 'iss', 'nonce', 'sub']);
    expect(payload.exp! - payload.iat!).toBe(3600);
    // B8 ⚠: the OIDC sub is not /v1/nid/me's id unless oidcSubjectIsId.
    const me = (await (await get(emulator.naver.profileURL, bearer(body['access_token']))).json()) as { response: { id: string } };
    expect(me.response.id).toBe(naverUserId(emulator.naver.clientID, emulator.users.naver[0]!));
    expect(payload.sub).not.toBe(me.response.id);
    const same = await startEmulator({ naver: { oidcSubjectIsId: true }, autoApprove: { naver: 'naver-full' } });
    try {
      const code = location(await get(`${same.naver.oidcAuthorizationURL}?${new URLSearchParams({ client_id: same.naver.clientID, redirect_uri: NAVER_CALLBACK, response_type: 'code', state: 's', scope: 'openid' })}`)).searchParams.get('code')!;
      const tokens = (await (await postForm(same.naver.oidcTokenURL, { grant_type: 'authorization_code', client_id: same.naver.clientID, client_secret: same.naver.clientSecret, code, state: 's' })).json()) as Record<string, string>;
      expect(decodeJwt(tokens['id_token']!).sub).toBe(naverUserId(same.naver.clientID, same.users.naver[0]!));
    } finally {
      await same.close();
    }
  });

  it('verifies PKCE: a wrong or missing verifier is refused; a public client (no secret) needs PKCE', async () => {
    for (const extra of [{ code_verifier: 'wrong' }, { code_verifier: '' }]) {
      const response = await exchange((await oidcCode()).searchParams.get('code')!, extra);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ error: 'invalid_grant', error_description: 'code_verifier does not match code_challenge' });
    }
    const publicClient = await postForm(emulator.naver.oidcTokenURL, {
      grant_type: 'authorization_code', client_id: emulator.naver.clientID, code: (await oidcCode()).searchParams.get('code')!, state: 'st', code_verifier: VERIFIER,
    });
    expect(((await publicClient.json()) as Record<string, unknown>)['token_type']).toBe('bearer');
    const noPKCE = await postForm(emulator.naver.oidcTokenURL, {
      grant_type: 'authorization_code', client_id: emulator.naver.clientID, code: (await oidcCode({ code_challenge: '', code_challenge_method: '' })).searchParams.get('code')!, state: 'st',
    });
    expect(await noPKCE.json()).toEqual({ error: 'invalid_grant', error_description: 'code_verifier does not match code_challenge' });
  });

  it('requires scope=openid and S256 at /oauth2/authorize; the legacy endpoints ignore PKCE', async () => {
    expect((await oidcCode({ scope: 'profile' })).search).toBe('?state=st&error=invalid_scope&error_description=scope%20must%20include%20openid');
    expect((await oidcCode({ code_challenge_method: 'plain' })).searchParams.get('error')).toBe('invalid_request');
    const legacy = location(await get(`${emulator.naver.authorizationURL}?${new URLSearchParams({ client_id: emulator.naver.clientID, redirect_uri: NAVER_CALLBACK, response_type: 'code', state: 'st', code_challenge: CHALLENGE, code_challenge_method: 'S256' })}`));
    const tokens = (await (await postForm(emulator.naver.tokenURL, {
      grant_type: 'authorization_code', client_id: emulator.naver.clientID, client_secret: emulator.naver.clientSecret, code: legacy.searchParams.get('code')!, state: 'st',
    })).json()) as Record<string, unknown>;
    expect(Object.keys(tokens)).toEqual(['access_token', 'refresh_token', 'token_type', 'expires_in']);
    expect(tokens['expires_in']).toBe('3600');
  });

  it('refuses a PKCE code from /oauth2/authorize redeemed at the legacy /oauth2.0/token without its verifier (no downgrade)', async () => {
    const legacyExchange = async (extra: Record<string, string>) =>
      (await (await postForm(emulator.naver.tokenURL, {
        grant_type: 'authorization_code', client_id: emulator.naver.clientID, client_secret: emulator.naver.clientSecret, code: (await oidcCode()).searchParams.get('code')!, state: 'st', ...extra,
      })).json()) as Record<string, unknown>;
    expect(await legacyExchange({})).toEqual({ error: 'invalid_grant', error_description: 'code_verifier does not match code_challenge' });
    expect((await legacyExchange({ code_verifier: VERIFIER }))['expires_in']).toBe('3600');
  });

  it('works with openid-client through discovery at {issuer}/.well-known/openid-configuration (PKCE, state, nonce)', async () => {
    const config = await client.discovery(new URL(emulator.naver.issuer), emulator.naver.clientID, undefined, client.ClientSecretPost(emulator.naver.clientSecret), {
      execute: [client.allowInsecureRequests],
    });
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: NAVER_CALLBACK, scope: 'openid', state, nonce, code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
    });
    const back = location(await get(url.toString()));
    const tokens = await client.authorizationCodeGrant(config, back, { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true });
    expect(tokens.claims()).toMatchObject({ iss: emulator.naver.issuer, aud: emulator.naver.clientID, nonce });
    expect(tokens.expires_in).toBe(3600);
  });
});

describe('Naver OIDC facts left open by the docs (B8 ⚠), as options', () => {
  let strict: Emulator;
  beforeAll(async () => {
    strict = await startEmulator({ autoApprove: { naver: 'naver-full' }, naver: { idTokenNonce: false, oidcRefresh: false } });
  });
  afterAll(() => strict.close());

  it('idTokenNonce: false leaves a sent nonce out of the id_token; oidcRefresh: false refuses refresh at /oauth2/token only', async () => {
    const query = new URLSearchParams({
      client_id: strict.naver.clientID, redirect_uri: NAVER_CALLBACK, response_type: 'code', state: 'st', scope: 'openid', nonce: 'n-1', code_challenge: CHALLENGE, code_challenge_method: 'S256',
    });
    const back = location(await get(`${strict.naver.oidcAuthorizationURL}?${query}`));
    const credentials = { client_id: strict.naver.clientID, client_secret: strict.naver.clientSecret };
    const tokens = (await (await postForm(strict.naver.oidcTokenURL, { grant_type: 'authorization_code', ...credentials, code: back.searchParams.get('code')!, state: 'st', code_verifier: VERIFIER })).json()) as Record<string, string>;
    expect(decodeJwt(tokens['id_token']!)).not.toHaveProperty('nonce');
    const refresh = { grant_type: 'refresh_token', ...credentials, refresh_token: tokens['refresh_token']! };
    expect(await (await postForm(strict.naver.oidcTokenURL, refresh)).json()).toEqual({ error: 'unsupported_response_type', error_description: 'grant_type is not supported: refresh_token' });
    expect(((await (await postForm(strict.naver.tokenURL, refresh)).json()) as Record<string, string>)['token_type']).toBe('bearer');
  });
});
