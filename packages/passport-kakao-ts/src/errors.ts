import { defineHidden, parseJSONObject, readOAuthErrorBody, redactProviderBody, sanitizeProviderText } from '@passport-korea/internal';
import type { LoginStateFailureCode, ProviderRequestErrorCode } from '@passport-korea/internal';
import OAuth2Strategy from 'passport-oauth2';
import type { KakaoIdTokenErrorCode } from './oidc.js';
import type { KakaoTokenFailureCode } from './token-options.js';
import type { KakaoWebhookErrorCode } from './webhook.js';

export { ProviderRequestError, SessionRequiredError } from '@passport-korea/internal';
export type { ProviderRequestErrorCode };

/**
 * Every `code` the package's errors carry and every `code` of the challenges it passes to Passport's `fail`: one string
 * union, so that `switch (err.code)` (or `switch (info.code)`) is typed and exhaustive. Kakao's own codes stay under
 * their own names: `errorCode` (`KOE…`) and `error` (OAuth's) on {@link KakaoTokenError}, `apiCode` (`-401`, `-402`…)
 * on {@link KakaoAPIError}, `error` on {@link KakaoAuthorizationError}.
 *
 * Thrown or passed to `error()`:
 * - `TIMEOUT`, `NETWORK_ERROR`, `INVALID_RESPONSE`: {@link ProviderRequestError} (Kakao unreachable, slow, or unreadable).
 * - `SESSION_REQUIRED`: {@link SessionRequiredError} (state on, no session, no store).
 * - `TOKEN_REQUEST_FAILED`: {@link KakaoTokenError}. `API_REQUEST_FAILED`: {@link KakaoAPIError}.
 * - `AUTHORIZATION_FAILED`: {@link KakaoAuthorizationError}.
 * - {@link KakaoIdTokenErrorCode}: `KakaoIdTokenError`. {@link KakaoWebhookErrorCode}: `KakaoWebhookError`.
 *
 * Passed to `fail()` (the challenge's `code`):
 * - {@link LoginStateFailureCode}: the callback's state or PKCE verifier was refused (403).
 * - `ACCESS_DENIED`: the user pressed Cancel at Kakao.
 * - {@link KakaoTokenFailureCode}: `KakaoTokenStrategy`'s refusals (400, 401).
 */
export type KakaoErrorCode =
  | ProviderRequestErrorCode
  | 'SESSION_REQUIRED'
  | 'TOKEN_REQUEST_FAILED'
  | 'API_REQUEST_FAILED'
  | 'AUTHORIZATION_FAILED'
  | KakaoIdTokenErrorCode
  | KakaoWebhookErrorCode
  | LoginStateFailureCode
  | 'ACCESS_DENIED'
  | KakaoTokenFailureCode;

/**
 * Kakao puts the authorization code into some descriptions (KOE320, docs/providers/kakao.md A2): codes and tokens are
 * redacted, control characters stripped, before any of it reaches a message, a property or a log line.
 */
const redact = sanitizeProviderText;

/** What a {@link KakaoTokenError} is built from: the fields of Kakao's kauth error body and the HTTP status. */
export interface KakaoTokenErrorInit {
  /** OAuth `error`, e.g. `invalid_grant`. */
  error: string;
  errorDescription?: string | undefined;
  /** Kakao's `error_code`, e.g. `KOE320`. */
  errorCode?: string | undefined;
  httpStatus: number;
  /** `error_uri`, when the answer has one: kept as passport-oauth2's `uri`. */
  errorUri?: string | undefined;
  /** The body as received; kept out of enumeration and logs. */
  body?: string | undefined;
}

/**
 * Kakao's token endpoint (kauth.kakao.com) refused the request: `{ error, error_description, error_code }`.
 * `code` is `TOKEN_REQUEST_FAILED` (see {@link KakaoErrorCode}); Kakao's own fields stay under their names: `error`
 * (OAuth's, e.g. `invalid_grant`) and `errorCode` (Kakao's `KOE…`). Branch on `errorCode` (Kakao says descriptions
 * may change): `KOE320` code reused or expired, `KOE303` redirect URI mismatch, `KOE010` bad client secret,
 * `KOE101` unknown client, `KOE322` refresh token expired, `KOE237` rate limited.
 * Extends passport-oauth2's `TokenError`.
 */
export class KakaoTokenError extends OAuth2Strategy.TokenError {
  override name = 'KakaoTokenError';
  /** Stable; see {@link KakaoErrorCode}. */
  override readonly code = 'TOKEN_REQUEST_FAILED' as const;
  /** OAuth's `error`, e.g. `invalid_grant`, `invalid_client`. */
  readonly error: string;
  /** Kakao's `KOE…` code; absent in old-style answers. */
  readonly errorCode: string | undefined;
  /** `error_description`, with any code or token in it redacted. */
  readonly errorDescription: string | undefined;
  /** The HTTP status of Kakao's answer (400, 401…). `status` stays passport-oauth2's 500, what the app should answer. */
  readonly httpStatus: number;
  /** The body as received, with codes and tokens redacted (non-enumerable, so it stays out of logs). */
  declare readonly body: string | undefined;

  constructor(init: KakaoTokenErrorInit) {
    // All of Kakao's text is data, `error` and `error_code` included: control characters stripped, codes redacted.
    const error = redact(init.error);
    const errorCode = init.errorCode === undefined ? undefined : redact(init.errorCode);
    const description = init.errorDescription === undefined ? undefined : redact(init.errorDescription);
    const label = errorCode ? `${error} (${errorCode})` : error;
    super(`Kakao token request failed: ${label}${description ? `: ${description}` : ''}`, error, init.errorUri === undefined ? undefined : redact(init.errorUri));
    this.error = error;
    this.errorCode = errorCode;
    this.errorDescription = description;
    this.httpStatus = init.httpStatus;
    defineHidden(this, 'body', init.body === undefined ? undefined : redactProviderBody(init.body));
  }
}

/** What a {@link KakaoAPIError} is built from: Kakao's kapi error body `{ msg, code }` and the HTTP status. */
export interface KakaoAPIErrorInit {
  /** Kakao's negative error code (the body's `code`), e.g. `-401`. */
  apiCode: number;
  msg: string;
  httpStatus: number;
  /** With `-402`: the consent items the call needs. */
  requiredScopes?: readonly string[] | undefined;
  /** With `-402`: the consent items the user has given. */
  allowedScopes?: readonly string[] | undefined;
  body?: string | undefined;
}

/**
 * A Kakao API (kapi.kakao.com) call failed with `{ msg, code }`. `code` is `API_REQUEST_FAILED` (see
 * {@link KakaoErrorCode}); Kakao's number is `apiCode`: `-401` invalid or expired token, `-402` missing consent (see
 * `requiredScopes`), `-101` user not connected to the app, `-102` already connected, `-103` dormant or unknown account,
 * `-406` user under 14, `-10` quota, `-1`/`-2`/`-3` internal, parameter, setup (docs/providers/kakao.md A4, A8).
 */
export class KakaoAPIError extends Error {
  override name = 'KakaoAPIError';
  /** Stable; see {@link KakaoErrorCode}. */
  readonly code = 'API_REQUEST_FAILED' as const;
  /** Kakao's negative error code, e.g. `-401`, `-402`. */
  readonly apiCode: number;
  readonly msg: string;
  readonly httpStatus: number;
  readonly requiredScopes: readonly string[] | undefined;
  readonly allowedScopes: readonly string[] | undefined;
  declare readonly body: string | undefined;

  constructor(init: KakaoAPIErrorInit) {
    super(`Kakao API error ${init.apiCode}: ${redact(init.msg)}`);
    this.apiCode = init.apiCode;
    this.msg = redact(init.msg);
    this.httpStatus = init.httpStatus;
    this.requiredScopes = init.requiredScopes;
    this.allowedScopes = init.allowedScopes;
    defineHidden(this, 'body', init.body === undefined ? undefined : redactProviderBody(init.body));
  }
}

/**
 * Kakao redirected back with `?error=…` other than `access_denied` (which is a Passport failure, not an error),
 * e.g. `consent_required` after `prompt=none`. `code` is `AUTHORIZATION_FAILED`; OAuth's `error` is `error`.
 */
export class KakaoAuthorizationError extends OAuth2Strategy.AuthorizationError {
  override name = 'KakaoAuthorizationError';
  /** Stable; see {@link KakaoErrorCode}. */
  override readonly code = 'AUTHORIZATION_FAILED' as const;
  /** OAuth's `error`, e.g. `consent_required`, `server_error`. */
  readonly error: string;
  readonly errorDescription: string | undefined;

  constructor(error: string, errorDescription?: string, uri?: string) {
    const description = errorDescription === undefined ? undefined : redact(errorDescription);
    super(`Kakao authorization failed: ${redact(error)}${description ? `: ${description}` : ''}`, redact(error), uri);
    this.error = redact(error);
    this.errorDescription = description;
  }
}

/**
 * Turns a kauth error body into a {@link KakaoTokenError} keeping `error`, Kakao's `error_code` and the HTTP status;
 * `null` for a body that is not one. The strategy's `parseErrorResponse` and {@link KakaoAuthClient} both use it.
 * QUIRK (docs/providers/kakao.md A2, A7.5): switch on `error_code`, Kakao's descriptions may change.
 */
export function parseKakaoTokenError(body: string, status: number): KakaoTokenError | null {
  const oauth = readOAuthErrorBody(parseJSONObject(body));
  if (!oauth) return null;
  const errorCode = oauth.json['error_code'];
  return new KakaoTokenError({ ...oauth, errorCode: typeof errorCode === 'string' ? errorCode : undefined, httpStatus: status, body });
}
