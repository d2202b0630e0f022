import { defineHidden, parseJSONObject, readOAuthErrorBody, redactProviderBody, sanitizeProviderText } from '@passport-korea/internal';
import type { LoginStateFailureCode, ProviderRequestErrorCode } from '@passport-korea/internal';
import OAuth2Strategy from 'passport-oauth2';
import type { NaverIdTokenErrorCode } from './oidc.js';
import type { NaverTokenFailureCode } from './token-strategy.js';
import type { NaverWebhookErrorCode } from './webhook.js';

export { ProviderRequestError, SessionRequiredError } from '@passport-korea/internal';
export type { ProviderRequestErrorCode };

/**
 * Every `code` the package's errors carry and every `code` of the challenges it passes to Passport's `fail`: one string
 * union, so that `switch (err.code)` (or `switch (info.code)`) is typed and exhaustive. Naver's own codes stay under
 * their own names: `error` (OAuth's) on {@link NaverTokenError} and {@link NaverAuthorizationError}, `resultcode`
 * (`024`, `028`…) on {@link NaverAPIError}.
 *
 * Thrown or passed to `error()`:
 * - `TIMEOUT`, `NETWORK_ERROR`, `INVALID_RESPONSE`: {@link ProviderRequestError} (Naver unreachable, slow, or unreadable).
 * - `SESSION_REQUIRED`: {@link SessionRequiredError} (state on, no session, no store).
 * - `TOKEN_REQUEST_FAILED`: {@link NaverTokenError} (often with HTTP 200). `API_REQUEST_FAILED`: {@link NaverAPIError}.
 * - `AUTHORIZATION_FAILED`: {@link NaverAuthorizationError}.
 * - {@link NaverIdTokenErrorCode}: `NaverIdTokenError`. {@link NaverWebhookErrorCode}: `NaverWebhookError`.
 *
 * Passed to `fail()` (the challenge's `code`):
 * - {@link LoginStateFailureCode}: the callback's state or PKCE verifier was refused (403).
 * - `ACCESS_DENIED`: the user pressed Cancel at Naver (or Naver refused the browser, `autologin`).
 * - {@link NaverTokenFailureCode}: `NaverTokenStrategy`'s refusals (400, 401).
 */
export type NaverErrorCode =
  | ProviderRequestErrorCode
  | 'SESSION_REQUIRED'
  | 'TOKEN_REQUEST_FAILED'
  | 'API_REQUEST_FAILED'
  | 'AUTHORIZATION_FAILED'
  | NaverIdTokenErrorCode
  | NaverWebhookErrorCode
  | LoginStateFailureCode
  | 'ACCESS_DENIED'
  | NaverTokenFailureCode;

/** What a {@link NaverTokenError} is built from. */
export interface NaverTokenErrorInit {
  /** OAuth `error`, e.g. `invalid_request`. */
  error: string;
  errorDescription?: string | undefined;
  /** The HTTP status of Naver's answer: often 200, see {@link NaverTokenError}. */
  httpStatus: number;
  /** `error_uri`, when the answer has one: kept as passport-oauth2's `uri`. */
  errorUri?: string | undefined;
  body?: string | undefined;
}

/**
 * Naver's token endpoint refused the request with `{ error, error_description }`, usually with **HTTP 200**
 * (e.g. `invalid_request` / `no valid data in session` when a code is used twice). `code` is `TOKEN_REQUEST_FAILED`
 * (see {@link NaverErrorCode}); OAuth's `error` is `error`. Extends passport-oauth2's `TokenError`.
 */
export class NaverTokenError extends OAuth2Strategy.TokenError {
  override name = 'NaverTokenError';
  /** Stable; see {@link NaverErrorCode}. */
  override readonly code = 'TOKEN_REQUEST_FAILED' as const;
  /** OAuth's `error`, e.g. `invalid_request`. */
  readonly error: string;
  readonly errorDescription: string | undefined;
  /** The HTTP status of Naver's answer. `status` stays passport-oauth2's 500, what the app should answer. */
  readonly httpStatus: number;
  /** The raw body (non-enumerable). */
  declare readonly body: string | undefined;

  constructor(init: NaverTokenErrorInit) {
    // Naver's text is data: control characters stripped, codes and tokens redacted (see sanitizeProviderText).
    const error = sanitizeProviderText(init.error);
    const description = init.errorDescription === undefined ? undefined : sanitizeProviderText(init.errorDescription);
    super(`Naver token request failed: ${error}${description ? `: ${description}` : ''}`, error, init.errorUri === undefined ? undefined : sanitizeProviderText(init.errorUri));
    this.error = error;
    this.errorDescription = description;
    this.httpStatus = init.httpStatus;
    defineHidden(this, 'body', init.body === undefined ? undefined : redactProviderBody(init.body));
  }
}

/** What a {@link NaverAPIError} is built from. */
export interface NaverAPIErrorInit {
  /** Naver's `resultcode`, e.g. `024`. */
  resultcode: string;
  message: string;
  httpStatus: number;
  body?: string | undefined;
}

/**
 * A Naver API call answered with a `resultcode` other than `"00"`, whatever the HTTP status (200 or 401):
 * `024` authentication failed, `028` no Authorization header, `403` forbidden, `404` not found, `500` server error.
 */
export class NaverAPIError extends Error {
  override name = 'NaverAPIError';
  /** Naver's `resultcode`, kept as the string Naver sends (`"024"`). */
  readonly resultcode: string;
  /** Stable; see {@link NaverErrorCode}. Naver's own code is `resultcode`. */
  readonly code = 'API_REQUEST_FAILED' as const;
  readonly httpStatus: number;
  declare readonly body: string | undefined;

  constructor(init: NaverAPIErrorInit) {
    super(`Naver API error ${sanitizeProviderText(init.resultcode)}: ${sanitizeProviderText(init.message)}`);
    this.resultcode = init.resultcode;
    this.httpStatus = init.httpStatus;
    defineHidden(this, 'body', init.body === undefined ? undefined : redactProviderBody(init.body));
  }
}

/** Naver redirected back with `?error=…` other than `access_denied`. `code` is `AUTHORIZATION_FAILED`; OAuth's is `error`. */
export class NaverAuthorizationError extends OAuth2Strategy.AuthorizationError {
  override name = 'NaverAuthorizationError';
  /** Stable; see {@link NaverErrorCode}. */
  override readonly code = 'AUTHORIZATION_FAILED' as const;
  /** OAuth's `error`. */
  readonly error: string;
  readonly errorDescription: string | undefined;

  constructor(error: string, errorDescription?: string, uri?: string) {
    const description = errorDescription === undefined ? undefined : sanitizeProviderText(errorDescription);
    super(`Naver authorization failed: ${sanitizeProviderText(error)}${description ? `: ${description}` : ''}`, sanitizeProviderText(error), uri);
    this.error = sanitizeProviderText(error);
    this.errorDescription = description;
  }
}

/**
 * Turns Naver's `{ error, error_description }` into a {@link NaverTokenError}; `null` for a body that is not one.
 * QUIRK (docs/providers/naver.md B2, B6.1): Naver sends it with HTTP 200; the token exchange hands every body with an
 * `error` here, whatever the status, so the profile API is never called without a token.
 */
export function parseNaverTokenError(body: string, status: number): NaverTokenError | null {
  const oauth = readOAuthErrorBody(parseJSONObject(body));
  return oauth ? new NaverTokenError({ ...oauth, httpStatus: status, body }) : null;
}
