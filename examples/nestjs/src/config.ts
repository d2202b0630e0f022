/**
 * The app's settings, built once from the environment (see `.env.example`) and handed to `ConfigModule` as its
 * configuration; every provider reads them through `ConfigService<AppConfig, true>`.
 */
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';

export type ProviderName = 'kakao' | 'naver';

/** Where a provider's strategy points: the real service, or the local emulator. */
export interface ProviderSettings {
  mode: 'real' | 'emulator';
  clientID: string;
  clientSecret: string | undefined;
  /** Set in emulator mode: the emulator's origin. */
  baseURL: string | undefined;
}

export interface KakaoSettings extends ProviderSettings {
  /** OpenID Connect: `openid` in the scope, a nonce per login, the id_token verified (its claims reach `validate`). */
  oidc: boolean;
}

/** Everything the app reads from `ConfigService`. */
export interface AppConfig {
  /** Signs the app's session JWT; also the key material for the provider tokens sealed inside it. At least 32 bytes. */
  jwtSecret: string;
  /** Seals each login's transaction cookie (`CookieStateStore`). At least 32 bytes. */
  loginCookieSecret: string;
  /** Lifetime of the app's session (the JWT and its cookie), in seconds. */
  sessionTtlSeconds: number;
  /** Mark the cookies `Secure` (behind HTTPS): `SECURE_COOKIES=true`, production, or an https `PUBLIC_ORIGIN`. */
  secureCookies: boolean;
  /**
   * The origin browsers use (`PUBLIC_ORIGIN`, e.g. `https://app.example.com`): the callback URLs and the same-origin
   * check are built from it, never from the `Host` header. Required in production; unset, the request's host is used.
   */
  publicOrigin: string | undefined;
  /** Express's `trust proxy` (`TRUST_PROXY`): whose `X-Forwarded-*` headers to believe. Default: nobody's. */
  trustProxy: boolean | number | string;
  /** Deadline for each request to a provider, in ms (the strategies' `timeout`). */
  providerTimeoutMs: number;
  kakao: KakaoSettings;
  naver: ProviderSettings;
}

/** The emulator's URLs and credentials, when it runs. */
export interface EmulatorSettings {
  kakao: { baseURL: string; clientID: string; clientSecret: string | undefined };
  naver: { baseURL: string; clientID: string; clientSecret: string };
}

/** Values of `.env.example` that must be replaced: refused in production, replaced by a random secret otherwise. */
const PLACEHOLDER = /^(change-me|your-|<)/i;

/** A configuration the app refuses to start with; the message names the variable, never its value. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

function isSet(value: string | undefined): value is string {
  return value !== undefined && value !== '' && !PLACEHOLDER.test(value);
}

/** True when the environment has real keys for a provider (placeholders do not count). */
export function hasRealKeys(env: NodeJS.ProcessEnv, provider: ProviderName): boolean {
  return provider === 'kakao' ? isSet(env['KAKAO_CLIENT_ID']) : isSet(env['NAVER_CLIENT_ID']) && isSet(env['NAVER_CLIENT_SECRET']);
}

/**
 * Builds the configuration from the environment. A provider with keys uses the real service, the other the emulator.
 * In production (`NODE_ENV=production`) every secret must be set to a real value of at least 32 bytes, a placeholder
 * from `.env.example` is refused, and so is running without keys; elsewhere a missing secret is random per start.
 */
export function configFromEnv(env: NodeJS.ProcessEnv, emulator: EmulatorSettings | undefined): AppConfig {
  const production = env['NODE_ENV'] === 'production';
  const secret = (name: string): string => {
    const value = env[name];
    if (production) {
      if (value === undefined || value === '') throw new ConfigError(`${name} must be set in production`);
      if (PLACEHOLDER.test(value)) throw new ConfigError(`${name} is still the placeholder from .env.example; set a random value (openssl rand -hex 32)`);
    }
    if (!isSet(value)) return randomBytes(32).toString('hex');
    if (Buffer.byteLength(value, 'utf8') < 32) throw new ConfigError(`${name} must be at least 32 bytes long`);
    return value;
  };
  const jwtSecret = secret('JWT_SECRET');
  const loginCookieSecret = secret('LOGIN_COOKIE_SECRET');
  for (const name of ['KAKAO_CLIENT_ID', 'KAKAO_CLIENT_SECRET', 'NAVER_CLIENT_ID', 'NAVER_CLIENT_SECRET']) {
    const value = env[name];
    if (production && value !== undefined && PLACEHOLDER.test(value)) throw new ConfigError(`${name} is still the placeholder from .env.example`);
  }
  // Half a key pair is a mistake, not a wish for the emulator: say which half is missing.
  for (const [present, missing] of [['NAVER_CLIENT_ID', 'NAVER_CLIENT_SECRET'], ['NAVER_CLIENT_SECRET', 'NAVER_CLIENT_ID'], ['KAKAO_CLIENT_SECRET', 'KAKAO_CLIENT_ID']] as const) {
    if (isSet(env[present]) && !isSet(env[missing])) throw new ConfigError(`${present} is set but ${missing} is missing`);
  }
  const fromEmulator = (provider: ProviderName): ProviderSettings => {
    if (production) throw new ConfigError(`No ${provider} keys are set; the emulator is for development and tests, not production`);
    if (!emulator) throw new ConfigError(`No ${provider} keys are set and the emulator is not running`);
    const settings = emulator[provider];
    return { mode: 'emulator', clientID: settings.clientID, clientSecret: settings.clientSecret, baseURL: settings.baseURL };
  };
  const kakao: ProviderSettings = hasRealKeys(env, 'kakao')
    ? { mode: 'real', clientID: env['KAKAO_CLIENT_ID'] ?? '', clientSecret: isSet(env['KAKAO_CLIENT_SECRET']) ? env['KAKAO_CLIENT_SECRET'] : undefined, baseURL: undefined }
    : fromEmulator('kakao');
  const naver: ProviderSettings = hasRealKeys(env, 'naver')
    ? { mode: 'real', clientID: env['NAVER_CLIENT_ID'] ?? '', clientSecret: env['NAVER_CLIENT_SECRET'], baseURL: undefined }
    : fromEmulator('naver');
  const publicOrigin = parsePublicOrigin(env['PUBLIC_ORIGIN'], production);
  const trustProxy = parseTrustProxy(env['TRUST_PROXY']);
  const kakaoOidc = flag(env, 'KAKAO_OIDC');
  const timeout = Number(env['PROVIDER_TIMEOUT_MS'] || 10_000);
  if (!Number.isInteger(timeout) || timeout <= 0) throw new ConfigError('PROVIDER_TIMEOUT_MS must be a positive whole number');
  const ttl = Number(env['SESSION_TTL_SECONDS'] || 12 * 3600);
  if (!Number.isInteger(ttl) || ttl <= 0) throw new ConfigError('SESSION_TTL_SECONDS must be a positive whole number');
  return {
    jwtSecret,
    loginCookieSecret,
    sessionTtlSeconds: ttl,
    secureCookies: flag(env, 'SECURE_COOKIES') === true || production || publicOrigin?.startsWith('https:') === true,
    publicOrigin,
    trustProxy,
    providerTimeoutMs: timeout,
    // OIDC: on with the emulator (its Kakao app has it on), opt-in with real keys (it must be on in the Kakao console).
    kakao: { ...kakao, oidc: kakaoOidc ?? kakao.mode === 'emulator' },
    naver,
  };
}

/** `PUBLIC_ORIGIN`: an http(s) origin, https in production, where it is required. */
function parsePublicOrigin(raw: string | undefined, production: boolean): string | undefined {
  if (raw === undefined || raw === '') {
    if (production) throw new ConfigError('PUBLIC_ORIGIN must be set in production: the callback URLs are built from it (e.g. https://app.example.com)');
    return undefined;
  }
  const url = URL.canParse(raw) ? new URL(raw) : undefined;
  if (!url || !['http:', 'https:'].includes(url.protocol) || url.origin !== raw.replace(/\/$/, '')) {
    throw new ConfigError('PUBLIC_ORIGIN must be an origin only: scheme, host and optional port (e.g. https://app.example.com)');
  }
  if (production && url.protocol !== 'https:') throw new ConfigError('PUBLIC_ORIGIN must be https in production');
  return url.origin;
}

/** `TRUST_PROXY` as Express's `trust proxy` takes it: true, false, a number of hops, or addresses and subnets. */
function parseTrustProxy(raw: string | undefined): boolean | number | string {
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  if (/^\d+$/.test(raw)) return Number(raw);
  const entries = raw.split(',').map((entry) => entry.trim());
  if (!entries.every(isTrustedProxyEntry)) throw new ConfigError('TRUST_PROXY must be true, false, a number of hops, or addresses/subnets (e.g. loopback or 10.0.0.0/8)');
  return raw;
}

/** One entry of Express's `trust proxy` list: a preset name, an address, or a subnet (`/bits` or `/netmask`). */
function isTrustedProxyEntry(entry: string): boolean {
  if (entry === 'loopback' || entry === 'linklocal' || entry === 'uniquelocal') return true;
  const [address = '', range, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (range === undefined) return true;
  // As proxy-addr (Express's `trust proxy`) takes a range: 1 to the address's bits, or a contiguous, non-zero netmask.
  if (/^\d+$/.test(range)) return Number(range) >= 1 && Number(range) <= (version === 4 ? 32 : 128);
  if (version !== 4 || isIP(range) !== 4) return false;
  const bits = range.split('.').reduce((mask, octet) => mask * 256 + Number(octet), 0);
  const inverted = 2 ** 32 - 1 - bits;
  return bits !== 0 && (inverted & (inverted + 1)) === 0;
}

/** A yes/no setting: 1, true, 0 or false in any case; unset or empty is `undefined`. */
function flag(env: NodeJS.ProcessEnv, name: string): boolean | undefined {
  const raw = env[name]?.toLowerCase();
  if (raw === undefined || raw === '') return undefined;
  if (raw === '1' || raw === 'true') return true;
  if (raw === '0' || raw === 'false') return false;
  throw new ConfigError(`${name} must be 1, true, 0 or false`);
}
