import { defineHidden, parseJSONObject, readOAuthErrorBody, redactProviderBody, sanitizeProviderText } from '@passport-korea/internal';
import OAuth2Strategy from 'passport-oauth2';

export { ProviderRequestError, SessionRequiredError } from '@passport-korea/internal';
export type { ProviderRequestErrorCode } from '@passport-korea/internal';

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
 * (e.g. `invalid_request` / `no valid data in session` when a code is used twice).
 * Extends passport-oauth2's `TokenError` (`code` is the OAuth error).
 */
export class NaverTokenError extends OAuth2Strategy.TokenError {
  override name = 'NaverTokenError';
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
  /** Same as `resultcode`: the stable code to branch on. */
  readonly code: string;
  readonly httpStatus: number;
  declare readonly body: string | undefined;

  constructor(init: NaverAPIErrorInit) {
    super(`Naver API error ${sanitizeProviderText(init.resultcode)}: ${sanitizeProviderText(init.message)}`);
    this.resultcode = init.resultcode;
    this.code = init.resultcode;
    this.httpStatus = init.httpStatus;
    defineHidden(this, 'body', init.body === undefined ? undefined : redactProviderBody(init.body));
  }
}

/** Naver redirected back with `?error=…` other than `access_denied`. `code` is the OAuth `error`. */
export class NaverAuthorizationError extends OAuth2Strategy.AuthorizationError {
  override name = 'NaverAuthorizationError';
  readonly errorDescription: string | undefined;

  constructor(error: string, errorDescription?: string, uri?: string) {
    const description = errorDescription === undefined ? undefined : sanitizeProviderText(errorDescription);
    super(`Naver authorization failed: ${sanitizeProviderText(error)}${description ? `: ${description}` : ''}`, sanitizeProviderText(error), uri);
    this.errorDescription = description;
  }
}

/**
 * Turns Naver's `{ error, error_description }` into a {@link NaverTokenError}; `null` for a body that is not one.
 * QUIRK (provider-reference B2, B6.1): Naver sends it with HTTP 200; the token exchange hands every body with an
 * `error` here, whatever the status, so the profile API is never called without a token.
 */
export function parseNaverTokenError(body: string, status: number): NaverTokenError | null {
  const oauth = readOAuthErrorBody(parseJSONObject(body));
  return oauth ? new NaverTokenError({ ...oauth, httpStatus: status, body }) : null;
}
