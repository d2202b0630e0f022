/**
 * The login pages as the providers show them (issue 18): sessions, prompt / auth_type, KOE205, KOE006 help, the
 * consent page's buttons, Naver's required state and declinable items.
 */
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_KAKAO_BASIC_CLIENT, startEmulator } from '../src/index.js';
import type { Emulator } from '../src/index.js';
import { KAKAO_CALLBACK, NAVER_CALLBACK, bearer, get, location, postForm } from './helpers.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => emulator.setAutoApprove({}));

/** A browser: keeps the emulator's cookies between requests, follows nothing. */
function browser() {
  const jar = new Map<string, string>();
  const remember = (response: Response) => {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, value] = pair!.split('=');
      if (value) jar.set(name!, value);
      else jar.delete(name!);
    }
    return response;
  };
  const cookie = () => ({ Cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') });
  return {
    jar,
    get: async (url: string) => remember(await get(url, cookie())),
    post: async (url: string, form: Record<string, string | string[]>) => {
      const body = new URLSearchParams();
      for (const [key, value] of Object.entries(form)) for (const v of [value].flat()) body.append(key, v);
      return remember(await fetch(url, { method: 'POST', redirect: 'manual', headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...cookie() }, body: body.toString() }));
    },
  };
}
type Browser = ReturnType<typeof browser>;

const kakaoURL = (extra: Record<string, string> = {}, clientId = emulator.kakao.clientID) =>
  `${emulator.kakao.authorizationURL}?${new URLSearchParams({ client_id: clientId, redirect_uri: KAKAO_CALLBACK, response_type: 'code', state: 'k', ...extra })}`;
const naverURL = (extra: Record<string, string> = {}) =>
  `${emulator.naver.authorizationURL}?${new URLSearchParams({ client_id: emulator.naver.clientID, redirect_uri: NAVER_CALLBACK, response_type: 'code', state: 'n', ...extra })}`;
const step = (html: string) => /<main data-step="([a-z_]+)">/.exec(html)?.[1];
const transactionOf = (html: string) => /name="transaction" value="([^"]+)"/.exec(html)![1]!;

/** Opens `url` in `b`, expects a page, and submits Agree as `user` with `consent`. Returns the redirect back. */
async function agree(b: Browser, url: string, user: string, consent: string[]): Promise<URL> {
  const page = await b.get(url);
  expect(page.status).toBe(200);
  return location(await b.post(`${emulator.url}/__emulator/decision`, { transaction: transactionOf(await page.text()), user, consent, decision: 'agree' }));
}

async function kakaoTokens(code: string): Promise<Record<string, unknown>> {
  const response = await postForm(emulator.kakao.tokenURL, {
    grant_type: 'authorization_code', client_id: emulator.kakao.clientID, client_secret: emulator.kakao.clientSecret!, redirect_uri: KAKAO_CALLBACK, code,
  });
  return (await response.json()) as Record<string, unknown>;
}

describe('Kakao login steps and the emulator session', () => {
  it('shows the login step (account, password, consent) first; after Agree the next login comes straight back', async () => {
    const b = browser();
    const page = await (await b.get(kakaoURL())).text();
    expect(step(page)).toBe('login');
    expect(page).toContain('<h1>카카오계정으로 로그인</h1>');
    expect(page).toContain('name="password"');
    const back = await agree(b, kakaoURL(), 'kakao-full', ['profile_nickname']);
    expect([...back.searchParams.keys()]).toEqual(['code', 'state']);
    expect([...b.jar.keys()]).toEqual(['emulator_kakao_session']);
    const again = location(await b.get(kakaoURL()));
    expect([...again.searchParams.keys()]).toEqual(['code', 'state']);
    expect(await kakaoTokens(again.searchParams.get('code')!)).toMatchObject({ scope: 'profile_nickname' });
  });

  it('asks a logged-in person to consent to items they have not agreed to, naming them and what they agreed before', async () => {
    const b = browser();
    await agree(b, kakaoURL(), 'kakao-nickname', ['profile_nickname']);
    const page = await (await b.get(kakaoURL({ scope: 'account_email' }))).text();
    expect(step(page)).toBe('consent');
    expect(page).toContain('<p data-testid="session-user">Logged in as <strong>지히 — shares only a nickname</strong></p>');
    expect(page).not.toContain('name="password"');
    expect(page).toContain('<input type="checkbox" name="consent" value="profile_nickname" checked disabled> 닉네임 (nickname) — agreed before');
    expect(page).toContain('<input type="checkbox" name="consent" value="account_email" checked> 카카오계정 이메일 (email)');
    const back = location(await b.post(`${emulator.url}/__emulator/decision`, { transaction: transactionOf(page), user: 'kakao-nickname', consent: 'account_email', decision: 'agree' }));
    expect((await kakaoTokens(back.searchParams.get('code')!))['scope']).toBe('profile_nickname account_email');
  });

  it('prompt=login asks for the password again with a live session, and the id_token gets the new auth_time', async () => {
    const b = browser();
    const first = await agree(b, kakaoURL({ scope: 'openid' }), 'kakao-full', ['profile_nickname']);
    const firstAuth = decodeJwt(String((await kakaoTokens(first.searchParams.get('code')!))['id_token']))['auth_time'] as number;
    emulator.advanceTime(600 * 1000);
    const silent = location(await b.get(kakaoURL({ scope: 'openid' })));
    expect(decodeJwt(String((await kakaoTokens(silent.searchParams.get('code')!))['id_token']))['auth_time']).toBe(firstAuth);
    const page = await (await b.get(kakaoURL({ scope: 'openid', prompt: 'login' }))).text();
    expect(step(page)).toBe('reauthenticate');
    expect(page).toContain('name="password"');
    expect(page).toContain('<p class="note" data-testid="note">prompt=login: the app asks you to enter your password again, although you are logged in.</p>');
    expect(page).toContain('value="kakao-full" checked');
    const again = location(await b.post(`${emulator.url}/__emulator/decision`, { transaction: transactionOf(page), user: 'kakao-full', decision: 'agree' }));
    const secondAuth = decodeJwt(String((await kakaoTokens(again.searchParams.get('code')!))['id_token']))['auth_time'] as number;
    expect(secondAuth - firstAuth).toBeGreaterThanOrEqual(600);
  });

  it('prompt=none: login_required without a session, consent_required for unagreed items, a code otherwise', async () => {
    const b = browser();
    expect(location(await b.get(kakaoURL({ prompt: 'none' }))).search).toBe('?error=login_required&error_description=user%20authentication%20required.&state=k');
    await agree(b, kakaoURL(), 'kakao-unverified', ['profile_nickname']);
    expect(location(await b.get(kakaoURL({ prompt: 'none', scope: 'account_email' }))).search).toBe('?error=consent_required&error_description=user%20consent%20required.&state=k');
    expect([...location(await b.get(kakaoURL({ prompt: 'none' }))).searchParams.keys()]).toEqual(['code', 'state']);
  });

  it('prompt=select_account shows the account chooser, marking the account logged in; another account logs in instead', async () => {
    const b = browser();
    await agree(b, kakaoURL(), 'kakao-full', ['profile_nickname']);
    const page = await (await b.get(kakaoURL({ prompt: 'select_account' }))).text();
    expect(step(page)).toBe('select_account');
    expect(page).toContain('<h1>계정 선택 (choose an account)</h1>');
    expect(page).toContain('data-testid="user-kakao-full"> 홍길동 — shares everything <span class="muted">(logged in)</span>');
    expect(page).not.toContain('name="password"');
    const back = location(await b.post(`${emulator.url}/__emulator/decision`, { transaction: transactionOf(page), user: 'kakao-bigid', consent: 'profile_nickname', decision: 'agree' }));
    const { access_token } = await kakaoTokens(back.searchParams.get('code')!);
    expect(await (await get(emulator.kakao.tokenInfoURL, bearer(access_token))).text()).toMatch(/^\{"id":1376016924426111111,/);
  });

  it('prompt=create goes to the sign-up step', async () => {
    const page = await (await browser().get(kakaoURL({ prompt: 'create' }))).text();
    expect(step(page)).toBe('create');
    expect(page).toContain('<h1>카카오계정 가입 (sign up)</h1>');
    expect(page).toContain('<h2>Test user who signs up</h2>');
    expect(page).toContain('name="password"');
  });

  it('logging out of the Kakao Account ends the emulator session', async () => {
    const b = browser();
    await agree(b, kakaoURL(), 'kakao-full', ['profile_nickname']);
    const out = await b.get(`${emulator.kakao.accountLogoutURL}?client_id=${emulator.kakao.clientID}&logout_redirect_uri=${encodeURIComponent('http://localhost:3000/')}`);
    expect(out.status).toBe(302);
    expect(b.jar.size).toBe(0);
    expect(step(await (await b.get(kakaoURL())).text())).toBe('login');
  });
});

describe('Kakao configuration errors', () => {
  it('shows KOE205 for a consent item the app has not configured, or openid with OIDC off', async () => {
    const email = await get(kakaoURL({ scope: 'profile_nickname,account_email' }, DEFAULT_KAKAO_BASIC_CLIENT.clientId));
    expect(email.status).toBe(400);
    const html = await email.text();
    expect(html).toContain('<h1 style="font-size:20px">Admin Settings Issue (KOE205)</h1>');
    expect(html).toContain('asked for consent items it has not configured: account_email.');
    expect(html).toContain('consentItems: [&#39;account_email&#39;]');
    const openid = await (await get(kakaoURL({ scope: 'openid' }, DEFAULT_KAKAO_BASIC_CLIENT.clientId))).text();
    expect(openid).toContain('KOE205');
    expect(openid).toContain('oidc: true for openid');
    emulator.setAutoApprove({ kakao: 'kakao-full' });
    expect(location(await get(kakaoURL({ scope: 'profile_nickname' }, DEFAULT_KAKAO_BASIC_CLIENT.clientId))).searchParams.has('code')).toBe(true);
    expect(location(await get(kakaoURL({ scope: 'openid,account_email,phone_number' }))).searchParams.has('code')).toBe(true);
  });

  it('shows KOE006 for an unregistered redirect URI with how to register it in the emulator', async () => {
    const response = await get(`${emulator.kakao.authorizationURL}?client_id=${emulator.kakao.clientID}&redirect_uri=${encodeURIComponent('https://app.example/cb')}&response_type=code`);
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('Admin Settings Issue (KOE006)');
    expect(html).toContain('kakao-naver-emulator --kakao-redirect-uri https://app.example/cb');
    expect(html).toContain('redirectUris: [...DEFAULT_KAKAO_CLIENT.redirectUris, &#39;https://app.example/cb&#39;]');
  });

  it('refuses an unknown autoApprove user, naming the test users', async () => {
    expect(() => emulator.setAutoApprove({ kakao: 'nobody' })).toThrow('Unknown Kakao test user "nobody" for autoApprove; the test users are kakao-full, kakao-nickname, kakao-unverified, kakao-bigid');
    await expect(startEmulator({ autoApprove: { naver: 'nobody' } })).rejects.toThrow('Unknown Naver test user "nobody" for autoApprove; the test users are naver-full, naver-name, naver-id-only, naver-masked');
  });
});

describe('the consent page buttons', () => {
  it('makes Agree the form\'s default button (Enter approves) and puts Cancel in a separate form', async () => {
    for (const url of [kakaoURL(), naverURL()]) {
      const html = await (await get(url)).text();
      const form = /<form id="decision-form"[^>]*>([\s\S]*?)<\/form>/.exec(html)![1]!;
      const buttons = [...form.matchAll(/<button [^>]*>/g)].map((m) => m[0]);
      // The default button is the first submit button the form owns; Cancel belongs to cancel-form.
      expect(buttons.filter((b) => !b.includes(' form="'))[0]).toBe('<button class="agree" type="submit" name="decision" value="agree" autofocus>');
      expect(buttons).toContain('<button class="cancel" type="submit" form="cancel-form" name="decision" value="cancel">');
      expect(html).toContain(`<form id="cancel-form" method="post" action="/__emulator/decision"><input type="hidden" name="transaction" value="${transactionOf(html)}"></form>`);
    }
  });

  it('approves what Enter submits (the default button\'s value) and cancels what the Cancel form submits', async () => {
    const html = await (await get(kakaoURL())).text();
    const entered = location(await postForm(`${emulator.url}/__emulator/decision`, { transaction: transactionOf(html), user: 'kakao-full', password: 'emulator', decision: 'agree' }));
    expect([...entered.searchParams.keys()]).toEqual(['code', 'state']);
    const other = await (await get(kakaoURL())).text();
    const cancelled = location(await postForm(`${emulator.url}/__emulator/decision`, { transaction: transactionOf(other), decision: 'cancel' }));
    expect(cancelled.search).toBe('?error=access_denied&error_description=User%20denied%20access&state=k');
  });
});

describe('Naver login steps', () => {
  it('shares only the profile items the person left ticked', async () => {
    const b = browser();
    const back = await agree(b, naverURL(), 'naver-full', ['nickname', 'name']);
    const token = (await (await postForm(emulator.naver.tokenURL, {
      grant_type: 'authorization_code', client_id: emulator.naver.clientID, client_secret: emulator.naver.clientSecret, code: back.searchParams.get('code')!, state: 'n',
    })).json()) as Record<string, string>;
    const profile = (await (await get(emulator.naver.profileURL, bearer(token['access_token']))).json()) as { response: Record<string, string> };
    expect(Object.keys(profile.response)).toEqual(['id', 'nickname', 'name']);
  });

  it('comes straight back for a connected person; reprompt lets them decline items agreed before; reauthenticate asks for the password', async () => {
    const b = browser();
    await agree(b, naverURL(), 'naver-full', ['nickname', 'email']);
    const straight = location(await b.get(naverURL()));
    expect([...straight.searchParams.keys()]).toEqual(['code', 'state']);
    const reprompt = await (await b.get(naverURL({ auth_type: 'reprompt' }))).text();
    expect(step(reprompt)).toBe('reprompt');
    expect(reprompt).toContain('auth_type=reprompt: agree again; you may decline items you agreed to before.');
    expect(reprompt).toContain('<input type="checkbox" name="consent" value="email" checked> 이메일 주소 (email) (선택 optional)');
    const back = location(await b.post(`${emulator.url}/__emulator/decision`, { transaction: transactionOf(reprompt), user: 'naver-full', consent: 'nickname', decision: 'agree' }));
    const token = (await (await postForm(emulator.naver.tokenURL, {
      grant_type: 'authorization_code', client_id: emulator.naver.clientID, client_secret: emulator.naver.clientSecret, code: back.searchParams.get('code')!, state: 'n',
    })).json()) as Record<string, string>;
    const verify = (await (await get(`${emulator.naver.verifyURL}?info=true`, bearer(token['access_token']))).json()) as { response: Record<string, string> };
    expect(verify.response['allowed_profile']).toBe('id,nickname');
    const reauth = await (await b.get(naverURL({ auth_type: 'reauthenticate' }))).text();
    expect(step(reauth)).toBe('reauthenticate');
    expect(reauth).toContain('name="password"');
    expect(reauth).toContain('auth_type=reauthenticate: the app asks you to enter your password again, although you are logged in.');
  });

  it('ticks required items for good, and grants them even when the form leaves them out', async () => {
    const custom = await startEmulator({
      naver: { clients: [{ clientId: 'req', clientSecret: 'sec', redirectUris: [NAVER_CALLBACK], profileItems: ['name', 'email'], requiredItems: ['email'] }] },
    });
    try {
      const url = `${custom.naver.authorizationURL}?${new URLSearchParams({ client_id: 'req', redirect_uri: NAVER_CALLBACK, response_type: 'code', state: 's' })}`;
      const html = await (await get(url)).text();
      expect(html).toContain('<input type="checkbox" name="consent" value="email" checked disabled> 이메일 주소 (email) (필수 required)');
      expect(html).not.toContain('value="nickname"');
      const back = location(await postForm(`${custom.url}/__emulator/decision`, { transaction: transactionOf(html), user: 'naver-full', decision: 'agree' }));
      const token = (await (await postForm(custom.naver.tokenURL, { grant_type: 'authorization_code', client_id: 'req', client_secret: 'sec', code: back.searchParams.get('code')!, state: 's' })).json()) as Record<string, string>;
      const profile = (await (await get(custom.naver.profileURL, bearer(token['access_token']))).json()) as { response: Record<string, string> };
      expect(Object.keys(profile.response)).toEqual(['id', 'email']);
    } finally {
      await custom.close();
    }
  });

  it('shows how to register a callback URL that is not registered', async () => {
    const response = await get(`${emulator.naver.authorizationURL}?client_id=${emulator.naver.clientID}&redirect_uri=${encodeURIComponent('https://app.example/naver')}&response_type=code&state=s`);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('kakao-naver-emulator --naver-redirect-uri https://app.example/naver');
  });
});
