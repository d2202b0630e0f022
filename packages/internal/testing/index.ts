/**
 * Test helpers shared by the strategy packages' tests. Not shipped.
 */
export * from './consumer.js';
export * from './min-node.js';
export * from './fuzz.js';
export * from './id-token-suite.js';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { inspect } from 'node:util';
import { afterEach, beforeEach, expect, vi } from 'vitest';

/** What a strategy did with one request, as Passport would see it. */
export type StrategyOutcome =
  | { kind: 'redirect'; url: string; status: number | undefined }
  | { kind: 'success'; user: unknown; info: unknown }
  | { kind: 'fail'; challenge: unknown; status: number | undefined }
  | { kind: 'error'; error: unknown }
  | { kind: 'pass' };

interface AuthenticatingStrategy {
  authenticate(req: never, options?: never): void;
}

/** A minimal Express-like request: what passport-oauth2 reads. */
export interface FakeRequest {
  query: Record<string, string>;
  session: Record<string, unknown>;
  headers: Record<string, string>;
  url: string;
  method: string;
  connection: { encrypted: boolean };
  body?: Record<string, string>;
}

/** Builds a request for `url` with the given session (shared across calls to keep state and PKCE data). */
export function fakeRequest(url: string, session: Record<string, unknown> = {}): FakeRequest {
  const parsed = new URL(url, 'https://app.example.com');
  return {
    query: Object.fromEntries(parsed.searchParams),
    session,
    headers: { host: 'app.example.com', 'x-forwarded-proto': 'https' },
    url: parsed.pathname + parsed.search,
    method: 'GET',
    connection: { encrypted: true },
  };
}

/**
 * Runs `strategy.authenticate` the way Passport does (on an object inheriting from the strategy, with the
 * action methods attached) and resolves with the first action taken.
 */
export function runStrategy(strategy: object, req: FakeRequest, options?: object): Promise<StrategyOutcome> {
  return new Promise((resolve) => {
    const instance = Object.create(strategy) as AuthenticatingStrategy & Record<string, unknown>;
    instance['redirect'] = (url: string, status?: number) => resolve({ kind: 'redirect', url, status });
    instance['success'] = (user: unknown, info: unknown) => resolve({ kind: 'success', user, info });
    instance['fail'] = (challenge: unknown, status?: number) => resolve({ kind: 'fail', challenge, status });
    instance['error'] = (error: unknown) => resolve({ kind: 'error', error });
    instance['pass'] = () => resolve({ kind: 'pass' });
    instance.authenticate(req as never, options as never);
  });
}

/** Narrows an outcome to the expected kind, failing the test with the actual outcome otherwise. */
export function expectOutcome<K extends StrategyOutcome['kind']>(
  outcome: StrategyOutcome,
  kind: K,
): Extract<StrategyOutcome, { kind: K }> {
  if (outcome.kind !== kind) {
    const detail = outcome.kind === 'error' ? String((outcome.error as Error)?.stack ?? outcome.error) : JSON.stringify(outcome);
    throw new Error(`expected ${kind}, got ${outcome.kind}: ${detail}`);
  }
  return outcome as Extract<StrategyOutcome, { kind: K }>;
}

/**
 * Installs nock for a test file: no real network (loopback only, for local servers), every request must match a
 * mock, and every mock must be used. Call at the top level of a test file.
 */
export function useStrictNock(): void {
  const unmatched: string[] = [];
  const onNoMatch = (req: { method?: string; path?: string; host?: string; hostname?: string }) => {
    // Loopback requests go through to real local servers (the emulator, test doubles) and are not mocks.
    if (/^(127\.0\.0\.1|localhost)(:\d+)?$/.test(req.hostname ?? req.host ?? '')) return;
    unmatched.push(`${req.method ?? '?'} ${req.hostname ?? req.host ?? ''}${req.path ?? ''}`);
  };
  beforeEach(() => {
    unmatched.length = 0;
    nock.disableNetConnect();
    nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);
    nock.emitter.on('no match', onNoMatch);
  });
  afterEach(() => {
    nock.emitter.removeListener('no match', onNoMatch);
    const pending = nock.pendingMocks();
    nock.cleanAll();
    nock.enableNetConnect();
    expect(unmatched, 'requests that matched no mock').toEqual([]);
    expect(pending, 'mocks that were never requested').toEqual([]);
  });
}

/**
 * Fails each test of the file that leaves an unhandled promise rejection behind (checked 20 ms after the test, so
 * that late rejections are caught). Call at the top level of a test file.
 */
export function useNoUnhandledRejections(): void {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  beforeEach(() => {
    unhandled.length = 0;
    process.on('unhandledRejection', onUnhandled);
  });
  afterEach(async () => {
    await new Promise((resolve) => setTimeout(resolve, 20));
    process.off('unhandledRejection', onUnhandled);
    expect(unhandled, 'unhandled rejections').toEqual([]);
  });
}

/** A TCP port on 127.0.0.1 that nothing listens on (connections are refused). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A server on 127.0.0.1 that accepts connections and never answers. Close it after the test. */
export async function silentServer(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Starts a login: returns the provider's authorize URL and the state the strategy stored in `session`. */
export async function startLogin(strategy: object, session: Record<string, unknown>, options?: object, path = '/auth/start') {
  const outcome = expectOutcome(await runStrategy(strategy, fakeRequest(path, session), options), 'redirect');
  const url = new URL(outcome.url);
  return { url, state: url.searchParams.get('state') ?? undefined, location: outcome.url };
}

/** Completes a login with the provider's redirect back to `path` carrying `query`. */
export function finishLogin(
  strategy: object,
  session: Record<string, unknown>,
  query: Record<string, string>,
  path = '/auth/callback',
): Promise<StrategyOutcome> {
  return runStrategy(strategy, fakeRequest(`${path}?${new URLSearchParams(query)}`, session));
}

/** Runs a whole login (authorize, then the callback with `code` and the stored state) and returns the callback's outcome. */
export async function login(strategy: object, code: string, options?: object, callbackPath?: string): Promise<StrategyOutcome> {
  const session: Record<string, unknown> = {};
  const { state } = await startLogin(strategy, session, options);
  return finishLogin(strategy, session, { code, ...(state ? { state } : {}) }, callbackPath);
}

/**
 * Captures the console for each test and, after it, fails if any log line carries a piece of a login cookie the test
 * added to the returned set (the JWE's ciphertext part, which every copy of the cookie contains).
 */
export function useLoginCookieWatch(): Set<string> {
  const cookies = new Set<string>();
  const logs: string[] = [];
  beforeEach(() => {
    cookies.clear();
    logs.length = 0;
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        logs.push(args.map((arg) => (typeof arg === 'string' ? arg : inspect(arg, { depth: 8, showHidden: true }))).join(' '));
      });
    }
  });
  afterEach(() => {
    vi.restoreAllMocks();
    for (const cookie of cookies) {
      const piece = (cookie.split('.')[3] ?? cookie).slice(0, 16);
      for (const line of logs) expect(line.includes(piece), 'a log line carries the login cookie').toBe(false);
    }
  });
  return cookies;
}

/**
 * One `CookieStateStore` login's Set-Cookie, exactly, with the defaults: `oauth2_login.<state>=<JWE>; Max-Age=600;
 * Path=<callback path>; HttpOnly; SameSite=Lax`, with `; Secure` before `SameSite` when `secure` (an HTTPS request or
 * callback URL). Group 1 is the state, group 2 the sealed value.
 */
export function loginCookiePattern(callbackPath: string, secure = false): RegExp {
  const path = callbackPath.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  return new RegExp(`^oauth2_login\\.([A-Za-z0-9_-]{32})=([A-Za-z0-9_-]+\\.\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+); Max-Age=600; Path=${path}; HttpOnly;${secure ? ' Secure;' : ''} SameSite=Lax$`);
}
