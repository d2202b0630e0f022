import http from 'node:http';
import autocannon from 'autocannon';
import type { ProviderName } from './variants.js';

/** A login ready for its callback: the browser's session cookie and the callback path with code and state. */
interface PreparedLogin {
  cookie: string;
  path: string;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function get(url: string, headers: Record<string, string> = {}): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res));
    });
    req.on('error', reject);
  });
}

/**
 * Walks `count` logins up to the callback, as a browser would: `/auth/<provider>` on the app (state, PKCE, session),
 * then the emulator's authorize (auto-approved), which redirects back with a fresh code. Not measured.
 */
export async function prepareLogins(appURL: string, provider: ProviderName, count: number): Promise<PreparedLogin[]> {
  const logins: PreparedLogin[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next += 1;
      const start = await get(`${appURL}/auth/${provider}`);
      const cookie = (start.headers['set-cookie'] ?? [])[0]?.split(';')[0];
      const authorize = start.headers['location'];
      if (!cookie || !authorize) throw new Error(`${appURL}/auth/${provider} answered ${start.statusCode} without a session or redirect`);
      const back = await get(authorize);
      const location = back.headers['location'];
      if (!location) throw new Error(`the emulator answered ${back.statusCode} without a redirect`);
      const url = new URL(location);
      logins.push({ cookie, path: url.pathname + url.search });
    }
  };
  await Promise.all(Array.from({ length: Math.min(32, count) }, worker));
  return logins;
}

/** What one measurement of one variant found. */
export interface Measurement {
  logins: number;
  loginsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  cpuMsPerLogin: number;
  rssMB: number;
}

async function stats(appURL: string): Promise<{ cpuMicros: number; rss: number }> {
  const response = await fetch(`${appURL}/__stats`);
  return (await response.json()) as { cpuMicros: number; rss: number };
}

/** Fires the prepared callbacks at the app with autocannon, each once, and reads the app's CPU time around it. */
export async function measure(appURL: string, logins: PreparedLogin[], connections: number): Promise<Measurement> {
  const before = await stats(appURL);
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
              return { ...request, path: login.path, headers: { ...request.headers, cookie: login.cookie } };
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
  const completed = result.requests.total;
  const ok = completed - result.non2xx;
  return {
    logins: ok,
    loginsPerSecond: responses === 0 ? 0 : ok / seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
    cpuMsPerLogin: (after.cpuMicros - before.cpuMicros) / 1000 / Math.max(ok, 1),
    rssMB: after.rss / 1024 / 1024,
  };
}

export function closeAgent(): void {
  agent.destroy();
}
