import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startEmulator } from 'kakao-naver-emulator';
import type { Emulator, EmulatorOptions } from 'kakao-naver-emulator';
import type request from 'supertest';
import { createApp } from '../src/app.js';
import type { AppConfig } from '../src/config.js';
import { configFromEnv } from '../src/config.js';
import { createMemorySessionStore, createSessionStore } from '../src/sessions.js';
import type { SessionStore } from '../src/sessions.js';

/** The example app on the emulator, as `pnpm start` wires it, on free ports. */
export interface Harness {
  emulator: Emulator;
  app: ReturnType<typeof createApp>;
  config: AppConfig;
  sessions: SessionStore;
  /** Set by {@link listen}. */
  url: string;
  listen(): Promise<string>;
  close(): Promise<void>;
}

/** Listens on a free port of 127.0.0.1. */
export async function listenOnFreePort(app: ReturnType<typeof createApp>): Promise<{ url: string; close(): Promise<void> }> {
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export interface HarnessOptions {
  /** Override the session settings (short lifetimes in tests). */
  session?: Partial<AppConfig['session']>;
  /** Use this emulator instead of starting one (it is not closed with the harness). */
  emulator?: Emulator;
}

export async function startHarness(options: EmulatorOptions = {}, env: NodeJS.ProcessEnv = {}, more: HarnessOptions = {}): Promise<Harness> {
  // The project's own strategies run against a strict Naver (state required, as its guide says).
  const emulator = more.emulator ?? (await startEmulator({ ...options, naver: { requireState: true, ...options.naver } }));
  const base = configFromEnv(env, emulator, 'test-session-secret');
  const config: AppConfig = { ...base, session: { ...base.session, ...more.session } };
  const sessions = config.session.redisURL ? await createSessionStore(config.session) : createMemorySessionStore(config.session);
  const app = createApp(config, { sessionStore: sessions.store });
  let listening: { url: string; close(): Promise<void> } | undefined;
  const harness: Harness = {
    emulator,
    app,
    config,
    sessions,
    url: '',
    async listen() {
      listening = await listenOnFreePort(app);
      harness.url = listening.url;
      return harness.url;
    },
    async close() {
      await listening?.close();
      await sessions.close();
      if (!more.emulator) await emulator.close();
    },
  };
  return harness;
}

/** Two instances of the app with the same settings on one emulator, both listening: a load balancer's backends. */
export async function startTwoInstances(env: NodeJS.ProcessEnv, emulator: Emulator): Promise<[Harness, Harness]> {
  const a = await startHarness({}, env, { emulator });
  const b = await startHarness({}, env, { emulator });
  await a.listen();
  await b.listen();
  return [a, b];
}

/** The CSRF token in a page's forms. */
export function csrfTokenIn(page: string): string {
  const token = /name="_csrf" value="([0-9a-f]+)"/.exec(page)?.[1];
  if (!token) throw new Error('No CSRF token on the page');
  return token;
}

/** Follows the app's redirect to the emulator and the emulator's redirect back; returns the callback path. */
export async function viaEmulator(start: request.Response): Promise<string> {
  const response = await fetch(start.headers['location'] as string, { redirect: 'manual' });
  const back = new URL(response.headers.get('location')!);
  return back.pathname + back.search;
}

/** The `name=value` part of each Set-Cookie header. */
export function setCookies(response: { headers: Record<string, unknown> }): string[] {
  const raw = response.headers['set-cookie'];
  return Array.isArray(raw) ? raw.map((cookie: string) => cookie) : [];
}

/**
 * A browser's cookie jar over fetch: every cookie the app sets (the session's `sid`, a login's sealed state cookie),
 * sent back on every request whatever its Path (the app never relies on a browser withholding one), forgotten when the
 * app expires it. Redirects are not followed.
 */
export class CookieJar {
  readonly cookies = new Map<string, string>();

  async get(url: string | URL, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) headers.set('Cookie', [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '));
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const set of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = set.split(';');
      const name = pair.slice(0, pair.indexOf('='));
      const value = pair.slice(pair.indexOf('=') + 1);
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a) || (/^\s*expires=/i.test(a) && Date.parse(a.split('=')[1] ?? '') < Date.now()));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }
}

/** Runs `check` until it returns a value other than `undefined`, every 20 ms, for at most `ms`. */
export async function waitFor<T>(check: () => Promise<T | undefined>, ms = 3000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`Not there after ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
