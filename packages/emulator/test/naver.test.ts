import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_NAVER_OTHER_CLIENT, naverUserId, startEmulator } from '../src/index.js';
import type { Emulator } from '../src/index.js';
import { NAVER_CALLBACK, bearer, get, location, naverCode, naverLogin, postForm } from './helpers.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => emulator.setAutoApprove({}));

const authorizeURL = (extra: Record<string, string> = {}) =>
  `${emulator.naver.authorizationURL}?${new URLSearchParams({ client_id: emulator.naver.clientID, redirect_uri: NAVER_CALLBACK, response_type: 'code', state: 'st', ...extra })}`;
const credentials = () => ({ client_id: emulator.naver.clientID, client_secret: emulator.naver.clientSecret });

describe('Naver /oauth2.0/authorize', () => {
  it('shows a Naver-styled page; Agree sends code then state, Cancel sends state, error, description', async () => {
    const html = await (await get(authorizeURL())).text();
    expect(html).toContain('#03C75A');
    expect(html).toContain('<input type="checkbox" name="consent" value="email" checked> 이메일 주소 (email) (선택 optional)');
    for (const user of emulator.users.naver) expect(html).toContain(`value="${user.key}"`);
    const transaction = () => /name="transaction" value="([^"]+)"/.exec(html)![1]!;
    const agreed = location(await postForm(`${emulator.url}/__emulator/decision`, { transaction: transaction(), user: 'naver-full', decision: 'agree' }));
    expect([...agreed.searchParams.keys()]).toEqual(['code', 'state']);
    const page2 = await (await get(authorizeURL())).text();
    const tx2 = /name="transaction" value="([^"]+)"/.exec(page2)![1]!;
    const cancelled = location(await postForm(`${emulator.url}/__emulator/decision`, { transaction: tx2, user: 'naver-full', decision: 'cancel' }));
    expect(cancelled.search).toBe('?state=st&error=access_denied&error_description=Canceled%20By%20User');
  });

  it('shows an error page for an unknown client or callback URL', async () => {
    expect((await get(authorizeURL({ client_id: 'x' }))).status).toBe(400);
    expect((await get(authorizeURL({ redirect_uri: 'https://evil.example/cb' }))).status).toBe(400);
  });

  it('redirects errors for a wrong response_type and for autologin outside the Naver app', async () => {
    expect(location(await get(authorizeURL({ response_type: 'token' }))).searchParams.get('error')).toBe('unsupported_response_type');
    const autologin = location(await get(authorizeURL({ auth_type: 'autologin' })));
    expect(autologin.search).toBe('?state=st&error=access_denied&error_description=unsupported%20browser%20environment.');
  });

  it('accepts an authorize request without state as real Naver does (B1 ⚠), warning once; refuses it with requireState', async () => {
    const query = new URLSearchParams({ client_id: emulator.naver.clientID, redirect_uri: NAVER_CALLBACK, response_type: 'code' });
    const warnings: string[] = [];
    const lenient = await startEmulator({ autoApprove: { naver: 'naver-full' }, warn: (message) => warnings.push(message) });
    try {
      expect([...location(await get(`${lenient.naver.authorizationURL}?${query}`)).searchParams.keys()]).toEqual(['code']);
      expect([...location(await get(`${lenient.naver.authorizationURL}?${query}`)).searchParams.keys()]).toEqual(['code']);
      expect(warnings).toEqual([
        "a Naver authorize request came without state: Naver's guide requires it (CSRF protection), though real Naver accepts it; --strict (naver.requireState) refuses it",
      ]);
    } finally {
      await lenient.close();
    }
    const strict = await startEmulator({ naver: { requireState: true }, autoApprove: { naver: 'naver-full' } });
    try {
      expect(location(await get(`${strict.naver.authorizationURL}?${query}`)).toString()).toBe(`${NAVER_CALLBACK}?error=invalid_request&error_description=state%20is%20required`);
      strict.setAutoApprove({});
      expect(location(await get(`${strict.naver.authorizationURL}?${query}`)).searchParams.get('error')).toBe('invalid_request');
    } finally {
      await strict.close();
    }
  });
});

describe('Naver /oauth2.0/token', () => {
  it('issues tokens with expires_in as the string "3600"', async () => {
    const body = await naverLogin(emulator, 'naver-full');
    expect(Object.keys(body)).toEqual(['access_token', 'refresh_token', 'token_type', 'expires_in']);
    expect(body['expires_in']).toBe('3600');
    expect(body['access_token']).toMatch(/^[A-Za-z0-9+/=]{1,256}$/);
    expect(body['refresh_token']).toMatch(/^[A-Za-z0-9]{1,256}$/);
  });

  it('accepts the parameters in the query of a GET, as Naver\'s examples send them', async () => {
    const code = await naverCode(emulator, 'naver-full');
    const query = new URLSearchParams({ grant_type: 'authorization_code', ...credentials(), code, state: 'naver-state' });
    expect(((await (await get(`${emulator.naver.tokenURL}?${query}`)).json()) as Record<string, string>)['token_type']).toBe('bearer');
  });

  it('answers a reused code, another state, and a bad secret with HTTP 200 and an error body', async () => {
    const code = await naverCode(emulator, 'naver-full');
    const exchange = (extra: Record<string, string>) =>
      postForm(emulator.naver.tokenURL, { grant_type: 'authorization_code', ...credentials(), code, state: 'naver-state', ...extra });
    expect((await exchange({})).status).toBe(200);
    const reused = await exchange({});
    expect(reused.status).toBe(200);
    expect(await reused.json()).toEqual({ error: 'invalid_request', error_description: 'no valid data in session' });
    const otherState = await postForm(emulator.naver.tokenURL, { grant_type: 'authorization_code', ...credentials(), code: await naverCode(emulator, 'naver-full'), state: 'forged' });
    expect(await otherState.json()).toEqual({ error: 'invalid_request', error_description: 'no valid data in session' });
    const badSecret = await exchange({ client_secret: 'wrong' });
    expect(badSecret.status).toBe(200);
    expect(await badSecret.json()).toEqual({ error: 'invalid_request', error_description: 'wrong client id / client secret pair' });
  });

  it('answers a wrong client secret or an unknown client with B8\'s body and HTTP 200', async () => {
    for (const extra of [{ client_secret: 'wrong' }, { client_id: 'nobody' }]) {
      const response = await postForm(emulator.naver.tokenURL, { grant_type: 'authorization_code', ...credentials(), code: 'c', state: 's', ...extra });
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('{"error":"invalid_request","error_description":"wrong client id \\/ client secret pair"}');
    }
  });

  it('accepts client credentials by HTTP Basic when the body has no client_id, and refuses them with acceptBasicAuth: false', async () => {
    const basic = (id: string, secret: string) => ({ Authorization: `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}` });
    const exchange = async (target: Emulator) => {
      const code = await naverCode(target, 'naver-full');
      return (await (await postForm(target.naver.tokenURL, { grant_type: 'authorization_code', code, state: 'naver-state' }, basic(target.naver.clientID, target.naver.clientSecret))).json()) as Record<string, string>;
    };
    expect(Object.keys(await exchange(emulator))).toEqual(['access_token', 'refresh_token', 'token_type', 'expires_in']);
    const wrong = await postForm(emulator.naver.tokenURL, { grant_type: 'authorization_code', code: await naverCode(emulator, 'naver-full'), state: 'naver-state' }, basic(emulator.naver.clientID, 'wrong'));
    expect(await wrong.json()).toEqual({ error: 'invalid_request', error_description: 'wrong client id / client secret pair' });
    const strict = await startEmulator({ naver: { acceptBasicAuth: false } });
    try {
      expect(await exchange(strict)).toEqual({ error: 'invalid_request', error_description: 'wrong client id / client secret pair' });
    } finally {
      await strict.close();
    }
  });

  it('accepts a code exchange without state unless requireTokenState is set', async () => {
    const exchange = (target: Emulator, code: string) =>
      postForm(target.naver.tokenURL, { grant_type: 'authorization_code', client_id: target.naver.clientID, client_secret: target.naver.clientSecret, code });
    expect(((await (await exchange(emulator, await naverCode(emulator, 'naver-full'))).json()) as Record<string, string>)['token_type']).toBe('bearer');
    const strict = await startEmulator({ naver: { requireTokenState: true } });
    try {
      const body = (await (await exchange(strict, await naverCode(strict, 'naver-full'))).json()) as Record<string, string>;
      expect(body).toEqual({ error: 'invalid_request', error_description: 'no valid data in session' });
    } finally {
      await strict.close();
    }
  });

  it('accepts the access token as an access_token query parameter, as node-oauth sends it', async () => {
    const { access_token } = await naverLogin(emulator, 'naver-id-only');
    expect((await get(`${emulator.naver.profileURL}?access_token=${encodeURIComponent(access_token!)}`)).status).toBe(200);
  });

  it('refreshes without rotating the refresh token', async () => {
    const login = await naverLogin(emulator, 'naver-full');
    const refreshed = await postForm(emulator.naver.tokenURL, { grant_type: 'refresh_token', ...credentials(), refresh_token: login['refresh_token']! });
    const body = (await refreshed.json()) as Record<string, string>;
    expect(Object.keys(body)).toEqual(['access_token', 'token_type', 'expires_in']);
    expect(body['expires_in']).toBe('3600');
    const bad = await postForm(emulator.naver.tokenURL, { grant_type: 'refresh_token', ...credentials(), refresh_token: 'nope' });
    expect(bad.status).toBe(200);
    expect(((await bad.json()) as Record<string, string>)['error']).toBe('invalid_request');
  });

  it('keeps the deprecated grant_type=delete, which answers success even for unknown tokens', async () => {
    const login = await naverLogin(emulator, 'naver-full');
    const deleted = await postForm(emulator.naver.tokenURL, { grant_type: 'delete', ...credentials(), access_token: login['access_token']!, service_provider: 'NAVER' });
    expect(await deleted.json()).toEqual({ access_token: login['access_token'], result: 'success' });
    expect((await get(emulator.naver.profileURL, bearer(login['access_token']))).status).toBe(401);
  });
});

describe('Naver /oauth2.0/revoke', () => {
  it('revokes a token and its pair with an empty 200, even for unknown tokens', async () => {
    const login = await naverLogin(emulator, 'naver-full');
    const revoked = await postForm(emulator.naver.revokeURL, { ...credentials(), token: login['access_token']!, token_type_hint: 'access_token' });
    expect(revoked.status).toBe(200);
    expect(await revoked.text()).toBe('');
    expect((await get(emulator.naver.profileURL, bearer(login['access_token']))).status).toBe(401);
    const refresh = await postForm(emulator.naver.tokenURL, { grant_type: 'refresh_token', ...credentials(), refresh_token: login['refresh_token']! });
    expect(((await refresh.json()) as Record<string, string>)['error']).toBe('invalid_request');
    expect((await postForm(emulator.naver.revokeURL, { ...credentials(), token: 'unknown' })).status).toBe(200);
  });

  it('revokes by refresh token, taking its access tokens along', async () => {
    const login = await naverLogin(emulator, 'naver-full');
    await postForm(emulator.naver.revokeURL, { ...credentials(), token: login['refresh_token']!, token_type_hint: 'refresh_token' });
    expect((await get(emulator.naver.profileURL, bearer(login['access_token']))).status).toBe(401);
  });

  it('leaves another app\'s token alone (still an empty 200), by revoke and by the old grant_type=delete', async () => {
    const login = await naverLogin(emulator, 'naver-full');
    const other = { client_id: DEFAULT_NAVER_OTHER_CLIENT.clientId, client_secret: DEFAULT_NAVER_OTHER_CLIENT.clientSecret };
    for (const [token, hint] of [[login['access_token']!, 'access_token'], [login['refresh_token']!, 'refresh_token']] as const) {
      const response = await postForm(emulator.naver.revokeURL, { ...other, token, token_type_hint: hint });
      expect([response.status, await response.text()]).toEqual([200, '']);
    }
    await postForm(emulator.naver.tokenURL, { grant_type: 'delete', ...other, access_token: login['access_token']!, service_provider: 'NAVER' });
    expect((await get(emulator.naver.profileURL, bearer(login['access_token']))).status).toBe(200);
  });

  it('answers bad client credentials with 401 and a missing token with 400', async () => {
    const bad = await postForm(emulator.naver.revokeURL, { client_id: emulator.naver.clientID, client_secret: 'x', token: 't' });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toEqual({ error: 'unauthorized_client', error_description: 'Client authentication failed.' });
    expect((await postForm(emulator.naver.revokeURL, credentials())).status).toBe(400);
  });
});

describe('Naver /v1/nid/me and /v1/nid/verify', () => {
  it('returns the wrapped profile with a pairwise id, escaped as Naver escapes it', async () => {
    const { access_token } = await naverLogin(emulator, 'naver-full');
    const response = await get(emulator.naver.profileURL, bearer(access_token));
    const text = await response.text();
    expect(text).toContain(`"profile_image":"${emulator.url.replace(/\//g, '\\/')}\\/__emulator\\/avatar\\/naver-full.svg"`);
    expect(text).toContain('\\uc624\\ud508 API');
    const id = naverUserId(emulator.naver.clientID, emulator.users.naver[0]!);
    expect(JSON.parse(text)).toEqual({
      resultcode: '00',
      message: 'success',
      response: {
        id, nickname: 'OpenAPI', name: '오픈 API', email: 'openapi@naver.example', gender: 'F', age: '40-49', birthday: '10-01',
        birthyear: '1980', profile_image: `${emulator.url}/__emulator/avatar/naver-full.svg`, mobile: '010-0000-0000', mobile_e164: '+821000000000',
      },
    });
    expect(id).not.toBe(naverUserId('another-app', emulator.users.naver[0]!));
  });

  it('returns only the id for a user who shares nothing else', async () => {
    const { access_token } = await naverLogin(emulator, 'naver-id-only');
    const body = (await (await get(emulator.naver.profileURL, bearer(access_token))).json()) as { response: Record<string, string> };
    expect(Object.keys(body.response)).toEqual(['id']);
  });

  it('answers 028 without a header and 024 for a bad token, with 401 by default or 200 when configured', async () => {
    const none = await get(emulator.naver.profileURL);
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({ resultcode: '028', message: 'Authentication header not exists / 인증 헤더가 존재하지 않습니다.' });
    const bad = await get(emulator.naver.profileURL, bearer('bad'));
    expect(bad.status).toBe(401);
    expect(await bad.json()).toEqual({ resultcode: '024', message: 'Authentication failed / 인증에 실패했습니다.' });
    const lenient = await startEmulator({ naver: { profileErrorStatus: 200 } });
    try {
      expect((await get(lenient.naver.profileURL, bearer('bad'))).status).toBe(200);
    } finally {
      await lenient.close();
    }
  });

  it('verifies a token, with allowed_profile when info=true', async () => {
    const { access_token } = await naverLogin(emulator, 'naver-name');
    const plain = (await (await get(emulator.naver.verifyURL, bearer(access_token))).json()) as { resultcode: string; response: Record<string, string> };
    expect(plain.resultcode).toBe('00');
    expect(plain.response['token']).toBe(access_token);
    expect(plain.response['expire_date']).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(plain.response).not.toHaveProperty('allowed_profile');
    const info = (await (await get(`${emulator.naver.verifyURL}?info=true`, bearer(access_token))).json()) as { response: Record<string, string> };
    expect(info.response['allowed_profile']).toBe('id,name');
    expect((await get(emulator.naver.verifyURL, bearer('bad'))).status).toBe(401);
  });
});
