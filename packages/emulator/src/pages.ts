import { escapeHTML } from './http.js';

/** One choice of test user on a consent page. */
export interface UserChoice {
  key: string;
  label: string;
}

/** One consent item on a consent page. */
export interface ConsentChoice {
  item: string;
  label: string;
  checked: boolean;
  /** Shown but not changeable here (Naver: the fields are chosen in the app's console). */
  fixed?: boolean;
}

/**
 * The step a login page is at: `login` (choose the account and enter the password), `reauthenticate` (the password
 * again for a logged-in person: Kakao `prompt=login`, Naver `auth_type=reauthenticate`), `select_account` (Kakao's
 * account chooser), `create` (Kakao's sign-up step), `consent` (a logged-in person agrees to items), `reprompt` (Naver:
 * agree again, able to decline items agreed before).
 */
export type LoginStep = 'login' | 'reauthenticate' | 'select_account' | 'create' | 'consent' | 'reprompt';

/** What a consent page shows. */
export interface ConsentPage {
  provider: 'kakao' | 'naver';
  transaction: string;
  appName: string;
  step: LoginStep;
  /** The test users to choose from (every step but `consent` and `reprompt`). */
  users: UserChoice[];
  consents: ConsentChoice[];
  /** The user ticked first: the person logged in, if any. */
  selectedUser: string | undefined;
  /** The person logged in in this browser (named on `consent` and `reprompt`, marked in the chooser). */
  sessionUser: UserChoice | undefined;
  /** A line under the heading: why this step is shown. */
  note?: string | undefined;
}

const THEMES = {
  kakao: { brand: '#FEE500', ink: '#191919', title: 'kakao', heading: '카카오계정으로 로그인', agree: '동의하고 계속하기', cancel: '취소' },
  naver: { brand: '#03C75A', ink: '#FFFFFF', title: 'NAVER', heading: '네이버 아이디로 로그인', agree: '동의하기', cancel: '취소' },
} as const;

const STEP_HEADINGS: Record<LoginStep, Record<'kakao' | 'naver', string>> = {
  login: { kakao: THEMES.kakao.heading, naver: THEMES.naver.heading },
  reauthenticate: { kakao: '비밀번호 재확인 (enter your password again)', naver: '비밀번호 재확인 (enter your password again)' },
  select_account: { kakao: '계정 선택 (choose an account)', naver: '계정 선택 (choose an account)' },
  create: { kakao: '카카오계정 가입 (sign up)', naver: '네이버 회원가입 (sign up)' },
  consent: { kakao: '동의 항목 (consent)', naver: '정보 제공 동의 (consent)' },
  reprompt: { kakao: '동의 항목 (consent)', naver: '정보 제공 동의 다시 하기 (consent again)' },
};

/**
 * The emulator's login page for one step: the account (and password) where the step asks for them, the consent items,
 * and Agree / Cancel. Agree is the form's default button (Enter approves); Cancel submits a separate form.
 */
export function renderConsentPage(page: ConsentPage): string {
  const theme = THEMES[page.provider];
  const chooseAccount = page.step !== 'consent' && page.step !== 'reprompt';
  const selected = page.selectedUser ?? page.users[0]?.key;
  const users = page.users
    .map(
      (user) => `<label class="choice"><input type="radio" name="user" value="${escapeHTML(user.key)}"${
        user.key === selected ? ' checked' : ''
      } data-testid="user-${escapeHTML(user.key)}"> ${escapeHTML(user.label)}${
        page.step === 'select_account' && user.key === page.sessionUser?.key ? ' <span class="muted">(logged in)</span>' : ''
      }</label>`,
    )
    .join('\n');
  const account = chooseAccount
    ? `<h2>${page.step === 'create' ? 'Test user who signs up' : 'Test user'}</h2>\n    ${users}`
    : `<p data-testid="session-user">Logged in as <strong>${escapeHTML(page.sessionUser?.label ?? '')}</strong></p>
    <input type="hidden" name="user" value="${escapeHTML(page.sessionUser?.key ?? '')}">`;
  // The emulator accepts any password; the field shows that this step asks for it.
  const password = page.step === 'login' || page.step === 'reauthenticate' || page.step === 'create'
    ? `<h2>Password</h2>\n    <input class="password" type="password" name="password" value="emulator" autocomplete="off" data-testid="password"> <span class="muted">(any password works here)</span>`
    : '';
  const consents = page.consents.length === 0
    ? '<p class="muted">This app asks for no profile items beyond the identifier.</p>'
    : page.consents
        .map((c) => `<label class="choice"><input type="checkbox" name="consent" value="${escapeHTML(c.item)}"${c.checked ? ' checked' : ''}${c.fixed ? ' disabled' : ''}> ${escapeHTML(c.label)}</label>`)
        .join('\n');
  const transaction = `<input type="hidden" name="transaction" value="${escapeHTML(page.transaction)}">`;
  return `<!doctype html>
<html lang="ko">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${STEP_HEADINGS[page.step][page.provider]} — emulator</title>
<style>
  body { margin: 0; font-family: system-ui, -apple-system, "Apple SD Gothic Neo", sans-serif; background: #f5f5f5; color: #191919; }
  header { background: ${theme.brand}; color: ${theme.ink}; padding: 18px 24px; font-weight: 800; font-size: 22px; letter-spacing: -0.5px; }
  header small { font-weight: 500; font-size: 13px; margin-left: 8px; opacity: .8; }
  main { max-width: 460px; margin: 24px auto; background: #fff; border-radius: 12px; padding: 24px; box-shadow: 0 1px 4px rgba(0,0,0,.08); }
  h1 { font-size: 18px; margin: 0 0 4px; } h2 { font-size: 14px; margin: 20px 0 8px; color: #555; }
  .choice { display: block; padding: 8px 4px; border-bottom: 1px solid #eee; cursor: pointer; }
  .password { width: 60%; padding: 8px; border: 1px solid #ccc; border-radius: 6px; }
  .muted { color: #777; font-size: 14px; } .note { background: #fff8d6; padding: 8px; border-radius: 6px; font-size: 14px; }
  .buttons { display: flex; gap: 8px; margin-top: 24px; }
  button { flex: 1; border: 0; border-radius: 8px; padding: 14px; font-size: 15px; font-weight: 700; cursor: pointer; }
  .agree { background: ${theme.brand}; color: ${theme.ink}; } .cancel { background: #e9e9e9; color: #333; }
  footer { text-align: center; color: #999; font-size: 12px; margin: 16px; }
</style>
</head>
<body>
<header>${theme.title}<small>local emulator</small></header>
<main data-step="${page.step}">
  <h1>${STEP_HEADINGS[page.step][page.provider]}</h1>
  <p class="muted"><strong>${escapeHTML(page.appName)}</strong> wants to sign you in.</p>
  ${page.note ? `<p class="note" data-testid="note">${escapeHTML(page.note)}</p>` : ''}
  <form id="decision-form" method="post" action="/__emulator/decision">
    ${transaction}
    ${account}
    ${password}
    <h2>Consent items</h2>
    ${consents}
    <div class="buttons">
      <button class="cancel" type="submit" form="cancel-form" name="decision" value="cancel">${theme.cancel} (Cancel)</button>
      <button class="agree" type="submit" name="decision" value="agree" autofocus>${theme.agree} (Agree)</button>
    </div>
  </form>
  <form id="cancel-form" method="post" action="/__emulator/decision">${transaction}</form>
</main>
<footer>Not the real ${page.provider === 'kakao' ? 'Kakao' : 'Naver'}: a local emulator for development and tests.</footer>
</body>
</html>`;
}

/**
 * The provider's own error page, shown instead of a redirect for configuration errors (e.g. KOE006), with an optional
 * paragraph on how to fix it in the emulator.
 */
export function renderErrorPage(provider: 'kakao' | 'naver', title: string, detail: string, help?: string): string {
  const theme = THEMES[provider];
  const fix = help ? `<h2 style="font-size:16px">In the emulator</h2><p data-testid="help" style="white-space:pre-wrap">${escapeHTML(help)}</p>` : '';
  return `<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>${escapeHTML(title)}</title></head>
<body style="margin:0;font-family:system-ui,sans-serif"><header style="background:${theme.brand};color:${theme.ink};padding:18px 24px;font-weight:800">${theme.title}</header>
<main style="max-width:620px;margin:32px auto"><h1 style="font-size:20px">${escapeHTML(title)}</h1><p>${escapeHTML(detail)}</p>${fix}</main></body></html>`;
}

/** One test user on the account page, with the apps they are connected to. */
export interface AccountPageUser {
  key: string;
  label: string;
  apps: Array<{ clientId: string; webhook: string | undefined }>;
}

/** What happened to one webhook call, as the account page reports it. */
export interface AccountPageResult {
  clientId: string;
  url: string;
  status: number | undefined;
  delivered: boolean;
  error: string | undefined;
}

/**
 * The emulator's account page for one provider: each test user's connected apps, with "Unlink" per app and "Delete
 * account", which call the apps' registered webhooks (Kakao A9, Naver B7).
 */
export function renderAccountPage(provider: 'kakao' | 'naver', users: AccountPageUser[], results: AccountPageResult[] | undefined, message?: string): string {
  const theme = THEMES[provider];
  const button = (user: string, action: string, label: string, client?: string) =>
    `<form method="post" action="/__emulator/account" style="display:inline"><input type="hidden" name="provider" value="${provider}"><input type="hidden" name="user" value="${escapeHTML(user)}">${
      client ? `<input type="hidden" name="client" value="${escapeHTML(client)}">` : ''
    }<button class="small" type="submit" name="action" value="${action}" data-testid="${action}-${escapeHTML(user)}${client ? `-${escapeHTML(client)}` : ''}">${label}</button></form>`;
  const rows = users.map((user) => {
    const apps = user.apps.length === 0
      ? '<p class="muted">Not connected to any app.</p>'
      : `<ul>${user.apps.map((app) => `<li>${escapeHTML(app.clientId)} <span class="muted">(${app.webhook ? `webhook ${escapeHTML(app.webhook)}` : 'no webhook registered'})</span> ${button(user.key, 'unlink', 'Unlink', app.clientId)}</li>`).join('')}</ul>`;
    return `<section><h2>${escapeHTML(user.label)} <span class="muted">(${escapeHTML(user.key)})</span></h2>${apps}${button(user.key, 'delete', 'Delete account')}</section>`;
  }).join('\n');
  const report = results === undefined ? '' : `<div class="note" data-testid="result">${escapeHTML(message ?? '')}${results.length === 0 ? ' No webhook was registered.' : ''}<ul>${results.map((r) => `<li>${escapeHTML(r.clientId)} → ${escapeHTML(r.url)}: ${r.status === undefined ? `failed (${escapeHTML(r.error ?? '')})` : `HTTP ${r.status}${r.delivered ? '' : ' (not counted as delivered)'}`}</li>`).join('')}</ul></div>`;
  return `<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>${theme.title} account — emulator</title>
<style>body{margin:0;font-family:system-ui,sans-serif;background:#f5f5f5}header{background:${theme.brand};color:${theme.ink};padding:18px 24px;font-weight:800}
main{max-width:620px;margin:24px auto;background:#fff;border-radius:12px;padding:24px}section{border-bottom:1px solid #eee;padding:8px 0}
.muted{color:#777;font-size:14px}.note{background:#fff8d6;padding:8px;border-radius:6px}button.small{margin-left:8px;padding:4px 10px}</style></head>
<body><header>${theme.title} <small>local emulator: account settings</small></header>
<main data-testid="account-page"><h1 style="font-size:18px">Connected apps</h1>
<p class="muted">What a person does in their ${provider === 'kakao' ? 'Kakao' : 'Naver'} account settings: unlink an app, or delete the account. The apps' registered webhooks are called.</p>
${report}
${rows}
</main></body></html>`;
}
