/**
 * NAVER_OIDC=1: the Naver login on Naver's OpenID Connect endpoints (docs/providers/naver.md B5), through the emulator. The
 * user keeps the legacy `/v1/nid/me` id, so switching it on loses nobody; the id_token is verified with the JWKS,
 * fetched once.
 */
import { naverUserId } from 'kakao-naver-emulator';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from './helpers.js';
import { startHarness, viaEmulator } from './helpers.js';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness({ autoApprove: { naver: 'naver-full' } }, { NAVER_OIDC: '1' });
  await harness.listen();
});
afterAll(() => harness.close());

describe('NAVER_OIDC=1', () => {
  it('logs in through /oauth2/authorize with PKCE and a nonce, keeps the legacy id, and fetches the JWKS once for three logins', async () => {
    harness.emulator.resetRequestCounts();
    const legacyId = naverUserId(harness.emulator.naver.clientID, harness.emulator.users.naver.find((user) => user.key === 'naver-full')!);
    for (let i = 0; i < 3; i += 1) {
      const agent = request.agent(harness.url);
      const start = await agent.get('/auth/naver').expect(302);
      const authorize = new URL(start.headers['location'] as string);
      expect(authorize.pathname).toBe('/oauth2/authorize');
      expect(authorize.searchParams.get('scope')).toBe('openid');
      expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
      expect(authorize.searchParams.get('nonce')).toMatch(/^[A-Za-z0-9_-]{43}$/);
      await agent.get(await viaEmulator(start)).expect(302).expect('location', '/profile');
      const page = (await agent.get('/profile').expect(200)).text;
      expect(page).toContain(`<code data-testid="user-id">${legacyId}</code>`);
    }
    expect(harness.emulator.requestCounts()).toEqual({ 'naver.oidcAuthorize': 3, 'naver.oidcToken': 3, 'naver.me': 3, 'naver.jwks': 1 });
  });
});
