import OAuth2Strategy from 'passport-oauth2';

/** The providers this workspace speaks to. */
export type ProviderName = 'kakao' | 'naver';

/** How a provider is named in error messages. */
export const PROVIDER_LABEL: Readonly<Record<ProviderName, string>> = { kakao: 'Kakao', naver: 'Naver' };

/**
 * Why a request to the provider produced no usable answer.
 * - `TIMEOUT`: no complete answer within the configured `timeout`.
 * - `NETWORK_ERROR`: the connection failed (refused, reset, DNS, TLS).
 * - `INVALID_RESPONSE`: an answer came, but not one the protocol allows (empty, not JSON, HTML, missing fields).
 */
export type ProviderRequestErrorCode = 'TIMEOUT' | 'NETWORK_ERROR' | 'INVALID_RESPONSE';

/** What a {@link ProviderRequestError} is built from. */
export interface ProviderRequestErrorInit {
  provider: ProviderName;
  code: ProviderRequestErrorCode;
  /** `METHOD https://host/path`, never with a query string. */
  endpoint: string;
  /** HTTP status of the answer, when there was one. */
  httpStatus?: number | undefined;
  /** The underlying error, e.g. Node's `ECONNREFUSED`. */
  cause?: unknown;
}

/**
 * Makes `instanceof` recognise instances made by another copy of the same class. Each published package bundles its
 * own copy of this file, so an app that installs both packages has two `ProviderRequestError` classes; a brand
 * registered with `Symbol.for` is shared by both copies (and by every realm), so `err instanceof ProviderRequestError`
 * holds whichever package's class it is checked against. Subclasses keep ordinary prototype checks.
 */
function brand(target: abstract new (...args: never[]) => object, name: string): void {
  const mark = Symbol.for(`passport-korea.${name}`);
  Object.defineProperty(target.prototype, mark, { value: true });
  Object.defineProperty(target, Symbol.hasInstance, {
    value(this: unknown, value: unknown): boolean {
      if (this !== target) return Function.prototype[Symbol.hasInstance].call(this, value);
      return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[mark] === true;
    },
  });
}

/** C0 and C1 control characters (newlines included): stripped from provider- or attacker-controlled text. */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;
/** `code=…`, `token=…` and the like, as some providers echo them in descriptions (Kakao's KOE320). */
const SECRET_PAIRS = /\b(code|token|access_token|refresh_token|id_token|client_secret|code_verifier)=[^\s,&]+/gi;
/** Longer provider texts are cut: they are for people, and nothing reads past this. */
const MAX_TEXT_LENGTH = 300;

/**
 * Makes text that the provider or an attacker controls (`error_description`, a kapi `msg`) safe to put in an error
 * message or a log line: control characters become a space, codes and tokens are redacted, and it is cut to 300
 * characters. HTML escaping stays the job of whatever renders it.
 */
export function sanitizeProviderText(text: string): string {
  const clean = text.replace(CONTROL_CHARACTERS, ' ').replace(SECRET_PAIRS, '$1=[redacted]').trim();
  return clean.length > MAX_TEXT_LENGTH ? `${clean.slice(0, MAX_TEXT_LENGTH)}…` : clean;
}

/**
 * A provider's raw body, kept (non-enumerable) on an error for debugging: `code=…`-style pairs and JSON token fields
 * redacted, whatever its format.
 */
export function redactProviderBody(body: string): string {
  return body
    .replace(/\b(code|token|access_token|refresh_token|id_token)=[^\s,&"']+/gi, '$1=[redacted]')
    .replace(/"(access_token|refresh_token|id_token)"\s*:\s*"[^"]*"/g, '"$1":"[redacted]"');
}

/**
 * The provider could not be reached, did not answer in time, or answered with something unusable.
 * Extends passport-oauth2's `InternalOAuthError`, so existing `instanceof InternalOAuthError` checks keep working.
 * The message names the endpoint but never carries a secret, a token or the response body.
 * `instanceof ProviderRequestError` holds across `passport-kakao-ts` and `passport-naver-ts` (one brand, see `brand`).
 */
export class ProviderRequestError extends OAuth2Strategy.InternalOAuthError {
  override name = 'ProviderRequestError';
  /** A stable code to branch on. */
  readonly code: ProviderRequestErrorCode;
  readonly provider: ProviderName;
  readonly endpoint: string;
  /** HTTP status of the provider's answer, when there was one. */
  readonly httpStatus: number | undefined;

  constructor(message: string, init: ProviderRequestErrorInit) {
    // Not passed to InternalOAuthError, which would keep it as the enumerable `oauthError` (shown by util.inspect and
    // JSON.stringify); it is kept as the non-enumerable `cause` and `oauthError` below.
    super(message, undefined);
    delete (this as Record<string, unknown>)['oauthError'];
    this.code = init.code;
    this.provider = init.provider;
    this.endpoint = init.endpoint;
    this.httpStatus = init.httpStatus;
    if (init.cause !== undefined) {
      Object.defineProperty(this, 'cause', { value: init.cause, enumerable: false, configurable: true, writable: true });
      // passport-oauth2 documents `oauthError` as the underlying error: kept, out of enumeration, inspect and JSON.
      Object.defineProperty(this, 'oauthError', { value: init.cause, enumerable: false, configurable: true, writable: true });
    }
  }

  /** passport-oauth2's `InternalOAuthError#toString` prints its inner error instead; keep ours. */
  override toString(): string {
    return `${this.name}: ${this.message}`;
  }
}

brand(ProviderRequestError, 'ProviderRequestError');

/**
 * A login could not keep its state: `state` is on and the request has neither a session nor a `store`.
 * `instanceof` holds across both packages, like {@link ProviderRequestError}.
 */
export class SessionRequiredError extends Error {
  override name = 'SessionRequiredError';
  /** Stable; branch on it. */
  readonly code = 'SESSION_REQUIRED';

  constructor(strategy: string) {
    super(
      `${strategy}: state is on (CSRF protection), but this request has no session to keep it in. Either add ` +
        'express-session before Passport, or keep the login in a sealed cookie with no session at all: ' +
        "`store: new CookieStateStore({ secret: process.env.LOGIN_COOKIE_SECRET })` in the strategy's options.",
    );
  }
}
brand(SessionRequiredError, 'SessionRequiredError');

/** Describes an endpoint for messages: method and URL without query or fragment, so nothing secret can leak. */
export function describeEndpoint(method: string, url: string): string {
  try {
    const parsed = new URL(url);
    return `${method} ${parsed.origin}${parsed.pathname}`;
  } catch {
    return `${method} (invalid URL)`;
  }
}

/**
 * Sets a property that stays out of `JSON.stringify`, `util.inspect` and enumeration (for raw bodies and responses,
 * which should not end up in logs by accident), while remaining readable.
 */
export function defineHidden<T extends object>(target: T, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: false, configurable: true, writable: false });
}

/**
 * passport-oauth2's token failure, `InternalOAuthError('Failed to obtain access token')`, with `oauthError` (node-oauth's
 * `{ statusCode, data }`, or what went wrong) and `cause` kept out of enumeration, `util.inspect` and JSON.
 */
export function tokenRequestFailed(oauthError: unknown, cause?: unknown): InstanceType<typeof OAuth2Strategy.InternalOAuthError> {
  const error = new OAuth2Strategy.InternalOAuthError('Failed to obtain access token', undefined);
  delete (error as unknown as Record<string, unknown>)['oauthError'];
  defineHidden(error, 'oauthError', oauthError);
  if (cause !== undefined) defineHidden(error, 'cause', cause);
  return error;
}

/** An answer the protocol does not allow (empty, HTML, missing fields), at `method url`. */
export function invalidResponse(provider: ProviderName, method: string, url: string, message: string, httpStatus: number): ProviderRequestError {
  return new ProviderRequestError(message, { provider, code: 'INVALID_RESPONSE', endpoint: describeEndpoint(method, url), httpStatus });
}
