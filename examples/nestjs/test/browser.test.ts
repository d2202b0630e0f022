/**
 * The NestJS example in a real browser: Debian's Chromium driven by playwright-core, against the app on the emulator's
 * interactive pages. In CI (CI=true) it must run; elsewhere it skips, saying why, when /usr/bin/chromium is missing.
 * Screenshots go to examples/nestjs/test-results/.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from './helpers.js';
import { startHarness } from './helpers.js';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
const screenshots = join(__dirname, '..', 'test-results');

if (!available && process.env['CI'] === 'true') {
  throw new Error(`${CHROMIUM} is missing: CI must install it (apt-get install -y chromium) so the browser test runs`);
}
if (!available) console.warn(`Skipping the browser test: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH).`);

describe.skipIf(!available)('in a real browser', () => {
  let harness: Harness;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    harness = await startHarness();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      // This machine has no internet: keep Chromium from reaching for Google's services.
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await harness?.close();
  });

  async function newPage(): Promise<Page> {
    const context = await browser.newContext();
    return context.newPage();
  }

  it.each([
    ['kakao', 'kakao-full', '홍길동', 'unlinked from your Kakao account'],
    ['naver', 'naver-full', 'OpenAPI', 'Naver tokens are revoked'],
  ] as const)('%s: button, consent page, signed in with a JWT cookie, /me, then deletes the account', async (provider, user, name, deleted) => {
    const page = await newPage();
    await page.goto(harness.url);
    await page.click(`[data-testid="login-${provider}"]`);
    await page.waitForURL(`${harness.emulator.url}/**`);
    await page.check(`[data-testid="user-${user}"]`);
    await page.click('button[value="agree"]');
    await page.waitForURL(`${harness.url}/`);
    expect(await page.textContent('[data-testid="display-name"]')).toBe(name);
    await page.screenshot({ path: join(screenshots, `${provider}-signed-in.png`), fullPage: true });
    const cookies = await page.context().cookies(harness.url);
    const session = cookies.find((cookie) => cookie.name === 'app_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    // The login's transaction cookie is gone once the callback ran.
    expect(cookies.filter((cookie) => cookie.name.startsWith('oauth2_login'))).toEqual([]);
    const me = await page.goto(`${harness.url}/me`);
    expect(me?.status()).toBe(200);
    expect(await me?.json()).toMatchObject({ provider, displayName: name });
    await page.goto(harness.url);
    // The form's POST carries the page's Origin, which the CSRF check accepts.
    await page.click('[data-testid="delete-account"]');
    await page.waitForURL(`${harness.url}/?notice=${provider}-deleted`);
    expect(await page.textContent('[data-testid="notice"]')).toContain(deleted);
    expect((await page.context().cookies(harness.url)).map((cookie) => cookie.name)).not.toContain('app_session');
    await page.context().close();
  });

  it('Cancel lands on the failure page with its reason code', async () => {
    const page = await newPage();
    await page.goto(harness.url);
    await page.click('[data-testid="login-kakao"]');
    await page.waitForURL(`${harness.emulator.url}/**`);
    await page.click('button[value="cancel"]');
    await page.waitForURL(`${harness.url}/auth/kakao/callback?**`);
    expect(await page.textContent('[data-testid="failure-title"]')).toBe('Kakao login did not complete');
    expect(await page.textContent('[data-testid="failure-code"]')).toBe('access_denied');
    await page.screenshot({ path: join(screenshots, 'kakao-cancelled.png'), fullPage: true });
    await page.context().close();
  });

  it('?prompt=login makes Kakao ask for the password again, although the browser has a Kakao session', async () => {
    const page = await newPage();
    await page.goto(harness.url);
    await page.click('[data-testid="login-kakao"]');
    await page.check('[data-testid="user-kakao-full"]');
    await page.click('button[value="agree"]');
    await page.waitForURL(`${harness.url}/`);
    await page.click('[data-testid="logout"]');
    await page.waitForURL(`${harness.url}/?notice=logged-out`);
    // Without prompt=login the emulator's session signs the person straight back in…
    await page.click('[data-testid="login-kakao"]');
    await page.waitForURL(`${harness.url}/`);
    expect(await page.textContent('[data-testid="display-name"]')).toBe('홍길동');
    await page.click('[data-testid="logout"]');
    await page.waitForURL(`${harness.url}/?notice=logged-out`);
    // …with it, Kakao shows its password step first.
    await page.click('a[href="/auth/kakao?prompt=login"]');
    await page.waitForURL(`${harness.emulator.url}/**`);
    expect(await page.getAttribute('main', 'data-step')).toBe('reauthenticate');
    await page.screenshot({ path: join(screenshots, 'kakao-prompt-login.png'), fullPage: true });
    await page.click('button[value="agree"]');
    await page.waitForURL(`${harness.url}/`);
    expect(await page.textContent('[data-testid="display-name"]')).toBe('홍길동');
    await page.context().close();
  });
});
