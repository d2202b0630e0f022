/**
 * Sign-in with an SDK token (issue 15): `POST /auth/kakao/token` and `POST /auth/naver/token` with
 * `Authorization: Bearer …`, through the emulator's SDK-style tokens. JSON answers, no session, no CSRF token; a token
 * of another app is refused (Kakao, A10); a missing or malformed token never reaches the provider.
 */
import { DEFAULT_KAKAO_OTHER_CLIENT, DEFAULT_NAVER_OTHER_CLIENT, naverUserId } from 'kakao-naver-emulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Harness } from './helpers.js';
import { startHarness } from './helpers.js';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness();
  await harness.listen();
});
afterAll(() => harness.close());
beforeEach(() => harness.emulator.resetRequestCounts());

/** A POST as a mobile or SPA client sends it: no cookie, no CSRF token. */
async function signIn(provider: 'kakao' | 'naver', headers: Record<string, string> = {}, body?: string): Promise<{ status: number; json: unknown; response: Response }> {
  const response = await fetch(`${harness.url}/auth/${provider}/token`, {
    method: 'POST',
    headers: body === undefined ? headers : { ...headers, 'Content-Type': 'application/x-www-form-urlencoded' },
    ...(body === undefined ? {} : { body }),
  });
  return { status: response.status, json: await response.json(), response };
}

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

describe('POST /auth/kakao/token', () => {
  it('answers the user of a token issued to this app: JSON, no session cookie, not cached, the token nowhere in it', async () => {
    const { accessToken } = await harness.emulator.issueSDKTokens({ provider: 'kakao', user: 'kakao-full' });
    const { status, json, response } = await signIn('kakao', bearer(accessToken));
    expect(status).toBe(200);
    expect(json).toEqual({ provider: 'kakao', id: '4012345678', displayName: '홍길동' });
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(JSON.stringify(json)).not.toContain(accessToken);
    expect(harness.emulator.requestCounts()).toEqual({ 'kakao.tokenInfo': 1, 'kakao.me': 1 });
    expect(await harness.sessions.size()).toBe(0);
  });

  it('refuses a token issued to another app with 401 TOKEN_OF_ANOTHER_APP, before loading any profile', async () => {
    const { accessToken } = await harness.emulator.issueSDKTokens({ provider: 'kakao', user: 'kakao-full', clientId: DEFAULT_KAKAO_OTHER_CLIENT.clientId });
    const { status, json } = await signIn('kakao', bearer(accessToken));
    expect(status).toBe(401);
    expect(json).toEqual({ error: 'TOKEN_OF_ANOTHER_APP', message: 'The access token was issued to another Kakao app.' });
    expect(harness.emulator.requestCounts()).toEqual({ 'kakao.tokenInfo': 1 });
  });

  it('refuses a garbage token and a revoked one with 401 INVALID_TOKEN', async () => {
    const garbage = await signIn('kakao', bearer('not-a-kakao-token'));
    expect(garbage.status).toBe(401);
    expect(garbage.json).toEqual({ error: 'INVALID_TOKEN', message: 'Kakao does not accept the access token (expired, revoked or unknown).' });
    const { accessToken } = await harness.emulator.issueSDKTokens({ provider: 'kakao', user: 'kakao-nickname' });
    await harness.emulator.unlinkApp('kakao', 'kakao-nickname', harness.emulator.kakao.clientID);
    const revoked = await signIn('kakao', bearer(accessToken));
    expect(revoked.status).toBe(401);
    expect(revoked.json).toEqual(garbage.json);
    expect(JSON.stringify(revoked.json)).not.toContain(accessToken);
    expect(harness.emulator.requestCounts()).toEqual({ 'kakao.tokenInfo': 2 });
  });

  it('answers 400 to a missing or malformed token, and asks Kakao nothing', async () => {
    const missing = await signIn('kakao');
    expect(missing.status).toBe(400);
    expect(missing.json).toEqual({ error: 'MISSING_TOKEN', message: 'No Kakao token in the request: looked in an Authorization: Bearer header.' });
    // Only the Authorization header counts here: a token in the body is not looked at.
    const inBody = await signIn('kakao', {}, 'access_token=abc');
    expect(inBody.status).toBe(400);
    expect(inBody.json).toEqual(missing.json);
    const tooLong = await signIn('kakao', bearer('a'.repeat(2049)));
    expect(tooLong.status).toBe(400);
    expect(tooLong.json).toEqual({ error: 'MALFORMED_TOKEN', message: 'The access token is longer than 2048 characters.' });
    const badCharset = await signIn('kakao', bearer('abc,def'));
    expect(badCharset.status).toBe(400);
    expect(badCharset.json).toEqual({ error: 'MALFORMED_TOKEN', message: 'The access token has characters a Bearer token cannot have.' });
    expect(harness.emulator.requestCounts()).toEqual({});
  });
});

describe('POST /auth/naver/token', () => {
  it('answers the user of a token issued to this app', async () => {
    const { accessToken } = await harness.emulator.issueSDKTokens({ provider: 'naver', user: 'naver-full' });
    const { status, json, response } = await signIn('naver', bearer(accessToken));
    expect(status).toBe(200);
    expect(json).toEqual({ provider: 'naver', id: naverUserId(harness.emulator.naver.clientID, harness.emulator.users.naver[0]!), displayName: 'OpenAPI' });
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(harness.emulator.requestCounts()).toEqual({ 'naver.me': 1 });
  });

  it('cannot tell another app\'s token (Naver names no app), but its id is that app\'s, never this app\'s id for the person', async () => {
    const mine = await signIn('naver', bearer((await harness.emulator.issueSDKTokens({ provider: 'naver', user: 'naver-full' })).accessToken));
    const theirs = await signIn('naver', bearer((await harness.emulator.issueSDKTokens({ provider: 'naver', user: 'naver-full', clientId: DEFAULT_NAVER_OTHER_CLIENT.clientId })).accessToken));
    expect(theirs.status).toBe(200);
    expect((theirs.json as { id: string }).id).toBe(naverUserId(DEFAULT_NAVER_OTHER_CLIENT.clientId, harness.emulator.users.naver[0]!));
    expect((theirs.json as { id: string }).id).not.toBe((mine.json as { id: string }).id);
  });

  it('refuses a garbage token with 401 INVALID_TOKEN, and a missing or malformed one with 400 without asking Naver', async () => {
    const garbage = await signIn('naver', bearer('not-a-naver-token'));
    expect(garbage.status).toBe(401);
    expect(garbage.json).toEqual({ error: 'INVALID_TOKEN', message: 'Naver does not accept the access token (expired, revoked or unknown).' });
    expect(harness.emulator.requestCounts()).toEqual({ 'naver.me': 1 });
    harness.emulator.resetRequestCounts();
    const missing = await signIn('naver');
    expect(missing.status).toBe(400);
    expect(missing.json).toEqual({ error: 'MISSING_TOKEN', message: 'No Naver access token in the request: looked in an Authorization: Bearer header.' });
    const malformed = await signIn('naver', bearer('a'.repeat(2049)));
    expect(malformed.status).toBe(400);
    expect(malformed.json).toEqual({ error: 'MALFORMED_TOKEN', message: 'The access token is longer than 2048 characters.' });
    expect(harness.emulator.requestCounts()).toEqual({});
  });
});

describe('expired tokens', () => {
  it('refuses a Kakao and a Naver token past their lifetime with 401 INVALID_TOKEN', async () => {
    const kakao = await harness.emulator.issueSDKTokens({ provider: 'kakao', user: 'kakao-full', platform: 'javascript' });
    const naver = await harness.emulator.issueSDKTokens({ provider: 'naver', user: 'naver-full' });
    harness.emulator.advanceTime(24 * 3600 * 1000);
    const expiredKakao = await signIn('kakao', bearer(kakao.accessToken));
    expect(expiredKakao.status).toBe(401);
    expect(expiredKakao.json).toEqual({ error: 'INVALID_TOKEN', message: 'Kakao does not accept the access token (expired, revoked or unknown).' });
    const expiredNaver = await signIn('naver', bearer(naver.accessToken));
    expect(expiredNaver.status).toBe(401);
    expect(expiredNaver.json).toEqual({ error: 'INVALID_TOKEN', message: 'Naver does not accept the access token (expired, revoked or unknown).' });
  });
});

describe('a provider that cannot check the token', () => {
  it.each([
    ['kakao', 'kakao.tokenInfo', { status: 500, body: '<html>Internal Server Error</html>' }],
    ['kakao', 'kakao.tokenInfo', { body: 'not json at all', contentType: 'text/plain' }],
    ['naver', 'naver.me', { status: 503, body: '<html>503 Service Temporarily Unavailable</html>' }],
  ] as const)('%s: %s answering %j gives 502 provider_unavailable, never a 200 or the token', async (provider, endpoint, fault) => {
    const { accessToken } = await harness.emulator.issueSDKTokens({ provider, user: provider === 'kakao' ? 'kakao-full' : 'naver-full' });
    harness.emulator.injectFault(endpoint, { ...fault, times: 1 });
    try {
      const { status, json, response } = await signIn(provider, bearer(accessToken));
      expect(status).toBe(502);
      expect(json).toEqual({ error: 'provider_unavailable', message: 'The provider could not check the token; try again.' });
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(JSON.stringify(json)).not.toContain(accessToken);
    } finally {
      harness.emulator.clearFaults();
    }
  });
});
