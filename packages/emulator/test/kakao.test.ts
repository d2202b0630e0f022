import { connect, createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../src/index.js';
import type { Emulator } from '../src/index.js';
import { KAKAO_CALLBACK, bearer, get, kakaoCode, kakaoLogin, kakaoToken, location, postForm } from './helpers.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => {
  emulator.setAutoApprove({});
  emulator.clearFaults();
});

const authorizeURL = (extra: Record<string, string> = {}) =>
  `${emulator.kakao.authorizationURL}?${new URLSearchParams({ client_id: emulator.kakao.clientID, redirect_uri: KAKAO_CALLBACK, response_type: 'code', ...extra })}`;

describe('Kakao /oauth/authorize', () => {
  it('shows a Kakao-styled consent page with the test users and consent items', async () => {
    const response = await get(authorizeURL({ state: 's1' }));
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('#FEE500');
    for (const user of emulator.users.kakao) expect(html).toContain(`value="${user.key}"`);
    expect(html).toContain('value="account_email"');
    expect(html).toContain('name="decision" value="agree"');
    expect(html).toContain('name="decision" value="cancel"');
  });

  it('sends the code and the state back when the person agrees on the page', async () => {
    const html = await (await get(authorizeURL({ state: 'st@te' }))).text();
    const transaction = /name="transaction" value="([^"]+)"/.exec(html)![1]!;
    const back = location(await postForm(`${emulator.url}/__emulator/decision`, { transaction, user: 'kakao-full', decision: 'agree' }));
    expect(back.origin + back.pathname).toBe(KAKAO_CALLBACK);
    expect([...back.searchParams.keys()]).toEqual(['code', 'state']);
    expect(back.searchParams.get('state')).toBe('st@te');
  });

  it('sends error=access_denied with the state when the person cancels', async () => {
    const html = await (await get(authorizeURL({ state: 'cancel-state' }))).text();
    const transaction = /name="transaction" value="([^"]+)"/.exec(html)![1]!;
    const back = location(await postForm(`${emulator.url}/__emulator/decision`, { transaction, user: 'kakao-full', decision: 'cancel' }));
    expect(back.search).toBe('?error=access_denied&error_description=User%20denied%20access&state=cancel-state');
  });

  it('refuses a used or unknown transaction', async () => {
    expect((await postForm(`${emulator.url}/__emulator/decision`, { transaction: 'nope', decision: 'agree' })).status).toBe(400);
  });

  it('shows Kakao error pages for configuration errors instead of redirecting (KOE101, KOE006, KOE201, KOE202)', async () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ client_id: 'unknown' }, 'KOE101'],
      [{ redirect_uri: 'http://evil.example/cb' }, 'KOE006'],
      [{ redirect_uri: 'http://localhost:99999/auth/kakao/callback' }, 'KOE006'],
      [{ response_type: 'token' }, 'KOE202'],
      [{ response_type: 'id_token' }, 'KOE201'],
    ];
    for (const [extra, code] of cases) {
      const response = await get(authorizeURL(extra));
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toContain('text/html');
      expect(await response.text()).toContain(code);
    }
  });

  it('answers prompt=none with consent_required for a user who never consented, and with a code afterwards', async () => {
    emulator.setAutoApprove({ kakao: 'kakao-unverified' });
    const first = location(await get(authorizeURL({ prompt: 'none', state: 'p' })));
    expect(first.search).toBe('?error=consent_required&error_description=user%20consent%20required.&state=p');
    await kakaoCode(emulator, 'kakao-unverified');
    const second = location(await get(authorizeURL({ prompt: 'none', state: 'p' })));
    expect(second.searchParams.get('code')).toBeTruthy();
  });

  it('refuses a PKCE challenge method other than S256 with an error redirect', async () => {
    const back = location(await get(authorizeURL({ code_challenge: 'abc', code_challenge_method: 'plain', state: 'x' })));
    expect(back.searchParams.get('error')).toBe('invalid_request');
    expect(back.searchParams.get('state')).toBe('x');
  });
});

describe('Kakao /oauth/token', () => {
  it('issues real-shaped tokens: 21599 s access, 5183999 s refresh, space-separated scope', async () => {
    const body = await kakaoLogin(emulator, 'kakao-full');
    expect(Object.keys(body)).toEqual(['access_token', 'token_type', 'refresh_token', 'expires_in', 'scope', 'refresh_token_expires_in']);
    expect(body).toMatchObject({
      token_type: 'bearer',
      expires_in: 21599,
      refresh_token_expires_in: 5183999,
      scope: 'profile_nickname profile_image account_email name gender age_range birthday birthyear phone_number',
    });
  });

  it('grants only what the user consented to', async () => {
    expect((await kakaoLogin(emulator, 'kakao-nickname'))['scope']).toBe('profile_nickname');
  });

  it('answers a reused code with 400 KOE320', async () => {
    const code = await kakaoCode(emulator, 'kakao-full');
    expect((await kakaoToken(emulator, code)).status).toBe(200);
    const again = await kakaoToken(emulator, code);
    expect(again.status).toBe(400);
    expect(await again.json()).toEqual({ error: 'invalid_grant', error_description: `authorization code not found for code=${code}`, error_code: 'KOE320' });
  });

  it('answers an expired code with KOE320', async () => {
    const code = await kakaoCode(emulator, 'kakao-full');
    emulator.advanceTime(11 * 60 * 1000);
    expect(((await (await kakaoToken(emulator, code)).json()) as { error_code: string }).error_code).toBe('KOE320');
  });

  it('answers another redirect_uri with 400 KOE303', async () => {
    const response = await kakaoToken(emulator, await kakaoCode(emulator, 'kakao-full'), { redirect_uri: 'http://localhost:3000/other' });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'invalid_grant', error_description: 'Redirect URI mismatch.', error_code: 'KOE303' });
  });

  it('answers a wrong or missing secret with 401 KOE010 and an unknown client with 401 KOE101', async () => {
    const code = await kakaoCode(emulator, 'kakao-full');
    const wrong = await kakaoToken(emulator, code, { client_secret: 'wrong' });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ error: 'invalid_client', error_description: 'Bad client credentials', error_code: 'KOE010' });
    const unknown = await kakaoToken(emulator, code, { client_id: 'nobody' });
    expect(unknown.status).toBe(401);
    expect(await unknown.json()).toEqual({ error: 'invalid_client', error_description: 'Not exist client_id [nobody]', error_code: 'KOE101' });
  });

  it('verifies PKCE S256: the right verifier works, a wrong or missing one does not', async () => {
    const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
    const challenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'; // RFC 7636 appendix B
    const ok = await kakaoToken(emulator, await kakaoCode(emulator, 'kakao-full', { code_challenge: challenge, code_challenge_method: 'S256' }), { code_verifier: verifier });
    expect(ok.status).toBe(200);
    for (const extra of [{ code_verifier: 'wrong' }, {}]) {
      const code = await kakaoCode(emulator, 'kakao-full', { code_challenge: challenge, code_challenge_method: 'S256' });
      const bad = await kakaoToken(emulator, code, extra);
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: string }).error).toBe('invalid_grant');
    }
  });

  it('refreshes without a new refresh token while more than a month is left, and rotates it in the last month', async () => {
    const login = await kakaoLogin(emulator, 'kakao-full');
    const refresh = (token: unknown) => postForm(emulator.kakao.tokenURL, {
      grant_type: 'refresh_token', client_id: emulator.kakao.clientID, client_secret: emulator.kakao.clientSecret!, refresh_token: String(token),
    });
    const early = (await (await refresh(login['refresh_token'])).json()) as Record<string, unknown>;
    expect(Object.keys(early)).toEqual(['access_token', 'token_type', 'expires_in']);
    emulator.advanceTime(31 * 24 * 3600 * 1000);
    const late = (await (await refresh(login['refresh_token'])).json()) as Record<string, unknown>;
    expect(Object.keys(late)).toEqual(['access_token', 'token_type', 'expires_in', 'refresh_token', 'refresh_token_expires_in']);
    expect(late['refresh_token']).not.toBe(login['refresh_token']);
    const old = await refresh(login['refresh_token']);
    expect(old.status).toBe(400);
    expect(await old.json()).toEqual({ error: 'invalid_grant', error_description: 'expired_or_invalid_refresh_token', error_code: 'KOE322' });
  });

  it('logs out the whole grant with an access token issued before its refresh token rotated', async () => {
    const login = await kakaoLogin(emulator, 'kakao-full');
    const refresh = (token: unknown) => postForm(emulator.kakao.tokenURL, {
      grant_type: 'refresh_token', client_id: emulator.kakao.clientID, client_secret: emulator.kakao.clientSecret!, refresh_token: String(token),
    });
    const day = 24 * 3600 * 1000;
    emulator.advanceTime(29.9 * day);
    const before = (await (await refresh(login['refresh_token'])).json()) as Record<string, unknown>;
    expect(before).not.toHaveProperty('refresh_token');
    emulator.advanceTime(0.2 * day);
    const rotated = (await (await refresh(login['refresh_token'])).json()) as Record<string, unknown>;
    expect(rotated).toHaveProperty('refresh_token');
    expect((await postForm(emulator.kakao.logoutURL, {}, bearer(before['access_token']))).status).toBe(200);
    expect((await get(emulator.kakao.profileURL, bearer(rotated['access_token']))).status).toBe(401);
    const after = await refresh(rotated['refresh_token']);
    expect(after.status).toBe(400);
    expect(((await after.json()) as { error_code: string }).error_code).toBe('KOE322');
  });
});

describe('Kakao /v2/user/me', () => {
  it('returns a full-consent user with https images when secure_resource=true', async () => {
    const { access_token } = await kakaoLogin(emulator, 'kakao-full');
    const body = (await (await get(`${emulator.kakao.profileURL}?secure_resource=true`, bearer(access_token))).json()) as Record<string, any>;
    expect(body['id']).toBe(4012345678);
    expect(body['kakao_account']).toMatchObject({
      profile_nickname_needs_agreement: false,
      profile: { nickname: '홍길동', profile_image_url: `${emulator.url}/__emulator/avatar/kakao-full.svg?size=640` },
      email: 'gildong@kakao.example', is_email_valid: true, is_email_verified: true,
      gender: 'male', age_range: '20~29', birthday: '1130', birthyear: '1998', phone_number: '+82 010-1234-5678',
    });
  });

  it('returns http images without secure_resource, as Kakao does', async () => {
    const custom = await startEmulator({
      kakao: { users: [{ key: 'u', label: 'u', id: '1', profileImage: 'https://k.kakaocdn.net/a.jpg', consents: ['profile_image'] }] },
    });
    try {
      const { access_token } = await kakaoLogin(custom, 'u');
      const plain = (await (await get(custom.kakao.profileURL, bearer(access_token))).json()) as Record<string, any>;
      expect(plain['kakao_account'].profile.profile_image_url).toBe('http://k.kakaocdn.net/a.jpg');
      const secure = (await (await get(`${custom.kakao.profileURL}?secure_resource=true`, bearer(access_token))).json()) as Record<string, any>;
      expect(secure['kakao_account'].profile.profile_image_url).toBe('https://k.kakaocdn.net/a.jpg');
    } finally {
      await custom.close();
    }
  });

  it('answers with the property_keys asked for only, and -201 for an unknown key, -2 for a value that is no list (A4)', async () => {
    const { access_token } = await kakaoLogin(emulator, 'kakao-full');
    const me = (keys: string) => get(`${emulator.kakao.profileURL}?${new URLSearchParams({ property_keys: keys })}`, bearer(access_token));
    expect(await (await me('["kakao_account.email","kakao_account.gender"]')).json()).toEqual({
      id: 4012345678,
      connected_at: '2024-01-02T03:04:05Z',
      kakao_account: {
        email_needs_agreement: false, is_email_valid: true, is_email_verified: true, email: 'gildong@kakao.example',
        gender_needs_agreement: false, gender: 'male',
      },
    });
    expect(await (await me('["id","has_signed_up","properties.nickname"]')).json()).toEqual({
      id: 4012345678, connected_at: '2024-01-02T03:04:05Z', properties: { nickname: '홍길동' }, kakao_account: {},
    });
    const unknown = await me('["kakao_account.email","kakao_account.bogus"]');
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toEqual({ msg: 'unknown property key: kakao_account.bogus', code: -201 });
    for (const malformed of ['kakao_account.email', '{"a":1}', '[1]']) {
      const response = await me(malformed);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { code: number }).code).toBe(-2);
    }
  });

  it('serves its test users\' avatars itself', async () => {
    const response = await get(`${emulator.url}/__emulator/avatar/kakao-full.svg?size=110`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/svg+xml');
    expect(await response.text()).toContain('width="110"');
    expect((await get(`${emulator.url}/__emulator/avatar/nobody.svg`)).status).toBe(404);
  });

  it('returns only the consented nickname, flagging every other configured item as needing agreement', async () => {
    const { access_token } = await kakaoLogin(emulator, 'kakao-nickname');
    expect(await (await get(emulator.kakao.profileURL, bearer(access_token))).json()).toEqual({
      id: 3621318900,
      connected_at: '2024-01-02T03:04:05Z',
      properties: { nickname: '지히' },
      kakao_account: {
        profile_nickname_needs_agreement: false,
        profile_image_needs_agreement: true,
        profile: { nickname: '지히', is_default_nickname: false },
        name_needs_agreement: true,
        email_needs_agreement: true,
        age_range_needs_agreement: true,
        birthyear_needs_agreement: true,
        birthday_needs_agreement: true,
        gender_needs_agreement: true,
        phone_number_needs_agreement: true,
      },
    });
  });

  it('shows an unverified email as such', async () => {
    const { access_token } = await kakaoLogin(emulator, 'kakao-unverified');
    const body = (await (await get(emulator.kakao.profileURL, bearer(access_token))).json()) as Record<string, any>;
    expect(body['kakao_account']).toMatchObject({ email: 'unverified@kakao.example', is_email_valid: true, is_email_verified: false });
  });

  it('writes an id above 2^53 as exact digits', async () => {
    const { access_token } = await kakaoLogin(emulator, 'kakao-bigid');
    const text = await (await get(emulator.kakao.profileURL, bearer(access_token))).text();
    expect(text.startsWith('{"id":1376016924426111111,')).toBe(true);
  });

  it('accepts the access token as an access_token query parameter, as node-oauth sends it', async () => {
    const { access_token } = await kakaoLogin(emulator, 'kakao-nickname');
    const body = (await (await get(`${emulator.kakao.profileURL}?access_token=${String(access_token)}`)).json()) as { id: number };
    expect(body.id).toBe(3621318900);
  });

  it('answers a missing, unknown or expired token with 401 -401', async () => {
    const missing = await get(emulator.kakao.profileURL);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({ msg: 'this access token does not exist', code: -401 });
    expect(await (await get(emulator.kakao.profileURL, bearer('nope'))).json()).toEqual({ msg: 'this access token does not exist', code: -401 });
    const { access_token } = await kakaoLogin(emulator, 'kakao-full');
    emulator.advanceTime(21600 * 1000);
    const expired = await get(emulator.kakao.profileURL, bearer(access_token));
    expect(expired.status).toBe(401);
    expect(await expired.json()).toEqual({ msg: 'this access token is already expired', code: -401 });
  });
});

describe('Kakao token info, logout, unlink, account logout', () => {
  it('reports the user id, remaining seconds and app id', async () => {
    const { access_token } = await kakaoLogin(emulator, 'kakao-full');
    emulator.advanceTime(99 * 1000);
    const info = (await (await get(emulator.kakao.tokenInfoURL, bearer(access_token))).json()) as { id: number; expires_in: number; app_id: number };
    expect({ id: info.id, app_id: info.app_id }).toEqual({ id: 4012345678, app_id: 100001 });
    expect(info.expires_in).toBeGreaterThanOrEqual(21499); // 21599 s less the 99 s moved forward, less the test's own time
    expect(info.expires_in).toBeLessThanOrEqual(21500);
  });

  it('logs out: returns the id and revokes the tokens', async () => {
    const { access_token } = await kakaoLogin(emulator, 'kakao-bigid');
    const response = await postForm(emulator.kakao.logoutURL, {}, bearer(access_token));
    expect(await response.text()).toBe('{"id":1376016924426111111}');
    expect((await get(emulator.kakao.profileURL, bearer(access_token))).status).toBe(401);
  });

  it('unlinks: returns the id, revokes every token and forgets the consent', async () => {
    const first = await kakaoLogin(emulator, 'kakao-nickname');
    const second = await kakaoLogin(emulator, 'kakao-nickname');
    expect(await (await postForm(emulator.kakao.unlinkURL, {}, bearer(second['access_token']))).json()).toEqual({ id: 3621318900 });
    expect((await get(emulator.kakao.profileURL, bearer(first['access_token']))).status).toBe(401);
    emulator.setAutoApprove({ kakao: 'kakao-nickname' });
    const none = location(await get(authorizeURL({ prompt: 'none' })));
    expect(none.searchParams.get('error')).toBe('consent_required');
  });

  it('refuses GET on logout', async () => {
    expect((await get(emulator.kakao.logoutURL)).status).toBe(405);
  });

  it('sends account logout back to a registered URI with the state, and shows KOE007 otherwise', async () => {
    const ok = location(await get(`${emulator.kakao.accountLogoutURL}?client_id=${emulator.kakao.clientID}&logout_redirect_uri=${encodeURIComponent('http://localhost:3000/')}&state=bye`));
    expect(ok.toString()).toBe('http://localhost:3000/?state=bye');
    const bad = await get(`${emulator.kakao.accountLogoutURL}?client_id=${emulator.kakao.clientID}&logout_redirect_uri=${encodeURIComponent('https://evil.example/')}`);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('KOE007');
  });
});

describe('Kakao OpenID Connect', () => {
  it('publishes discovery with the emulator\'s URLs and a JWKS with an RS256 key', async () => {
    const discovery = (await (await get(emulator.kakao.discoveryURL)).json()) as Record<string, unknown>;
    expect(discovery).toMatchObject({
      issuer: emulator.url,
      jwks_uri: emulator.kakao.jwksURL,
      token_endpoint: emulator.kakao.tokenURL,
      id_token_signing_alg_values_supported: ['RS256'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['client_secret_post'],
    });
    const jwks = (await (await get(emulator.kakao.jwksURL)).json()) as { keys: Array<Record<string, string>> };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', e: 'AQAB' });
    expect(jwks.keys[0]!['kid']).toBeTruthy();
  });

  it('issues a signed id_token with the nonce only when openid is asked for', async () => {
    expect(await kakaoLogin(emulator, 'kakao-full')).not.toHaveProperty('id_token');
    const body = await kakaoLogin(emulator, 'kakao-full', { scope: 'openid', nonce: 'n-0S6_WzA2Mj' });
    expect(String(body['scope']).split(' ')).toContain('openid');
    const idToken = String(body['id_token']);
    const jwks = (await (await get(emulator.kakao.jwksURL)).json()) as Parameters<typeof createLocalJWKSet>[0];
    const { payload, protectedHeader } = await jwtVerify(idToken, createLocalJWKSet(jwks), { issuer: emulator.url, audience: emulator.kakao.clientID });
    expect(protectedHeader).toEqual({ alg: 'RS256', typ: 'JWT', kid: jwks.keys[0]!.kid });
    expect(payload).toMatchObject({ sub: '4012345678', nonce: 'n-0S6_WzA2Mj', nickname: '홍길동', email: 'gildong@kakao.example' });
    expect(payload.exp! - payload.iat!).toBe(21599);
  });

  it('answers POST /oauth/tokeninfo with the payload of its id_token, and 400 invalid_token KOE400 otherwise (A6)', async () => {
    const idToken = String((await kakaoLogin(emulator, 'kakao-full', { scope: 'openid', nonce: 'n-tokeninfo' }))['id_token']);
    const info = await postForm(`${emulator.url}/oauth/tokeninfo`, { id_token: idToken });
    expect(info.status).toBe(200);
    expect(await info.json()).toEqual(decodeJwt(idToken));
    const tampered = `${idToken.slice(0, -4)}AAAA`;
    for (const form of [{ id_token: tampered }, { id_token: 'not-a-jwt' }, {}]) {
      const bad = await postForm(`${emulator.url}/oauth/tokeninfo`, form);
      expect(bad.status).toBe(400);
      expect(await bad.json()).toMatchObject({ error: 'invalid_token', error_code: 'KOE400' });
    }
    emulator.advanceTime(21600 * 1000);
    const expired = await postForm(`${emulator.url}/oauth/tokeninfo`, { id_token: idToken });
    expect(expired.status).toBe(400);
  });

  it('leaves an unverified email out of the id_token and keeps a big id exact in sub', async () => {
    const unverified = await kakaoLogin(emulator, 'kakao-unverified', { scope: 'openid' });
    const claims = JSON.parse(Buffer.from(String(unverified['id_token']).split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    expect(claims).not.toHaveProperty('email');
    expect(claims).not.toHaveProperty('nonce');
    const big = await kakaoLogin(emulator, 'kakao-bigid', { scope: 'openid' });
    expect(decodeProtectedHeader(String(big['id_token'])).alg).toBe('RS256');
    expect(JSON.parse(Buffer.from(String(big['id_token']).split('.')[1]!, 'base64url').toString()).sub).toBe('1376016924426111111');
  });
});

describe('Kakao: differences from the real provider, fixed (issue 19)', () => {
  it('serves /v1/oidc/userinfo with the consented claims and the id_token\'s sub, and lists it in discovery', async () => {
    const discovery = (await (await get(emulator.kakao.discoveryURL)).json()) as Record<string, unknown>;
    expect(discovery['userinfo_endpoint']).toBe(`${emulator.url}/v1/oidc/userinfo`);
    expect(emulator.kakao.userinfoURL).toBe(`${emulator.url}/v1/oidc/userinfo`);
    const login = await kakaoLogin(emulator, 'kakao-full', { scope: 'openid' });
    const response = await get(emulator.kakao.userinfoURL, bearer(login['access_token']));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      sub: decodeJwt(String(login['id_token'])).sub,
      name: '홍길동',
      nickname: '홍길동',
      picture: `${emulator.url}/__emulator/avatar/kakao-full.svg?size=640`,
      email: 'gildong@kakao.example',
      email_verified: true,
      gender: 'male',
      birthdate: '1998-11-30',
      phone_number: '+82 010-1234-5678',
      phone_number_verified: true,
    });
    const nickname = await kakaoLogin(emulator, 'kakao-nickname', { scope: 'openid' });
    expect(await (await get(emulator.kakao.userinfoURL, bearer(nickname['access_token']))).json()).toEqual({ sub: '3621318900', nickname: '지히' });
    const unverified = await kakaoLogin(emulator, 'kakao-unverified');
    expect(await (await get(emulator.kakao.userinfoURL, bearer(unverified['access_token']))).json()).toEqual({
      sub: '3621318901', nickname: '미인증', email: 'unverified@kakao.example', email_verified: false,
    });
    const bad = await get(emulator.kakao.userinfoURL, bearer('nope'));
    expect(bad.status).toBe(401);
    expect(await bad.json()).toEqual({ msg: 'this access token does not exist', code: -401 });
  });

  it('writes userinfo birthdate as 0000-MM-DD or YYYY with one of the two consents, and gender upper-case when configured', async () => {
    const custom = await startEmulator({
      kakao: {
        userinfoGender: 'uppercase',
        users: [
          { key: 'day', label: 'day', id: '11', birthday: '0214', birthyear: '1990', gender: 'female', consents: ['birthday', 'gender'] },
          { key: 'year', label: 'year', id: '12', birthday: '0214', birthyear: '1990', consents: ['birthyear'] },
        ],
      },
    });
    try {
      const userinfo = async (user: string) => {
        const { access_token } = await kakaoLogin(custom, user);
        return (await get(custom.kakao.userinfoURL, bearer(access_token))).json();
      };
      expect(await userinfo('day')).toEqual({ sub: '11', gender: 'FEMALE', birthdate: '0000-02-14' });
      expect(await userinfo('year')).toEqual({ sub: '12', birthdate: '1990' });
    } finally {
      await custom.close();
    }
  });

  it('answers client credentials sent only by HTTP Basic with 401 invalid_client KOE010 (client_secret_post only)', async () => {
    const code = await kakaoCode(emulator, 'kakao-full');
    const basic = Buffer.from(`${emulator.kakao.clientID}:${emulator.kakao.clientSecret!}`).toString('base64');
    const response = await postForm(emulator.kakao.tokenURL, { grant_type: 'authorization_code', redirect_uri: KAKAO_CALLBACK, code }, { Authorization: `Basic ${basic}` });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: 'invalid_client', error_description: 'Bad client credentials', error_code: 'KOE010' });
  });

  it('keeps the login\'s auth_time in a refreshed id_token', async () => {
    const login = await kakaoLogin(emulator, 'kakao-full', { scope: 'openid', nonce: 'n' });
    const first = decodeJwt(String(login['id_token']));
    emulator.advanceTime(3600 * 1000);
    const refreshed = (await (await postForm(emulator.kakao.tokenURL, {
      grant_type: 'refresh_token', client_id: emulator.kakao.clientID, client_secret: emulator.kakao.clientSecret!, refresh_token: String(login['refresh_token']),
    })).json()) as Record<string, unknown>;
    const second = decodeJwt(String(refreshed['id_token']));
    expect(second.iat! - first.iat!).toBeGreaterThanOrEqual(3600);
    expect(second['auth_time']).toBe(first['auth_time']);
    expect(second).not.toHaveProperty('nonce');
  });

  it('uses the configured public origin as issuer and in every URL it hands out; the listen address by default', async () => {
    expect(emulator.kakao.issuer).toBe(emulator.url);
    expect(emulator.url).toBe(emulator.listenURL);
    expect(emulator.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as AddressInfo;
        probe.close(() => resolve(free));
      });
    });
    const custom = await startEmulator({ port, publicOrigin: `http://localhost:${port}/`, autoApprove: { kakao: 'kakao-full' } });
    try {
      const origin = `http://localhost:${port}`;
      expect(custom.url).toBe(origin);
      expect(custom.listenURL).toBe(`http://127.0.0.1:${port}`);
      expect(custom.kakao.issuer).toBe(origin);
      const discovery = (await (await get(`${custom.listenURL}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
      expect(discovery).toMatchObject({
        issuer: origin,
        authorization_endpoint: `${origin}/oauth/authorize`,
        token_endpoint: `${origin}/oauth/token`,
        userinfo_endpoint: `${origin}/v1/oidc/userinfo`,
        jwks_uri: `${origin}/.well-known/jwks.json`,
      });
      const login = await kakaoLogin(custom, 'kakao-full', { scope: 'openid' });
      expect(decodeJwt(String(login['id_token'])).iss).toBe(origin);
    } finally {
      await custom.close();
    }
    await expect(startEmulator({ publicOrigin: 'http://localhost:4000/path' })).rejects.toThrow('publicOrigin must be an origin with no path');
    await expect(startEmulator({ publicOrigin: 'localhost' })).rejects.toThrow('publicOrigin must be an origin such as');
  });
});

describe('requests that are not URLs', () => {
  it('answers a request target that does not parse with 400 and keeps serving', async () => {
    const { port, hostname } = new URL(emulator.url);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), hostname, () => socket.end('GET //[x] HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n'));
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString()));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 400 Bad Request');
    expect(answer).toContain('{"error":"invalid_request","error_description":"The request target is not a valid URL"}');
    expect((await get(emulator.kakao.jwksURL)).status).toBe(200);
  });
});
