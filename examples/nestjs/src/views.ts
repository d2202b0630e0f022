/** The app's pages, server-rendered; every value that is not a fixed string of this file goes through `escapeHtml`. */
import type { ProviderName } from './config.js';

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

const LABEL: Record<ProviderName, string> = { kakao: 'Kakao', naver: 'Naver' };

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;line-height:1.5}
a.button,button{display:inline-block;padding:.6rem 1.2rem;border-radius:6px;border:0;font-size:1rem;text-decoration:none;cursor:pointer;margin:.25rem 0}
code{background:#f3f3f3;padding:.1rem .3rem;border-radius:3px}</style></head>
<body>
${body}
</body>
</html>
`;
}

export interface HomeView {
  modes: Record<ProviderName, 'real' | 'emulator'>;
  /** The signed-in user, if any. */
  user: { provider: ProviderName; displayName: string; id: string } | undefined;
  notice: string | undefined;
}

export function homePage(view: HomeView): string {
  const where = (provider: ProviderName) =>
    `${LABEL[provider]}: ${view.modes[provider] === 'emulator' ? 'the local emulator (no keys needed)' : 'the real service'}`;
  const notice = view.notice ? `<p data-testid="notice">${escapeHtml(view.notice)}</p>\n` : '';
  const signedIn = view.user
    ? `<p>Signed in with ${LABEL[view.user.provider]} as <strong data-testid="display-name">${escapeHtml(view.user.displayName || view.user.id)}</strong>.
<a href="/me">/me</a> shows the session as JSON.</p>
<form method="post" action="/account/delete"><button type="submit" data-testid="delete-account" style="background:#c62828;color:#fff">Delete my account (${
        view.user.provider === 'kakao' ? 'unlink from Kakao' : 'revoke at Naver'
      })</button></form>
<form method="post" action="/logout"><button type="submit" data-testid="logout">Log out</button></form>`
    : `<p><a class="button" data-testid="login-kakao" href="/auth/kakao" style="background:#FEE500;color:#191919">Login with Kakao</a>
<a class="button" data-testid="login-naver" href="/auth/naver" style="background:#03C75A;color:#FFFFFF">Login with Naver</a></p>
<p><a href="/auth/kakao?prompt=login">Kakao, asking for the password again</a> · <a href="/auth/naver?auth_type=reprompt">Naver, asking again for declined items</a></p>`;
  return layout(
    'NestJS example: Login with Kakao and Naver',
    `<h1>NestJS + passport-kakao-ts + passport-naver-ts</h1>
${notice}${signedIn}
<p><small>${escapeHtml(where('kakao'))} · ${escapeHtml(where('naver'))}</small></p>`,
  );
}

export interface FailureView {
  provider: ProviderName | undefined;
  /** What happened, in a sentence. */
  what: string;
  /** What the person can do. */
  tryThis: string;
  /** A stable reason code (`access_denied`, `STATE_MISMATCH`, `KOE320`, `TIMEOUT`…). */
  code: string;
}

export function failurePage(view: FailureView): string {
  const title = view.provider ? `${LABEL[view.provider]} login did not complete` : 'That did not work';
  return layout(
    title,
    `<h1 data-testid="failure-title">${escapeHtml(title)}</h1>
<p data-testid="failure-what">${escapeHtml(view.what)}</p>
<p>${escapeHtml(view.tryThis)}</p>
<p>Reason code: <code data-testid="failure-code">${escapeHtml(view.code)}</code></p>
<p><a href="/">Back to the start page</a></p>`,
  );
}

export function notFoundPage(): string {
  return layout('Not found', '<h1>Not found</h1><p><a href="/">Back to the start page</a></p>');
}
