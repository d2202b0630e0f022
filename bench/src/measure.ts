import { writeFileSync } from 'node:fs';
import http from 'node:http';
import autocannon from 'autocannon';
import type { ProviderName } from './variants.js';

/** A login ready for its callback: the browser's session or login cookie (none for a stateless login) and the callback path. */
interface PreparedLogin {
  cookie: string;
  path: string;
}

/** Logins walked up to their callbacks, with the app's CPU time their first leg took (the emulator's is not counted). */
export interface PreparedLogins {
  logins: PreparedLogin[];
  /** The app's CPU time over the first legs (`/auth/<provider>`: state, PKCE, session or login cookie), microseconds. */
  startCpuMicros: number;
  /** The main thread's share of it (Linux only; `undefined` elsewhere). */
  startMainThreadMicros: number | undefined;
}

// Idle sockets close before the app's 5 s keep-alive timeout, so that a request never races the server closing one.
const agent = new http.Agent({ keepAlive: true, maxSockets: 64, timeout: 4000 });

function get(url: string, headers: Record<string, string> = {}, retry = true): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res));
    });
    // A reused keep-alive socket the server closed at that moment: these GETs are safe to send once more.
    req.on('error', (error: NodeJS.ErrnoException) => (retry && error.code === 'ECONNRESET' && req.reusedSocket ? get(url, headers, false).then(resolve, reject) : reject(error)));
  });
}

/**
 * Walks `count` logins up to the callback, as a browser would: `/auth/<provider>` on the app (state, PKCE, session),
 * then the emulator's authorize (auto-approved), which redirects back with a fresh code. The app's CPU time over this
 * is the first legs' (the app serves nothing else meanwhile); their latency is not measured.
 */
export async function prepareLogins(appURL: string, provider: ProviderName, count: number): Promise<PreparedLogins> {
  const before = await stats(appURL);
  const logins: PreparedLogin[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next += 1;
      const start = await get(`${appURL}/auth/${provider}`);
      // The lean variants keep no state: their first leg sets no cookie at all.
      const cookie = (start.headers['set-cookie'] ?? [])[0]?.split(';')[0] ?? '';
      const authorize = start.headers['location'];
      if (!authorize) throw new Error(`${appURL}/auth/${provider} answered ${start.statusCode} without a redirect`);
      const back = await get(authorize);
      const location = back.headers['location'];
      if (!location) throw new Error(`the emulator answered ${back.statusCode} without a redirect`);
      const url = new URL(location);
      logins.push({ cookie, path: url.pathname + url.search });
    }
  };
  await Promise.all(Array.from({ length: Math.min(32, count) }, worker));
  const after = await stats(appURL);
  return { logins, startCpuMicros: after.cpuMicros - before.cpuMicros, startMainThreadMicros: mainThreadDelta(before, after) };
}

const mainThreadDelta = (before: AppStats, after: AppStats) =>
  after.mainThreadMicros === undefined || before.mainThreadMicros === undefined ? undefined : after.mainThreadMicros - before.mainThreadMicros;

/** What one measurement of one variant found. */
export interface Measurement {
  logins: number;
  loginsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  /** The app's CPU time per complete login, both legs: the first (`/auth/<provider>`) and the callback. The headline. */
  cpuMsPerLogin: number;
  /** The callback's share of it. */
  callbackCpuMsPerLogin: number;
  /** The main thread's share of `cpuMsPerLogin` (Linux only; NaN elsewhere). */
  mainThreadCpuMsPerLogin: number;
  rssMB: number;
}

interface AppStats {
  cpuMicros: number;
  mainThreadMicros?: number;
  rss: number;
}

/** The app's CPU time and RSS. */
async function stats(appURL: string): Promise<AppStats> {
  const response = await fetch(`${appURL}/__stats`);
  return (await response.json()) as AppStats;
}

/**
 * Fires the prepared callbacks at the app with autocannon, each once, and reads the app's CPU time around it; the
 * login's CPU figure adds the first legs' from {@link prepareLogins}, so that a state store is charged for the work it
 * does on either leg (a session's state is written on the first, a sealed cookie's opened on the callback). The app
 * forgets its sessions after (so that every measurement starts from the same heap). No collection is forced before:
 * V8 shrinks the young generation after one, and the logins that follow paid a third more CPU for it. With
 * `profileTo`, the app's CPU profile of the window is written there (its CPU figure then includes the profiler's cost).
 */
export async function measure(appURL: string, prepared: PreparedLogins, connections: number, profileTo?: string): Promise<Measurement> {
  const { logins } = prepared;
  const before = await stats(appURL);
  if (profileTo) await fetch(`${appURL}/__profile/start`, { method: 'POST' });
  let next = 0;
  let responses = 0;
  // The window ends at the last response: autocannon stops on its one-second tick, so its own duration (and the
  // wall time around it) would round every run up to whole seconds.
  const started = performance.now();
  let lastResponseAt = started;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: appURL,
        connections: Math.min(connections, logins.length),
        amount: logins.length,
        requests: [
          {
            setupRequest: (request) => {
              const login = logins[Math.min(next, logins.length - 1)]!;
              next += 1;
              return { ...request, path: login.path, headers: login.cookie ? { ...request.headers, cookie: login.cookie } : { ...request.headers } };
            },
          },
        ],
      },
      (error, finished) => (error ? reject(error) : resolve(finished)),
    );
    instance.on('response', () => {
      responses += 1;
      lastResponseAt = performance.now();
    });
  });
  const seconds = (lastResponseAt - started) / 1000;
  const after = await stats(appURL);
  if (profileTo) writeFileSync(profileTo, await (await fetch(`${appURL}/__profile/stop`, { method: 'POST' })).text());
  await fetch(`${appURL}/__reset`, { method: 'POST' });
  const completed = result.requests.total;
  const ok = completed - result.non2xx;
  const perLogin = (micros: number) => micros / 1000 / Math.max(ok, 1);
  const callbackMain = mainThreadDelta(before, after);
  return {
    logins: ok,
    loginsPerSecond: responses === 0 ? 0 : ok / seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
    cpuMsPerLogin: perLogin(prepared.startCpuMicros + after.cpuMicros - before.cpuMicros),
    callbackCpuMsPerLogin: perLogin(after.cpuMicros - before.cpuMicros),
    mainThreadCpuMsPerLogin: callbackMain === undefined || prepared.startMainThreadMicros === undefined ? Number.NaN : perLogin(prepared.startMainThreadMicros + callbackMain),
    rssMB: after.rss / 1024 / 1024,
  };
}

export function closeAgent(): void {
  agent.destroy();
}
