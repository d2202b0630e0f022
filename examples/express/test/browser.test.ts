/**
 * A person's first five minutes, in a real browser: Debian's Chromium driven by playwright-core, against the example
 * app on the emulator's interactive consent pages. In CI (CI=true) it must run; elsewhere it skips, saying why, when
 * /usr/bin/chromium is missing. Screenshots go to examples/express/test-results/.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from './helpers.js';
import { startHarness } from './helpers.js';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
const screenshots = fileURLToPath(new URL('../test-results/', import.meta.url));

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
    await harness.listen();
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
    ['kakao', 'kakao-full', '홍길동'],
    ['naver', 'naver-full', 'OpenAPI'],
  ] as const)('logs in with %s: button, consent page, profile, then refreshes and unlinks or revokes', async (provider, user, name) => {
    const page = await newPage();
    await page.goto(harness.url);
    await page.click(`[data-testid="login-${provider}"]`);
    await page.waitForURL(`${harness.emulator.url}/**`);
    await page.screenshot({ path: `${screenshots}${provider}-consent.png`, fullPage: true });
    await page.check(`[data-testid="user-${user}"]`);
    await page.click('button[value="agree"]');
    await page.waitForURL(`${harness.url}/profile`);
    expect(await page.textContent('[data-testid="display-name"]')).toBe(name);
    await page.screenshot({ path: `${screenshots}${provider}-profile.png`, fullPage: true });
    await page.click('[data-testid="refresh"]');
    await page.waitForURL(`${harness.url}/profile`);
    expect(await page.textContent('[data-testid="notice"]')).toMatch(/^Refreshed: a new access token/);
    await page.screenshot({ path: `${screenshots}${provider}-refreshed.png`, fullPage: true });
    await page.click(`[data-testid="${provider === 'kakao' ? 'unlink' : 'revoke'}"]`);
    await page.waitForURL(`${harness.url}/?notice=${provider === 'kakao' ? 'kakao-unlink' : 'naver-revoke'}`);
    expect(await page.textContent('[data-testid="notice"]')).toMatch(provider === 'kakao' ? /unlinked/ : /revoked/);
    await page.context().close();
  });

  it('shows the failure page when the person presses Cancel', async () => {
    const page = await newPage();
    await page.goto(harness.url);
    await page.click('[data-testid="login-kakao"]');
    await page.waitForURL(`${harness.emulator.url}/**`);
    await page.click('button[value="cancel"]');
    await page.waitForURL(`${harness.url}/login/failed?provider=kakao`);
    expect(await page.textContent('[data-testid="failure-title"]')).toBe('Kakao login did not complete');
    expect(await page.textContent('[data-testid="failure-code"]')).toBe('access_denied');
    await page.screenshot({ path: `${screenshots}kakao-cancelled.png`, fullPage: true });
    await page.context().close();
  });

  it('completes a login after 40 unfinished ones in the same browser (LOGIN_STATE=cookie): the pending logins stay bounded', async () => {
    const cookieHarness = await startHarness({}, { LOGIN_STATE: 'cookie', LOGIN_STATE_SECRET: 'c0ffee'.repeat(8) });
    await cookieHarness.listen();
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      // 40 starts left on the consent page: double clicks, retries, tabs given up on.
      for (let i = 0; i < 40; i += 1) {
        await page.goto(`${cookieHarness.url}/auth/kakao`);
        await page.waitForURL(`${cookieHarness.emulator.url}/**`);
      }
      const pending = (await context.cookies(`${cookieHarness.url}/auth/kakao/callback`)).filter((cookie) => cookie.name.startsWith('oauth2_login'));
      // Five logins and their list, never 40 cookies: the callback's Cookie header stays under 4 KB.
      expect(pending.filter((cookie) => !cookie.name.startsWith('oauth2_login.pending-'))).toHaveLength(5);
      expect(pending.map((cookie) => `${cookie.name}=${cookie.value}`).join('; ').length).toBeLessThan(4096);
      await page.goto(`${cookieHarness.url}/auth/kakao`);
      await page.waitForURL(`${cookieHarness.emulator.url}/**`);
      await page.check('[data-testid="user-kakao-full"]');
      await page.click('button[value="agree"]');
      await page.waitForURL(`${cookieHarness.url}/profile`);
      expect(await page.textContent('[data-testid="display-name"]')).toBe('홍길동');
    } finally {
      await context.close();
      await cookieHarness.close();
    }
  });
});
