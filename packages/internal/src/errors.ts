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
 * The provider could not be reached, did not answer in time, or answered with something unusable.
 * Extends passport-oauth2's `InternalOAuthError`, so existing `instanceof InternalOAuthError` checks keep working.
 * The message names the endpoint but never carries a secret, a token or the response body.
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
    super(message, init.cause);
    this.code = init.code;
    this.provider = init.provider;
    this.endpoint = init.endpoint;
    this.httpStatus = init.httpStatus;
    if (init.cause !== undefined) {
      Object.defineProperty(this, 'cause', { value: init.cause, enumerable: false, configurable: true, writable: true });
    }
  }

  /** passport-oauth2's `InternalOAuthError#toString` prints its inner error instead; keep ours. */
  override toString(): string {
    return `${this.name}: ${this.message}`;
  }
}

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

/** An answer the protocol does not allow (empty, HTML, missing fields), at `method url`. */
export function invalidResponse(provider: ProviderName, method: string, url: string, message: string, httpStatus: number): ProviderRequestError {
  return new ProviderRequestError(message, { provider, code: 'INVALID_RESPONSE', endpoint: describeEndpoint(method, url), httpStatus });
}
