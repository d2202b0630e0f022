/**
 * The session store: Redis when `REDIS_URL` is set (sessions shared by every instance), otherwise an in-process store
 * that drops expired sessions on a timer. express-session's own MemoryStore is never used: it keeps every abandoned
 * login until the process ends.
 */
import { RedisStore } from 'connect-redis';
import session from 'express-session';
import type { Store } from 'express-session';
import createMemoryStore from 'memorystore';
import { createClient } from 'redis';
import { ConfigError } from './config.js';
import type { SessionSettings } from './config.js';

const MemoryStore = createMemoryStore(session);

/** A session store and how to let go of it. */
export interface SessionStore {
  kind: 'memory' | 'redis';
  store: Store;
  /** The number of sessions held (expired ones that are not pruned yet included). */
  size(): Promise<number>;
  close(): Promise<void>;
}

/** The in-process store: fine for one instance. Each entry lives as long as its cookie's `maxAge`; expired ones go within `pruneIntervalMs`. */
export function createMemorySessionStore(settings: Pick<SessionSettings, 'pruneIntervalMs'>): SessionStore {
  const store = new MemoryStore({ checkPeriod: settings.pruneIntervalMs });
  return {
    kind: 'memory',
    store,
    size: () =>
      new Promise((resolve, reject) => {
        store.length((error, length) => (error ? reject(error instanceof Error ? error : new Error('Session store error')) : resolve(length ?? 0)));
      }),
    async close() {
      store.stopInterval();
    },
  };
}

/** Sessions in Redis under `sess:`; Redis expires each key with the session (`EX` from the cookie's expiry). */
export async function createRedisSessionStore(redisURL: string, log: (line: string) => void = console.error): Promise<SessionStore> {
  let connected = false;
  let reported = false;
  const client = createClient({
    url: redisURL,
    // While Redis is down, a session lookup fails at once (the request gets an error page) instead of waiting in the
    // client's queue for a reconnect that may never come; a command Redis does not answer fails after 3 s.
    disableOfflineQueue: true,
    commandOptions: { timeout: 3000 },
    socket: {
      connectTimeout: 5000,
      // At start, fail at once (the caller says so and exits); once up, reconnect with a capped backoff.
      reconnectStrategy: (retries, cause) => (connected ? Math.min(100 * 2 ** retries, 3000) : cause),
    },
  });
  // Without a listener, a dropped connection is an unhandled 'error' event that ends the process. Log once per
  // outage, and the error code only: the message can hold the URL, which can hold a password.
  client.on('error', (error: unknown) => {
    if (!connected || reported) return;
    reported = true;
    log(`Redis session store: connection lost (${(error as NodeJS.ErrnoException).code ?? 'error'}); reconnecting`);
  });
  client.on('ready', () => {
    if (reported) log('Redis session store: reconnected');
    connected = true;
    reported = false;
  });
  try {
    await client.connect();
  } catch (error) {
    throw new ConfigError(`cannot reach Redis at REDIS_URL (${(error as NodeJS.ErrnoException).code ?? 'connection failed'})`);
  }
  const store = new RedisStore({ client, prefix: 'sess:' });
  return {
    kind: 'redis',
    store,
    size: async () => (await client.keys('sess:*')).length,
    async close() {
      if (client.isOpen) await client.close();
    },
  };
}

/** The store the settings ask for. */
export function createSessionStore(settings: SessionSettings, log?: (line: string) => void): Promise<SessionStore> {
  return settings.redisURL ? createRedisSessionStore(settings.redisURL, log) : Promise.resolve(createMemorySessionStore(settings));
}
