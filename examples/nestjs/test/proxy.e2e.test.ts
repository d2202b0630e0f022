/**
 * The NestJS example behind a TLS-terminating proxy: PUBLIC_ORIGIN and TRUST_PROXY. In a file of its own, since each
 * Nest app registers its strategies with the one global Passport (a second app in app.e2e.test.ts would replace them).
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from './helpers.js';
import { cookieNamed, startHarness } from './helpers.js';

/** The failure page's reason code. */
function failureCode(html: string): string | undefined {
  return /<code data-testid="failure-code">([^<]*)<\/code>/.exec(html)?.[1];
}

describe('behind a TLS-terminating proxy (PUBLIC_ORIGIN, TRUST_PROXY)', () => {
  let proxied: Harness;
  beforeAll(async () => {
    proxied = await startHarness({}, { PUBLIC_ORIGIN: 'https://app.example.com', TRUST_PROXY: 'loopback' });
  });
  afterAll(() => proxied.close());

  it('builds the callback URL from PUBLIC_ORIGIN, not the Host header, and marks the login cookie Secure', async () => {
    const start = await request(proxied.url).get('/auth/naver').set('Host', 'evil.example').set('X-Forwarded-Proto', 'https').expect(302);
    expect(new URL(String(start.headers['location'])).searchParams.get('redirect_uri')).toBe('https://app.example.com/auth/naver/callback');
    expect(cookieNamed(start.headers, 'oauth2_login')).toMatch(/; Path=\/auth\/naver\/callback; HttpOnly; Secure; SameSite=Lax$/);
  });

  it('accepts a POST whose Origin is PUBLIC_ORIGIN, and refuses one from the request\'s own host', async () => {
    await request(proxied.url).post('/logout').set('X-Forwarded-Proto', 'https').set('Origin', 'https://app.example.com').expect(303);
    const refused = await request(proxied.url).post('/logout').set('Origin', proxied.url).expect(403);
    expect(failureCode(refused.text)).toBe('CSRF_ORIGIN');
  });
});
