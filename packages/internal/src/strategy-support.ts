import { sanitizeProviderText } from './errors.js';
/**
 * Small pieces both strategies use around passport-oauth2: option checks and reading the callback's error.
 */

/** passport-oauth2's default per-request deadline is none; ours is 10 s. */
export const DEFAULT_TIMEOUT_MS = 10_000;

/** Throws a `TypeError` unless the constructor got an options object and a verify function. */
export function assertStrategyArguments(options: unknown, verify: unknown, strategy: string): void {
  if (typeof options !== 'object' || options === null) throw new TypeError(`${strategy} requires an options object`);
  if (typeof verify !== 'function') throw new TypeError(`${strategy} requires a verify callback`);
}

/** Throws a `TypeError` naming the option unless `value` is a non-empty string. */
export function requireStringOption(value: unknown, option: string, strategy: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new TypeError(`${strategy} requires the ${option} option (a non-empty string)`);
  }
  return value;
}

/** Throws a `TypeError` naming the argument unless `value` is a non-empty string. */
export function requireStringArgument(value: unknown, argument: string, method: string): string {
  if (typeof value !== 'string' || value.length === 0) throw new TypeError(`${method} requires the ${argument} argument (a non-empty string)`);
  return value;
}

/** Checks an optional string option; returns it or `undefined`. */
export function optionalStringOption(value: unknown, option: string, strategy: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0) {
    throw new TypeError(`${strategy}: the ${option} option must be a non-empty string when given`);
  }
  return value;
}

/** The longest delay Node's timers take (2^31 - 1 ms). */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** Validates a duration option (a positive, finite number of milliseconds, at most 2^31 - 1) and applies the default. */
export function resolveTimeout(value: unknown, strategy: string, option = 'timeout', fallback = DEFAULT_TIMEOUT_MS): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new TypeError(`${strategy}: the ${option} option must be a positive number of milliseconds`);
  }
  // Node's timers take at most 2^31 - 1 ms; a longer one fires after 1 ms.
  if (value > MAX_TIMEOUT_MS) throw new TypeError(`${strategy}: the ${option} option must be at most ${MAX_TIMEOUT_MS} ms (about 24.8 days)`);
  return value;
}

/** An error the provider reported on the redirect back to the app (`?error=…`). */
export interface CallbackError {
  error: string;
  description: string | undefined;
  uri: string | undefined;
}

/**
 * Reads `error`, `error_description` and `error_uri` from the callback's query (or form body, for `form_post`).
 * Only plain strings count: a repeated parameter (an array) is ignored rather than trusted.
 */
export function readCallbackError(req: { query?: unknown; body?: unknown }): CallbackError | undefined {
  const source = pickSource(req);
  if (!source) return undefined;
  const error = source['error'];
  if (typeof error !== 'string' || error.length === 0) return undefined;
  const description = source['error_description'];
  const uri = source['error_uri'];
  return {
    error,
    description: typeof description === 'string' ? description : undefined,
    uri: typeof uri === 'string' ? uri : undefined,
  };
}

function pickSource(req: { query?: unknown; body?: unknown }): Record<string, unknown> | undefined {
  for (const candidate of [req.query, req.body]) {
    if (typeof candidate === 'object' && candidate !== null && 'error' in candidate) {
      return candidate as Record<string, unknown>;
    }
  }
  return undefined;
}

/** Joins a string-or-list option with the provider's separator. */
export function joinList(value: string | readonly string[], separator: string): string {
  return typeof value === 'string' ? value : value.join(separator);
}

/** The fields of an OAuth error body (`{ error, error_description, … }`), or `undefined` if `json` is not one. */
export interface OAuthErrorBody {
  error: string;
  errorDescription: string | undefined;
  /** `error_uri`, cleaned (a page about the error, RFC 6749 5.2). */
  errorUri: string | undefined;
  /** The whole body, for provider extras such as Kakao's `error_code`. */
  json: Record<string, unknown>;
}

/** Reads an OAuth error body; `undefined` when `json` has no string `error`. */
export function readOAuthErrorBody(json: Record<string, unknown> | undefined): OAuthErrorBody | undefined {
  if (!json || typeof json['error'] !== 'string') return undefined;
  const description = json['error_description'];
  const uri = json['error_uri'];
  return {
    error: json['error'],
    errorDescription: typeof description === 'string' ? description : undefined,
    errorUri: typeof uri === 'string' && uri.length > 0 ? sanitizeProviderText(uri) : undefined,
    json,
  };
}

/** Splits a scope option (a string with commas or spaces, or a list) into its items. */
export function scopeList(scope: string | readonly string[] | undefined): string[] {
  if (scope === undefined) return [];
  return typeof scope === 'string' ? scope.split(/[\s,]+/).filter(Boolean) : [...scope];
}

/** The scope with `openid` added when missing (OpenID Connect logins). */
export function withOpenid(scope: string | readonly string[] | undefined): string[] {
  const list = scopeList(scope);
  return list.includes('openid') ? list : [...list, 'openid'];
}

/**
 * Checks `profileFrom` (`'userinfo'` or `'idToken'`) against `oidc`, with `TypeError`s naming the option; true for
 * `'idToken'`, which needs OpenID Connect.
 */
export function resolveProfileFromIdToken(profileFrom: unknown, oidc: unknown, owner: string): boolean {
  if (profileFrom !== undefined && profileFrom !== 'userinfo' && profileFrom !== 'idToken') {
    throw new TypeError(`${owner}: profileFrom must be 'userinfo' or 'idToken'`);
  }
  if (profileFrom === 'idToken' && oidc === false) throw new TypeError(`${owner}: profileFrom 'idToken' needs OpenID Connect (oidc: true)`);
  return profileFrom === 'idToken';
}

/** OpenID Connect keeps a nonce (and a PKCE verifier) with each login's transaction, so it needs `state` or a store. */
export function assertOidcKeepsState(oidc: boolean, state: boolean | undefined, owner: string): void {
  if (oidc && state === false) {
    throw new TypeError(`${owner}: OpenID Connect keeps a nonce and a PKCE verifier with each login's state; it can't run with state: false (use a store, e.g. CookieStateStore, to run without sessions)`);
  }
}

/**
 * passport-oauth2's `scopeSeparator`, which the provider fixes: Kakao takes scope ids separated by commas, Naver's
 * OpenID Connect scope by spaces. Any other value is refused rather than ignored.
 */
export function assertScopeSeparator(value: unknown, expected: string, owner: string, why: string): void {
  if (value !== undefined && value !== expected) {
    throw new TypeError(`${owner}: scopeSeparator must be ${JSON.stringify(expected)} or left out (${why}); got ${JSON.stringify(value)}`);
  }
}

/**
 * node-oauth keeps the client secret as an enumerable field of `_oauth2`, which `util.inspect(strategy)` prints. It
 * becomes a non-enumerable accessor over a closure: still readable (passport-oauth2-refresh copies it onto its own
 * client) and writable, but shown by no `inspect` (not even with `showHidden`, which shows only `[Getter/Setter]`) and
 * no `JSON.stringify`.
 */
export function hideClientSecret(client: object): void {
  let secret = (client as { _clientSecret?: unknown })._clientSecret;
  Object.defineProperty(client, '_clientSecret', {
    get: () => secret,
    set: (value: unknown) => {
      secret = value;
    },
    enumerable: false,
    configurable: true,
  });
}

/** Refuses option values passport-oauth2 would silently take for something else (`pkce: 'plain'` as S256, say). */
export function checkTransportOptions(options: object, owner: string): void {
  const { pkce, agent, customHeaders, insecureAllowLoginCSRF } = options as Record<string, unknown>;
  if (pkce !== undefined && typeof pkce !== 'boolean') {
    throw new TypeError(`${owner}: pkce must be true (S256, the only method sent) or false; got ${JSON.stringify(pkce)}`);
  }
  if (agent !== undefined && (typeof agent !== 'object' || agent === null)) throw new TypeError(`${owner}: agent must be an http.Agent or https.Agent`);
  if (customHeaders !== undefined && (typeof customHeaders !== 'object' || customHeaders === null || Array.isArray(customHeaders))) {
    throw new TypeError(`${owner}: customHeaders must be an object of header names and values`);
  }
  if (insecureAllowLoginCSRF !== undefined && typeof insecureAllowLoginCSRF !== 'boolean') {
    throw new TypeError(`${owner}: insecureAllowLoginCSRF must be true or false`);
  }
}
