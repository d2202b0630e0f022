/**
 * Memory left by abandoned logins (issue 20.2): 5,000 visits to /auth/kakao and /auth/naver that never come back,
 * then the sessions' expiry, measured as heapUsed after a forced GC.
 *
 *   pnpm build && node --expose-gc examples/express/dist/scripts/session-memory.js
 *
 * Runs each store in its own process: `memorystore` (what the app uses without REDIS_URL) and `express-session`
 * (express-session's MemoryStore, what it used before). Expiry is reached by moving Date.now 8 hours and a minute
 * forward rather than waiting; the in-memory store's prune timer runs every 200 ms here (10 minutes by default).
 */
import { spawnSync } from 'node:child_process';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import session from 'express-session';
import type { Store } from 'express-session';
import { startEmulator } from 'kakao-naver-emulator';
import { createApp } from '../src/app.js';
import { configFromEnv } from '../src/config.js';
import { createMemorySessionStore } from '../src/sessions.js';

const LOGINS = 5000;
const kind = process.argv[2];
const gc = (globalThis as { gc?: () => void }).gc;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function heapMB(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc!();
    await sleep(50);
  }
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

async function abandonLogins(url: string, count: number): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: 25 }, async () => {
    while (next < count) {
      next++;
      const response = await fetch(`${url}/auth/${next % 2 ? 'kakao' : 'naver'}`, { redirect: 'manual' });
      await response.arrayBuffer();
    }
  }));
}

async function measure(storeKind: 'memorystore' | 'express-session'): Promise<void> {
  const emulator = await startEmulator();
  const config = configFromEnv({}, emulator, 'memory-script-secret');
  config.session.pruneIntervalMs = 200;
  const memory = createMemorySessionStore(config.session);
  const store: Store = storeKind === 'memorystore' ? memory.store : new session.MemoryStore();
  if (storeKind !== 'memorystore') await memory.close();
  const app = createApp(config, { sessionStore: store });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const count = () => memory.size();

  await abandonLogins(url, 200); // warm up code paths and the HTTP client
  await store.clear?.();
  const held = () => (storeKind === 'memorystore' ? count() : Object.keys((store as unknown as { sessions: object }).sessions).length);
  const now = Date.now.bind(Date);
  let offset = 0;
  Date.now = () => now() + offset;
  const before = await heapMB();
  const rounds: Array<{ filled: number; expired: number; filledCount: number; leftCount: number }> = [];
  // Two rounds: what the first leaves behind that the second does not add to is warm-up (compiled code, pools), not sessions.
  for (let round = 0; round < 2; round++) {
    await abandonLogins(url, LOGINS);
    const filled = await heapMB();
    const filledCount = await held();
    offset += config.session.maxAgeMs + 60_000;
    await sleep(1000); // five prune periods
    // express-session's MemoryStore drops an expired session only when it is read; nothing reads abandoned ones.
    const leftCount = await held();
    const expired = await heapMB();
    rounds.push({ filled, expired, filledCount, leftCount });
  }
  Date.now = now;
  console.log(JSON.stringify({ store: storeKind, before, rounds }));
  server.closeAllConnections();
  server.close();
  await memory.close();
  await emulator.close();
}

if (!gc) {
  console.error('Run with node --expose-gc');
  process.exit(1);
}
if (kind === 'memorystore' || kind === 'express-session') {
  await measure(kind);
} else {
  console.log(`${LOGINS} abandoned logins, heapUsed after forced GC (MB):`);
  console.log('| store | start | after 5,000 | after expiry | after 5,000 more | after expiry | sessions held: after 5,000 / expiry / 5,000 more / expiry |');
  console.log('|---|---|---|---|---|---|---|');
  for (const storeKind of ['express-session', 'memorystore'] as const) {
    const child = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), storeKind], { encoding: 'utf8' });
    const line = child.stdout.trim().split('\n').at(-1) ?? '';
    const r = JSON.parse(line) as { before: number; rounds: Array<{ filled: number; expired: number; filledCount: number; leftCount: number }> };
    const label = storeKind === 'memorystore' ? 'memorystore (now)' : 'express-session MemoryStore (before)';
    const mb = r.rounds.flatMap((round) => [round.filled.toFixed(1), round.expired.toFixed(1)]);
    const held = r.rounds.flatMap((round) => [round.filledCount, round.leftCount]).join(' / ');
    console.log(`| ${label} | ${r.before.toFixed(1)} | ${mb.join(' | ')} | ${held} |`);
  }
}
