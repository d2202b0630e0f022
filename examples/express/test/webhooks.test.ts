/**
 * The providers' unlink calls (issue 15), as `pnpm start` wires them: the example starts the emulator with its webhook
 * URLs registered, a test user unlinks the app (programmatically, or with the emulator's account-page buttons over
 * HTTP), and the event shows on the app's `/webhooks` page; that user's session ends. Forged calls are refused with a
 * bare 401 and leave the page as it was.
 */
import { naverUserId, signNaverDeauthorizeCallback } from 'kakao-naver-emulator';
import type { Emulator } from 'kakao-naver-emulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EMULATOR_KAKAO_ADMIN_KEY } from '../src/config.js';
import { start } from '../src/main.js';
import type { Running } from '../src/main.js';
import { CookieJar, waitFor } from './helpers.js';

let running: Running;
let emulator: Emulator;
let app = '';
const lines: string[] = [];
const warnings: string[] = [];

beforeAll(async () => {
  running = await start({ PORT: '0', EMULATOR_PORT: '0' }, (line) => lines.push(line), (line) => warnings.push(line));
  emulator = running.emulator!;
  app = `http://127.0.0.1:${running.port}`;
});
afterAll(() => running.close());
beforeEach(() => emulator.setAutoApprove({}));

interface EventRow { provider: string; type: string; userId: string; referrerType: string }

/** The rows of the `/webhooks` page, newest first. */
async function events(): Promise<EventRow[]> {
  const page = await (await fetch(`${app}/webhooks`)).text();
  return [...page.matchAll(/<tr data-testid="webhook-event">\s*<td>(\w+)<\/td><td data-testid="event-type">([^<]*)<\/td><td><code data-testid="event-user">([^<]*)<\/code><\/td>\s*<td data-testid="event-referrer">([^<]*)<\/td>/g)]
    .map(([, provider = '', type = '', userId = '', referrerType = '']) => ({ provider, type, userId, referrerType }));
}

/** Waits (at most 3 s) for the page to list `count` events, and returns them. */
const eventsOnceThere = (count: number) => waitFor(async () => {
  const rows = await events();
  return rows.length >= count ? rows : undefined;
});

/** Logs `user` in through the app and the emulator; returns the browser and the id the app's profile page shows. */
async function login(provider: 'kakao' | 'naver', user: string): Promise<{ browser: CookieJar; id: string }> {
  emulator.setAutoApprove({ [provider]: user });
  const browser = new CookieJar();
  const startLogin = await browser.get(`${app}/auth/${provider}`);
  const consent = await fetch(startLogin.headers.get('location')!, { redirect: 'manual' });
  const done = await browser.get(consent.headers.get('location')!);
  expect(done.headers.get('location')).toBe('/profile');
  const profile = await browser.get(`${app}/profile`);
  expect(profile.status).toBe(200);
  const id = /data-testid="user-id">([^<]+)</.exec(await profile.text())?.[1];
  return { browser, id: id! };
}

/** The session ended by the unlink: the next request signs out with the notice, and the session is gone after. */
async function expectSignedOut(browser: CookieJar): Promise<void> {
  const next = await browser.get(`${app}/profile`);
  expect(next.status).toBe(302);
  expect(next.headers.get('location')).toBe('/?notice=unlinked-at-provider');
  expect(browser.cookies.has('sid')).toBe(false);
  const home = await (await browser.get(`${app}/?notice=unlinked-at-provider`)).text();
  expect(home).toContain('<div class="card" data-testid="notice">You unlinked this app at Kakao or Naver (or deleted your account there), so you are signed out.</div>');
}

it('says at start where both callbacks listen, registered with the emulator it started, and that the token routes are on', () => {
  expect(lines).toContain('  Kakao unlink webhook: /webhooks/kakao/unlink, GET and POST (registered with the emulator)');
  expect(lines).toContain('  Naver deauthorize callback: /webhooks/naver/deauthorize (registered with the emulator)');
  expect(lines).toContain('  SDK-token sign-in: Kakao POST /auth/kakao/token; Naver POST /auth/naver/token');
});

it('shows no event before any call, and links the page from the home page', async () => {
  const page = await (await fetch(`${app}/webhooks`)).text();
  expect(page).toContain('<p data-testid="no-webhook-events">None yet.</p>');
  expect(page).toContain('<li>Kakao: <code>/webhooks/kakao/unlink</code></li>');
  expect(await (await fetch(`${app}/`)).text()).toContain('<a href="/webhooks" data-testid="webhooks-link">');
});

describe('a user unlinks the app at the provider', () => {
  it('Kakao (emulator.unlinkApp): the webhook is called with the admin key, the event shows, and the user is signed out', async () => {
    const { browser, id } = await login('kakao', 'kakao-full');
    expect(id).toBe('4012345678');
    const deliveries = await emulator.unlinkApp('kakao', 'kakao-full', emulator.kakao.clientID);
    expect(deliveries).toEqual([{ provider: 'kakao', clientId: emulator.kakao.clientID, url: `${app}/webhooks/kakao/unlink`, status: 200, delivered: true, error: undefined }]);
    expect(await eventsOnceThere(1)).toEqual([{ provider: 'Kakao', type: 'unlink', userId: '4012345678', referrerType: 'UNLINK_FROM_APPS' }]);
    await expectSignedOut(browser);
    // Logging in again afterwards is a new consent: that session stays.
    const again = await login('kakao', 'kakao-full');
    expect((await again.browser.get(`${app}/profile`)).status).toBe(200);
  });

  it('Naver (the account page\'s Unlink button, over HTTP): the signed callback arrives with this app\'s id for the user', async () => {
    const { browser, id } = await login('naver', 'naver-full');
    expect(id).toBe(naverUserId(emulator.naver.clientID, emulator.users.naver.find((u) => u.key === 'naver-full')!));
    const page = await (await fetch(`${emulator.url}/__emulator/account?provider=naver`)).text();
    expect(page).toContain(`data-testid="unlink-naver-full-${emulator.naver.clientID}"`);
    const after = await fetch(`${emulator.url}/__emulator/account`, {
      method: 'POST',
      body: new URLSearchParams({ provider: 'naver', user: 'naver-full', client: emulator.naver.clientID, action: 'unlink' }),
    });
    expect(after.status).toBe(200);
    expect(await after.text()).toContain(`<li>${emulator.naver.clientID} → ${app}/webhooks/naver/deauthorize: HTTP 204</li>`);
    const rows = await eventsOnceThere(2);
    expect(rows[0]).toEqual({ provider: 'Naver', type: 'deauthorize', userId: id, referrerType: '—' });
    await expectSignedOut(browser);
  });

  it('Kakao account deletion (the Delete account button): ACCOUNT_DELETE', async () => {
    await emulator.issueSDKTokens({ provider: 'kakao', user: 'kakao-nickname' });
    const after = await fetch(`${emulator.url}/__emulator/account`, { method: 'POST', body: new URLSearchParams({ provider: 'kakao', user: 'kakao-nickname', action: 'delete' }) });
    expect(after.status).toBe(200);
    const userId = emulator.users.kakao.find((u) => u.key === 'kakao-nickname')!.id;
    const rows = await eventsOnceThere(3);
    expect(rows[0]).toEqual({ provider: 'Kakao', type: 'unlink', userId, referrerType: 'ACCOUNT_DELETE' });
  });
});

describe('forged calls straight at the app', () => {
  it('refuses a wrong or missing admin key and a tampered Naver callback with a bare 401, and the page is unchanged', async () => {
    const before = await events();
    const kakaoForm = new URLSearchParams({ app_id: '100001', user_id: '4012345678', referrer_type: 'UNLINK_FROM_APPS' }).toString();
    const form = { 'Content-Type': 'application/x-www-form-urlencoded' };
    const answers: Array<[string, number, string, string[]]> = [];
    const send = async (label: string, url: string, init: RequestInit) => {
      const response = await fetch(url, init);
      answers.push([label, response.status, await response.text(), response.headers.getSetCookie()]);
    };
    await send('kakao wrong key', `${app}/webhooks/kakao/unlink`, { method: 'POST', headers: { ...form, Authorization: 'KakaoAK wrong-admin-key' }, body: kakaoForm });
    await send('kakao no key', `${app}/webhooks/kakao/unlink`, { method: 'POST', headers: form, body: kakaoForm });
    await send('kakao GET wrong key', `${app}/webhooks/kakao/unlink?${kakaoForm}`, { headers: { Authorization: 'KakaoAK wrong-admin-key' } });
    // The right key but another app's id: refused too.
    await send('kakao other app', `${app}/webhooks/kakao/unlink`, { method: 'POST', headers: { ...form, Authorization: `KakaoAK ${EMULATOR_KAKAO_ADMIN_KEY}` }, body: kakaoForm.replace('100001', '200001') });

    const fields = signNaverDeauthorizeCallback({ clientID: emulator.naver.clientID, clientSecret: emulator.naver.clientSecret, userId: 'forged-user' });
    const flip = (value: string) => (value.endsWith('A') ? `${value.slice(0, -1)}B` : `${value.slice(0, -1)}A`);
    await send('naver tampered signature', `${app}/webhooks/naver/deauthorize`, { method: 'POST', headers: form, body: new URLSearchParams({ ...fields, signature: flip(fields.signature) }) });
    await send('naver tampered encryptUniqueId', `${app}/webhooks/naver/deauthorize`, { method: 'POST', headers: form, body: new URLSearchParams({ ...fields, encryptUniqueId: flip(fields.encryptUniqueId) }) });
    const stale = signNaverDeauthorizeCallback({ clientID: emulator.naver.clientID, clientSecret: emulator.naver.clientSecret, userId: 'forged-user', timestamp: Math.floor(Date.now() / 1000) - 3600 });
    await send('naver stale timestamp', `${app}/webhooks/naver/deauthorize`, { method: 'POST', headers: form, body: new URLSearchParams({ ...stale }) });

    expect(answers).toEqual([
      ['kakao wrong key', 401, '', []],
      ['kakao no key', 401, '', []],
      ['kakao GET wrong key', 401, '', []],
      ['kakao other app', 401, '', []],
      ['naver tampered signature', 401, '', []],
      ['naver tampered encryptUniqueId', 401, '', []],
      ['naver stale timestamp', 401, '', []],
    ]);
    // The refusals are logged by code, after the answer; no key, signature or id in them.
    const refusals = await waitFor(async () => (warnings.length >= 7 ? warnings : undefined));
    expect(refusals).toEqual([
      'Kakao unlink webhook refused: BAD_AUTHORIZATION (HTTP 401)',
      'Kakao unlink webhook refused: BAD_AUTHORIZATION (HTTP 401)',
      'Kakao unlink webhook refused: BAD_AUTHORIZATION (HTTP 401)',
      'Kakao unlink webhook refused: APP_MISMATCH (HTTP 401)',
      'Naver deauthorize webhook refused: BAD_SIGNATURE (HTTP 401)',
      'Naver deauthorize webhook refused: BAD_SIGNATURE (HTTP 401)',
      'Naver deauthorize webhook refused: STALE_TIMESTAMP (HTTP 401)',
    ]);
    // Give any (wrongly) accepted call the time a real one takes to show, then compare.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await events()).toEqual(before);
  });

  it('is not behind the CSRF check or the session: a genuine call with no cookie and no token is taken, and sets no cookie', async () => {
    const before = await events();
    const response = await fetch(`${app}/webhooks/kakao/unlink`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: `KakaoAK ${EMULATOR_KAKAO_ADMIN_KEY}` },
      body: new URLSearchParams({ app_id: '100001', user_id: '9223372036854775807', referrer_type: 'UNLINK_FROM_ADMIN' }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.getSetCookie()).toEqual([]);
    const rows = await eventsOnceThere(before.length + 1);
    // A Long above 2^53 kept exactly, as digits.
    expect(rows[0]).toEqual({ provider: 'Kakao', type: 'unlink', userId: '9223372036854775807', referrerType: 'UNLINK_FROM_ADMIN' });
  });
});
