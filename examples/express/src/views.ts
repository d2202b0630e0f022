/**
 * Server-rendered pages. Every interpolated value goes through `html`'s escaping; nothing here needs a front-end build.
 */

/** A piece of HTML that is already safe to insert. */
class SafeHTML {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

function escape(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Tagged template that escapes interpolations, except nested `html` results and arrays of them. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHTML {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    const parts = Array.isArray(value) ? value : [value];
    out += parts.map((part) => (part instanceof SafeHTML ? part.value : part === undefined || part === null || part === false ? '' : escape(part))).join('');
    out += strings[i + 1] ?? '';
  });
  return new SafeHTML(out);
}

const PROVIDER = {
  kakao: { name: 'Kakao', label: '카카오 로그인 · Login with Kakao', bg: '#FEE500', fg: '#191919' },
  naver: { name: 'Naver', label: '네이버 로그인 · Login with Naver', bg: '#03C75A', fg: '#FFFFFF' },
} as const;

export type ProviderName = keyof typeof PROVIDER;

/** Wraps a page body in the shared layout. */
function layout(title: string, body: SafeHTML): string {
  return html`<!doctype html>
<html lang="ko">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · passport-kakao-ts / passport-naver-ts example</title>
<style>
  body { font-family: system-ui, -apple-system, "Apple SD Gothic Neo", sans-serif; margin: 0; background: #fafafa; color: #1b1b1b; }
  main { max-width: 720px; margin: 40px auto; padding: 0 20px; }
  h1 { font-size: 24px; } .muted { color: #666; }
  .login { display: block; width: 100%; max-width: 360px; box-sizing: border-box; margin: 12px 0; padding: 14px 18px; border-radius: 8px;
           font-size: 16px; font-weight: 700; text-decoration: none; text-align: center; }
  table { border-collapse: collapse; width: 100%; background: #fff; } td, th { border-bottom: 1px solid #eee; padding: 8px; text-align: left; vertical-align: top; }
  pre { background: #1e1e1e; color: #eaeaea; padding: 16px; border-radius: 8px; overflow-x: auto; font-size: 13px; }
  .badge { display: inline-block; border-radius: 4px; padding: 2px 8px; font-size: 12px; font-weight: 700; }
  .card { background: #fff; border-radius: 12px; padding: 20px 24px; box-shadow: 0 1px 4px rgba(0,0,0,.08); margin: 16px 0; }
  button { font: inherit; padding: 10px 16px; border-radius: 8px; border: 1px solid #ccc; background: #fff; cursor: pointer; }
  .avatar { width: 64px; height: 64px; border-radius: 50%; object-fit: cover; float: right; }
</style>
</head>
<body><main>${body}</main></body>
</html>`.value;
}

function loginButton(provider: ProviderName): SafeHTML {
  const p = PROVIDER[provider];
  return html`<a class="login" data-testid="login-${provider}" href="/auth/${provider}" style="background:${p.bg};color:${p.fg}">${p.label}</a>`;
}

/** Home: the two login buttons, and where each provider currently points. */
export function homePage(modes: Record<ProviderName, 'real' | 'emulator' | 'off'>, signedInAs: string | undefined, notice?: string, webhooksPage = false): string {
  const where = (mode: 'real' | 'emulator' | 'off') => (mode === 'real' ? 'the real service' : mode === 'emulator' ? 'the local emulator (no keys needed)' : 'not configured');
  return layout('Home', html`
    <h1>Login with Kakao and Naver</h1>
    ${notice ? html`<div class="card" data-testid="notice">${notice}</div>` : ''}
    <p class="muted">An Express 5 app using <code>passport-kakao-ts</code> and <code>passport-naver-ts</code>.</p>
    ${signedInAs ? html`<p>Signed in as <strong>${signedInAs}</strong> · <a href="/profile">profile</a></p>` : ''}
    ${modes.kakao !== 'off' ? loginButton('kakao') : ''}
    ${modes.naver !== 'off' ? loginButton('naver') : ''}
    <p class="muted">Kakao: ${where(modes.kakao)} · Naver: ${where(modes.naver)}</p>
    ${webhooksPage ? html`<p><a href="/webhooks" data-testid="webhooks-link">Unlink events received from Kakao and Naver</a></p>` : ''}`);
}

/** One row of the webhooks page (see webhooks.ts): no token or key is ever kept, so none can be shown. */
export interface WebhookEventRow {
  provider: ProviderName;
  type: string;
  userId: string;
  referrerType: string | undefined;
  receivedAt: Date;
}

/** The last unlink / deauthorize calls received, newest first. */
export function webhooksPage(events: readonly WebhookEventRow[], urls: Record<ProviderName, string | undefined>, kept: number, emulatorURL: string | undefined): string {
  const rows = events.map((event) => html`<tr data-testid="webhook-event">
      <td>${PROVIDER[event.provider].name}</td><td data-testid="event-type">${event.type}</td><td><code data-testid="event-user">${event.userId}</code></td>
      <td data-testid="event-referrer">${event.referrerType ?? '—'}</td><td><time>${event.receivedAt.toISOString()}</time></td></tr>`);
  const listening = (['kakao', 'naver'] as const).map((provider) =>
    html`<li>${PROVIDER[provider].name}: ${urls[provider] ? html`<code>${urls[provider]}</code>` : 'off'}</li>`);
  return layout('Webhooks', html`
    <h1>Unlink events</h1>
    <p class="muted">Calls from Kakao (unlink webhook) and Naver (deauthorize callback), verified, the last ${kept} kept in
      this process's memory. A user who unlinks the app is signed out of every session that started before.</p>
    <ul>${listening}</ul>
    ${rows.length > 0
      ? html`<table data-testid="webhook-events"><tr><th>Provider</th><th>Event</th><th>User id</th><th>Referrer type</th><th>Received</th></tr>${rows}</table>`
      : html`<p data-testid="no-webhook-events">None yet.</p>`}
    ${emulatorURL ? html`<p class="muted">On the emulator, unlink the app or delete an account on its account pages:
      <a href="${emulatorURL}/__emulator/account?provider=kakao">Kakao</a> · <a href="${emulatorURL}/__emulator/account?provider=naver">Naver</a>.</p>` : ''}
    <p><a href="/">Home</a></p>`);
}

/** What the profile page shows of a signed-in user. */
export interface ProfileView {
  provider: ProviderName;
  id: string;
  displayName: string;
  photo: string | undefined;
  /** The normalized profile, without `_raw` and `_json`. */
  profile: Record<string, unknown>;
  /** The provider's own JSON. */
  raw: unknown;
  /** Granted scopes (Kakao's token response); Naver sets fields in its console instead. */
  scopes: string[] | undefined;
}

/** The hidden field that carries the session's CSRF token in every form that posts. */
function csrfField(csrfToken: string): SafeHTML {
  return html`<input type="hidden" name="_csrf" value="${csrfToken}">`;
}

/** The token buttons of the profile page: what each provider's API offers after login. */
function tokenActions(provider: ProviderName, csrfToken: string): SafeHTML {
  const button = (action: string, label: string) =>
    html`<form method="post" action="/account/${action}" style="display:inline">${csrfField(csrfToken)}<button type="submit" data-testid="${action}">${label}</button></form>`;
  return provider === 'kakao'
    ? html`${button('refresh', 'Refresh token')} ${button('token-info', 'Token info')} ${button('provider-logout', 'Log out of Kakao (revoke tokens)')} ${button('unlink', 'Unlink app')}`
    : html`${button('refresh', 'Refresh token')} ${button('token-info', 'Check token')} ${button('revoke', 'Revoke tokens')}`;
}

/** The signed-in user's normalized profile, the provider's raw JSON, and the granted scopes. */
export function profilePage(view: ProfileView, notice: string | undefined, tokenExpiresAt: Date | undefined, csrfToken: string): string {
  const p = PROVIDER[view.provider];
  const rows = Object.entries(view.profile).map(
    ([key, value]) => html`<tr><th>${key}</th><td><code>${typeof value === 'string' ? value : JSON.stringify(value)}</code></td></tr>`,
  );
  return layout('Profile', html`
    <div class="card">
      ${view.photo ? html`<img class="avatar" src="${view.photo}" alt="">` : ''}
      <span class="badge" style="background:${p.bg};color:${p.fg}">${p.name}</span>
      <h1 data-testid="display-name">${view.displayName || '(no nickname shared)'}</h1>
      <p class="muted">id <code data-testid="user-id">${view.id}</code></p>
      <form method="post" action="/logout">${csrfField(csrfToken)}<button type="submit" data-testid="logout">Log out</button></form>
    </div>
    ${notice ? html`<div class="card" data-testid="notice">${notice}</div>` : ''}
    <h2>Tokens</h2>
    <p class="muted">Kept in the server-side session, never in a cookie.${tokenExpiresAt ? html` Access token expires at <span data-testid="expires-at">${tokenExpiresAt.toISOString()}</span>.` : ''}</p>
    <p>${tokenActions(view.provider, csrfToken)}</p>
    <h2>Normalized profile</h2>
    <table data-testid="profile">${rows}</table>
    <h2>Granted scopes</h2>
    ${view.scopes
      ? html`<p data-testid="scopes">${view.scopes.length > 0 ? view.scopes.join(', ') : '(none)'}</p>`
      : html`<p data-testid="scopes" class="muted">Naver has no scopes: the fields come from the app's settings in the Naver console.</p>`}
    <h2>${p.name}'s raw JSON</h2>
    <pre data-testid="raw-json">${JSON.stringify(view.raw, null, 2)}</pre>
    <p><a href="/">Home</a></p>`);
}

/** Why a login did not complete, and what to try. */
export interface FailureView {
  provider: ProviderName | undefined;
  /** Default: "<provider> login did not complete". */
  title?: string;
  what: string;
  tryThis: string;
  /** A stable code to quote in a bug report: Kakao's KOE…, Naver's error, or ours. */
  code: string | undefined;
}

/** The failure page: what happened and what to try; never a stack trace. */
export function failurePage(view: FailureView): string {
  const name = view.provider ? PROVIDER[view.provider].name : 'The provider';
  const title = view.title ?? `${name} login did not complete`;
  return layout(view.title ?? 'Login failed', html`
    <div class="card">
      <h1 data-testid="failure-title">${title}</h1>
      <p data-testid="failure-what">${view.what}</p>
      <p><strong>What to try:</strong> <span data-testid="failure-try">${view.tryThis}</span></p>
      ${view.code ? html`<p class="muted">Code: <code data-testid="failure-code">${view.code}</code></p>` : ''}
    </div>
    <p><a href="/">Back to the login page</a></p>`);
}

/** A plain 404. */
export function notFoundPage(): string {
  return layout('Not found', html`<h1>Not found</h1><p><a href="/">Home</a></p>`);
}
