/**
 * The example's configuration: read from the environment (see `.env.example` and the README), checked once at start.
 * A bad setting stops the start with one line naming the variable; no value of a secret is ever printed.
 */
import express from 'express';

/** A setting the app refuses to start with. The message names the variable, never its value. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Where each provider's strategy points: the real service, the local emulator, or nowhere (production without keys). */
export interface ProviderSettings {
  mode: 'real' | 'emulator' | 'off';
  clientID: string;
  clientSecret: string | undefined;
  /** Set in emulator mode: the emulator's origin. */
  baseURL: string | undefined;
}

/** Express's `trust proxy` value: `false`, `true`, a hop count, or addresses/subnets (`loopback`, `10.0.0.0/8`, …). */
export type TrustProxy = boolean | number | string;

/** How sessions are kept. */
export interface SessionSettings {
  secret: string;
  /** Lifetime of an idle session (cookie `maxAge`, store TTL), in ms. */
  maxAgeMs: number;
  /** How often the in-memory store drops expired sessions, in ms (unused with Redis, which expires keys itself). */
  pruneIntervalMs: number;
  /** Set: sessions live in this Redis (`connect-redis`); unset: in this process (`memorystore`). */
  redisURL: string | undefined;
}

/** Everything `createApp` needs. */
export interface AppConfig {
  session: SessionSettings;
  /** Mark the session cookie `Secure` (HTTPS, or behind a TLS-terminating proxy with `trustProxy`). */
  secureCookies: boolean;
  /** Express's `trust proxy`: which proxies' `X-Forwarded-*` headers to believe. */
  trustProxy: TrustProxy;
  /** The origin browsers use (`https://app.example.com`); callback URLs are built from it, never from `Host`. */
  publicOrigin: string | undefined;
  /** Deadline for each request to a provider, in ms (the strategies' `timeout`). */
  providerTimeoutMs: number;
  kakao: ProviderSettings;
  naver: ProviderSettings;
}

/** The emulator's URLs and credentials, when it runs. */
export interface EmulatorSettings {
  kakao: { baseURL: string; clientID: string; clientSecret: string | undefined };
  naver: { baseURL: string; clientID: string; clientSecret: string };
}

/** A provider's keys from the environment. */
export interface ProviderKeys {
  clientID: string;
  clientSecret: string | undefined;
}

/** What the environment says, checked. */
export interface Settings {
  /** `NODE_ENV=production`: strict checks, and the emulator never starts. */
  production: boolean;
  /** The app's port; 0 picks a free one. */
  port: number;
  emulatorPort: number;
  /** Undefined outside production when unset: a random secret per start. */
  sessionSecret: string | undefined;
  sessionMaxAgeMs: number;
  redisURL: string | undefined;
  trustProxy: TrustProxy;
  publicOrigin: string | undefined;
  secureCookies: boolean;
  providerTimeoutMs: number;
  kakao: ProviderKeys | undefined;
  naver: ProviderKeys | undefined;
}

export const DEFAULT_PORT = 3000;
export const DEFAULT_EMULATOR_PORT = 4000;
/** Eight hours: a working day of idle time before the user signs in again. */
export const DEFAULT_SESSION_MAX_AGE_MS = 8 * 3600 * 1000;
/** The longest the in-memory store keeps an expired session before dropping it. */
export const DEFAULT_PRUNE_INTERVAL_MS = 10 * 60 * 1000;
export const MIN_SESSION_SECRET_LENGTH = 32;
/** Values people copy from examples. `.env.example` ships `SESSION_SECRET=` (empty); older copies had `change-me`. */
const PLACEHOLDER_SECRETS = new Set(['change-me', 'changeme', 'secret', 'keyboard cat', 'replace-me']);

/** An environment variable, with empty treated as unset (as `.env.example`'s blank lines are meant). */
function read(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number, problems: string[]): number {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    problems.push(`${name} must be a whole number from ${min} to ${max}`);
    return fallback;
  }
  return value;
}

/** Parses `TRUST_PROXY` the way Express documents `trust proxy`, and lets Express itself reject what it can't use. */
export function parseTrustProxy(raw: string | undefined): TrustProxy {
  if (raw === undefined || raw === 'false') return false;
  if (raw === 'true') return true;
  if (/^\d+$/.test(raw)) return Number(raw);
  express().set('trust proxy', raw); // throws on an address it cannot parse
  return raw;
}

function parsePublicOrigin(raw: string | undefined, production: boolean, problems: string[]): string | undefined {
  if (raw === undefined) {
    if (production) problems.push('PUBLIC_ORIGIN is not set: production builds callback URLs from it (e.g. https://app.example.com)');
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    problems.push('PUBLIC_ORIGIN is not a URL (expected e.g. https://app.example.com)');
    return undefined;
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || (url.pathname !== '/' && url.pathname !== '') || url.search || url.hash || url.username || url.password) {
    problems.push('PUBLIC_ORIGIN must be an origin only: scheme, host and optional port (e.g. https://app.example.com)');
    return undefined;
  }
  if (production && url.protocol !== 'https:') {
    problems.push('PUBLIC_ORIGIN must be https in production: the session cookie is only sent Secure');
    return undefined;
  }
  return url.origin;
}

function providerKeys(env: NodeJS.ProcessEnv, provider: 'kakao' | 'naver', problems: string[]): ProviderKeys | undefined {
  const prefix = provider.toUpperCase();
  const clientID = read(env, `${prefix}_CLIENT_ID`);
  const clientSecret = read(env, `${prefix}_CLIENT_SECRET`);
  if (clientID === undefined && clientSecret !== undefined) {
    problems.push(`${prefix}_CLIENT_SECRET is set but ${prefix}_CLIENT_ID is missing`);
    return undefined;
  }
  // Kakao's secret is optional (only when Client Secret is ON for the key); Naver always needs both.
  if (provider === 'naver' && clientID !== undefined && clientSecret === undefined) {
    problems.push(`${prefix}_CLIENT_ID is set but ${prefix}_CLIENT_SECRET is missing`);
    return undefined;
  }
  return clientID === undefined ? undefined : { clientID, clientSecret };
}

/**
 * Reads and checks the environment. Throws one {@link ConfigError} listing every problem on one line; half-set keys
 * are refused in every mode (they would otherwise silently fall back to the emulator).
 */
export function readSettings(env: NodeJS.ProcessEnv): Settings {
  const problems: string[] = [];
  const production = env['NODE_ENV'] === 'production';

  const sessionSecret = read(env, 'SESSION_SECRET');
  if (production) {
    if (sessionSecret === undefined) {
      problems.push(`SESSION_SECRET is not set: production needs a random secret of at least ${MIN_SESSION_SECRET_LENGTH} characters (openssl rand -hex 32)`);
    } else if (PLACEHOLDER_SECRETS.has(sessionSecret.toLowerCase())) {
      problems.push('SESSION_SECRET is a placeholder from an example: set a random secret (openssl rand -hex 32)');
    } else if (sessionSecret.length < MIN_SESSION_SECRET_LENGTH) {
      problems.push(`SESSION_SECRET is too short: production needs at least ${MIN_SESSION_SECRET_LENGTH} characters (openssl rand -hex 32)`);
    }
  }

  let trustProxy: TrustProxy = false;
  try {
    trustProxy = parseTrustProxy(read(env, 'TRUST_PROXY'));
  } catch {
    problems.push('TRUST_PROXY must be true, false, a number of hops, or addresses/subnets (e.g. loopback or 10.0.0.0/8)');
  }

  const redisURL = read(env, 'REDIS_URL');
  if (redisURL !== undefined && !/^rediss?:\/\/[^\s]+$/.test(redisURL)) {
    problems.push('REDIS_URL must start with redis:// or rediss://');
  }

  const publicOrigin = parsePublicOrigin(read(env, 'PUBLIC_ORIGIN'), production, problems);
  const kakao = providerKeys(env, 'kakao', problems);
  const naver = providerKeys(env, 'naver', problems);
  if (production && !kakao && !naver && problems.length === 0) {
    problems.push('no provider keys are set: production never starts the emulator; set KAKAO_CLIENT_ID, or NAVER_CLIENT_ID and NAVER_CLIENT_SECRET');
  }

  const settings: Settings = {
    production,
    port: integer(env, 'PORT', DEFAULT_PORT, 0, 65_535, problems),
    emulatorPort: integer(env, 'EMULATOR_PORT', DEFAULT_EMULATOR_PORT, 0, 65_535, problems),
    sessionSecret,
    sessionMaxAgeMs: integer(env, 'SESSION_MAX_AGE_MS', DEFAULT_SESSION_MAX_AGE_MS, 1000, 2 ** 31 - 1, problems),
    redisURL,
    trustProxy,
    publicOrigin,
    secureCookies: read(env, 'SECURE_COOKIES') === 'true' || publicOrigin?.startsWith('https:') === true,
    providerTimeoutMs: integer(env, 'PROVIDER_TIMEOUT_MS', 10_000, 1, 600_000, problems),
    kakao,
    naver,
  };
  if (problems.length > 0) throw new ConfigError(problems.join('; '));
  return settings;
}

/** True when a provider has no keys and is not switched off by production, so the emulator must run for it. */
export function needsEmulator(settings: Settings): boolean {
  return !settings.production && (!settings.kakao || !settings.naver);
}

/**
 * The app's configuration: a provider with keys uses the real service; without keys, the emulator outside production,
 * and nothing (no button, no route) in production.
 */
export function appConfig(settings: Settings, emulator: EmulatorSettings | undefined, sessionSecret: string, pruneIntervalMs?: number): AppConfig {
  const provider = (name: 'kakao' | 'naver'): ProviderSettings => {
    const keys = settings[name];
    if (keys) return { mode: 'real', clientID: keys.clientID, clientSecret: keys.clientSecret, baseURL: undefined };
    if (settings.production) return { mode: 'off', clientID: '', clientSecret: undefined, baseURL: undefined };
    if (!emulator) throw new Error(`No ${name} keys are set and the emulator is not running`);
    const e = emulator[name];
    return { mode: 'emulator', clientID: e.clientID, clientSecret: e.clientSecret, baseURL: e.baseURL };
  };
  return {
    session: {
      secret: sessionSecret,
      maxAgeMs: settings.sessionMaxAgeMs,
      pruneIntervalMs: pruneIntervalMs ?? Math.min(DEFAULT_PRUNE_INTERVAL_MS, settings.sessionMaxAgeMs),
      redisURL: settings.redisURL,
    },
    secureCookies: settings.secureCookies,
    trustProxy: settings.trustProxy,
    publicOrigin: settings.publicOrigin,
    providerTimeoutMs: settings.providerTimeoutMs,
    kakao: provider('kakao'),
    naver: provider('naver'),
  };
}

/** {@link readSettings} then {@link appConfig}, for tests and scripts. */
export function configFromEnv(env: NodeJS.ProcessEnv, emulator: EmulatorSettings | undefined, sessionSecret: string): AppConfig {
  return appConfig(readSettings(env), emulator, sessionSecret);
}
