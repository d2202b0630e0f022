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

/**
 * What Kakao's SDK-token route and unlink webhook need besides the REST API key (docs/providers/kakao.md A9, A10): the app's
 * numeric id (Kakao Developers → App → General) and its primary admin key (→ Platform keys → Admin key).
 */
export interface KakaoAppSettings {
  /** The numeric app id: `access_token_info`'s `app_id` and the webhook's `app_id` must equal it. Unset: both off. */
  appId: number | undefined;
  /** The primary admin key, the whole check of the unlink webhook (`Authorization: KakaoAK …`). Unset: webhook off. */
  adminKey: string | undefined;
  /** OpenID Connect on the web login (`KAKAO_OIDC=1`): an id_token verified with Kakao's JWKS on every login. */
  oidc: boolean;
}

/** Where a login's state, PKCE verifier (and OIDC nonce) wait between the redirect and the callback. */
export type LoginStateSettings =
  /** In the session (the strategies' default): needs a session store every instance shares (`REDIS_URL`) to scale out. */
  | { kind: 'session' }
  /** In a sealed cookie (`CookieStateStore`): any instance with the same secret finishes the login. */
  | { kind: 'cookie'; secret: string };

/** Everything `createApp` needs. */
export interface AppConfig {
  session: SessionSettings;
  loginState: LoginStateSettings;
  kakaoApp: KakaoAppSettings;
  /** Serve `/webhooks`, the last unlink events with user ids (outside production only). */
  webhookEventsPage: boolean;
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
  /**
   * OpenID Connect on the Naver login (`NAVER_OIDC=1`): Naver's `/oauth2/*` endpoints with PKCE, and an id_token
   * verified with Naver's JWKS on every login. The profile still comes from `/v1/nid/me`, so user ids stay the legacy ids.
   */
  naverOidc: boolean;
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
  /** `KAKAO_APP_ID`, only with `KAKAO_CLIENT_ID`. */
  kakaoAppId: number | undefined;
  /** `KAKAO_ADMIN_KEY`, only with `KAKAO_APP_ID`. */
  kakaoAdminKey: string | undefined;
  /** `KAKAO_OIDC=1`. */
  kakaoOidc: boolean;
  /** `NAVER_OIDC=1`. */
  naverOidc: boolean;
  /** `LOGIN_STATE`: `session` (default) or `cookie`. */
  loginState: 'session' | 'cookie';
  /** `LOGIN_STATE_SECRET`; with `LOGIN_STATE=cookie` and none set, `SESSION_SECRET` seals the login cookies. */
  loginStateSecret: string | undefined;
}

export const DEFAULT_PORT = 3000;
export const DEFAULT_EMULATOR_PORT = 4000;
/** Eight hours: a working day of idle time before the user signs in again. */
export const DEFAULT_SESSION_MAX_AGE_MS = 8 * 3600 * 1000;
/** The longest the in-memory store keeps an expired session before dropping it. */
export const DEFAULT_PRUNE_INTERVAL_MS = 10 * 60 * 1000;
export const MIN_SESSION_SECRET_LENGTH = 32;
/** `CookieStateStore` derives its keys from at least 32 bytes of secret. */
export const MIN_LOGIN_STATE_SECRET_LENGTH = 32;
/**
 * The admin key the example registers with the emulator it starts, for the built-in Kakao app (the emulator has no
 * admin key of its own: the app chooses what the emulator sends in `Authorization: KakaoAK …`).
 */
export const EMULATOR_KAKAO_ADMIN_KEY = 'emulator-kakao-admin-key';
/** The emulator's built-in Kakao app's numeric id (its `DEFAULT_KAKAO_CLIENT.appId`). */
export const EMULATOR_KAKAO_APP_ID = 100001;
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

function flag(env: NodeJS.ProcessEnv, name: string, problems: string[]): boolean {
  const raw = read(env, name)?.toLowerCase();
  if (raw === undefined || raw === '0' || raw === 'false') return false;
  if (raw === '1' || raw === 'true') return true;
  problems.push(`${name} must be 1, true, 0 or false`);
  return false;
}

/** KAKAO_APP_ID and KAKAO_ADMIN_KEY: each only with what it belongs to, so that none is silently ignored. */
function kakaoApp(env: NodeJS.ProcessEnv, keys: ProviderKeys | undefined, problems: string[]): { appId: number | undefined; adminKey: string | undefined } {
  const rawAppId = read(env, 'KAKAO_APP_ID');
  const adminKey = read(env, 'KAKAO_ADMIN_KEY');
  if ((rawAppId !== undefined || adminKey !== undefined) && keys === undefined) {
    problems.push(`${rawAppId !== undefined ? 'KAKAO_APP_ID' : 'KAKAO_ADMIN_KEY'} is set but KAKAO_CLIENT_ID is missing`);
    return { appId: undefined, adminKey: undefined };
  }
  let appId: number | undefined;
  if (rawAppId !== undefined) {
    appId = /^\d{1,15}$/.test(rawAppId) ? Number(rawAppId) : undefined;
    if (appId === undefined || appId === 0) problems.push('KAKAO_APP_ID must be the app\'s numeric id (Kakao Developers > App > General)');
  }
  if (adminKey !== undefined && rawAppId === undefined) {
    // The webhook's app_id is checked against the app id: an admin key alone cannot turn it on.
    problems.push('KAKAO_ADMIN_KEY is set but KAKAO_APP_ID is missing');
  }
  return { appId, adminKey };
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
  if (production && publicOrigin?.startsWith('https:') && (trustProxy === false || trustProxy === 0)) {
    // This app serves plain HTTP: with https in front, only a trusted proxy's X-Forwarded-Proto makes req.secure true,
    // without which express-session never sends the Secure session cookie and every login fails its state check.
    problems.push('TRUST_PROXY is not set: behind the proxy that serves https://, set it to that proxy (1 for one hop, loopback, or its addresses), or the Secure session cookie is never sent');
  }
  const kakao = providerKeys(env, 'kakao', problems);
  const naver = providerKeys(env, 'naver', problems);
  const app = kakaoApp(env, kakao, problems);

  const rawLoginState = read(env, 'LOGIN_STATE') ?? 'session';
  const loginState = rawLoginState === 'cookie' ? 'cookie' : 'session';
  if (rawLoginState !== 'cookie' && rawLoginState !== 'session') problems.push('LOGIN_STATE must be session or cookie');
  const loginStateSecret = read(env, 'LOGIN_STATE_SECRET');
  if (loginState === 'cookie') {
    // Neither set (development only: production requires SESSION_SECRET): the random per-start session secret seals
    // the login cookies, fine for one instance; the start line says so.
    const [name, secret] = loginStateSecret !== undefined ? ['LOGIN_STATE_SECRET', loginStateSecret] : ['SESSION_SECRET', sessionSecret];
    // A short or placeholder SESSION_SECRET in production is reported above already.
    const reported = name === 'SESSION_SECRET' && production;
    if (secret !== undefined && !reported) {
      if (PLACEHOLDER_SECRETS.has(secret.toLowerCase())) {
        problems.push(`${name} is a placeholder from an example: LOGIN_STATE=cookie needs a random secret (openssl rand -hex 32)`);
      } else if (secret.length < MIN_LOGIN_STATE_SECRET_LENGTH) {
        problems.push(`${name} is too short for LOGIN_STATE=cookie: at least ${MIN_LOGIN_STATE_SECRET_LENGTH} characters (openssl rand -hex 32)`);
      }
    }
  } else if (loginStateSecret !== undefined) {
    problems.push('LOGIN_STATE_SECRET is set but LOGIN_STATE is not cookie');
  }
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
    secureCookies: flag(env, 'SECURE_COOKIES', problems) || publicOrigin?.startsWith('https:') === true,
    providerTimeoutMs: integer(env, 'PROVIDER_TIMEOUT_MS', 10_000, 1, 600_000, problems),
    kakao,
    naver,
    kakaoAppId: app.appId,
    kakaoAdminKey: app.adminKey,
    kakaoOidc: flag(env, 'KAKAO_OIDC', problems),
    naverOidc: flag(env, 'NAVER_OIDC', problems),
    loginState,
    loginStateSecret,
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
  const kakao = provider('kakao');
  return {
    loginState: settings.loginState === 'cookie' ? { kind: 'cookie', secret: settings.loginStateSecret ?? sessionSecret } : { kind: 'session' },
    kakaoApp: {
      // On the emulator: its built-in app's id, and the admin key this example registers with it (see main.ts).
      appId: kakao.mode === 'emulator' ? EMULATOR_KAKAO_APP_ID : settings.kakaoAppId,
      adminKey: kakao.mode === 'emulator' ? EMULATOR_KAKAO_ADMIN_KEY : settings.kakaoAdminKey,
      oidc: settings.kakaoOidc,
    },
    webhookEventsPage: !settings.production,
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
    kakao,
    naver: provider('naver'),
    naverOidc: settings.naverOidc,
  };
}

/** {@link readSettings} then {@link appConfig}, for tests and scripts. */
export function configFromEnv(env: NodeJS.ProcessEnv, emulator: EmulatorSettings | undefined, sessionSecret: string): AppConfig {
  return appConfig(readSettings(env), emulator, sessionSecret);
}
