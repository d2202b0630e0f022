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

/** What a consent page shows. */
export interface ConsentPage {
  provider: 'kakao' | 'naver';
  transaction: string;
  appName: string;
  users: UserChoice[];
  consents: ConsentChoice[];
  selectedUser: string | undefined;
}

const THEMES = {
  kakao: { brand: '#FEE500', ink: '#191919', title: 'kakao', heading: '카카오계정으로 로그인', agree: '동의하고 계속하기', cancel: '취소' },
  naver: { brand: '#03C75A', ink: '#FFFFFF', title: 'NAVER', heading: '네이버 아이디로 로그인', agree: '동의하기', cancel: '취소' },
} as const;

/** The emulator's consent page: pick a test user, see or untick consent items, Agree or Cancel. */
export function renderConsentPage(page: ConsentPage): string {
  const theme = THEMES[page.provider];
  const selected = page.selectedUser ?? page.users[0]?.key;
  const users = page.users
    .map(
      (user) => `<label class="choice"><input type="radio" name="user" value="${escapeHTML(user.key)}"${
        user.key === selected ? ' checked' : ''
      } data-testid="user-${escapeHTML(user.key)}"> ${escapeHTML(user.label)}</label>`,
    )
    .join('\n');
  const consents = page.consents.length === 0
    ? '<p class="muted">This app asks for no profile items beyond the identifier.</p>'
    : page.consents
        .map((c) => `<label class="choice"><input type="checkbox" name="consent" value="${escapeHTML(c.item)}"${c.checked ? ' checked' : ''}${c.fixed ? ' disabled' : ''}> ${escapeHTML(c.label)}</label>`)
        .join('\n');
  return `<!doctype html>
<html lang="ko">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${theme.heading} — emulator</title>
<style>
  body { margin: 0; font-family: system-ui, -apple-system, "Apple SD Gothic Neo", sans-serif; background: #f5f5f5; color: #191919; }
  header { background: ${theme.brand}; color: ${theme.ink}; padding: 18px 24px; font-weight: 800; font-size: 22px; letter-spacing: -0.5px; }
  header small { font-weight: 500; font-size: 13px; margin-left: 8px; opacity: .8; }
  main { max-width: 460px; margin: 24px auto; background: #fff; border-radius: 12px; padding: 24px; box-shadow: 0 1px 4px rgba(0,0,0,.08); }
  h1 { font-size: 18px; margin: 0 0 4px; } h2 { font-size: 14px; margin: 20px 0 8px; color: #555; }
  .choice { display: block; padding: 8px 4px; border-bottom: 1px solid #eee; cursor: pointer; }
  .muted { color: #777; font-size: 14px; }
  .buttons { display: flex; gap: 8px; margin-top: 24px; }
  button { flex: 1; border: 0; border-radius: 8px; padding: 14px; font-size: 15px; font-weight: 700; cursor: pointer; }
  .agree { background: ${theme.brand}; color: ${theme.ink}; } .cancel { background: #e9e9e9; color: #333; }
  footer { text-align: center; color: #999; font-size: 12px; margin: 16px; }
</style>
</head>
<body>
<header>${theme.title}<small>local emulator</small></header>
<main>
  <h1>${theme.heading}</h1>
  <p class="muted"><strong>${escapeHTML(page.appName)}</strong> wants to sign you in.</p>
  <form method="post" action="/__emulator/decision">
    <input type="hidden" name="transaction" value="${escapeHTML(page.transaction)}">
    <h2>Test user</h2>
    ${users}
    <h2>Consent items</h2>
    ${consents}
    <div class="buttons">
      <button class="cancel" type="submit" name="decision" value="cancel">${theme.cancel} (Cancel)</button>
      <button class="agree" type="submit" name="decision" value="agree">${theme.agree} (Agree)</button>
    </div>
  </form>
</main>
<footer>Not the real ${page.provider === 'kakao' ? 'Kakao' : 'Naver'}: a local emulator for development and tests.</footer>
</body>
</html>`;
}

/** The provider's own error page, shown instead of a redirect for configuration errors (e.g. KOE006). */
export function renderErrorPage(provider: 'kakao' | 'naver', title: string, detail: string): string {
  const theme = THEMES[provider];
  return `<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>${escapeHTML(title)}</title></head>
<body style="margin:0;font-family:system-ui,sans-serif"><header style="background:${theme.brand};color:${theme.ink};padding:18px 24px;font-weight:800">${theme.title}</header>
<main style="max-width:520px;margin:32px auto"><h1 style="font-size:20px">${escapeHTML(title)}</h1><p>${escapeHTML(detail)}</p></main></body></html>`;
}
