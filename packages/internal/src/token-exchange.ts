import type { Agent } from 'node:http';
import { PROVIDER_LABEL, invalidResponse, tokenRequestFailed } from './errors.js';
import type { ProviderName } from './errors.js';
import { parseJSONObject, sendProviderRequest } from './http.js';

/** The parts of node-oauth's `OAuth2` client that the token exchange reads (from `this`, see below). */
export interface OAuth2ClientFields {
  _clientId: string;
  _clientSecret?: string | undefined;
  _agent?: Agent | undefined;
  /** passport-oauth2's `customHeaders` option, as node-oauth keeps it. */
  _customHeaders?: Readonly<Record<string, unknown>> | undefined;
  _getAccessTokenUrl(): string;
}

/**
 * A per-call deadline, in milliseconds, passed to the installed `getOAuthAccessToken` inside its `params` (a symbol, so
 * that it is never sent and a stub that ignores it still works): a login passes what is left of its time budget.
 */
export const TOKEN_REQUEST_TIMEOUT: unique symbol = Symbol('passport-korea.tokenRequestTimeout');

/** node-oauth's `getOAuthAccessToken` callback, as passport-oauth2 and passport-oauth2-refresh call it. */
export type TokenCallback = (
  err: Error | null,
  accessToken?: string,
  refreshToken?: string,
  results?: Record<string, unknown>,
) => void;

/** What a provider's token exchange needs to know. */
export interface TokenExchangeConfig {
  provider: ProviderName;
  /** Deadline per request, in milliseconds. */
  timeout: number;
  /**
   * Turns an error answer of the token endpoint into a typed error (the strategy's `parseErrorResponse`).
   * Returning `null` means "not an error body I know", which becomes an `INVALID_RESPONSE`.
   */
  parseErrorResponse(body: string, status: number): Error | null;
  /** Rewrites a successful token response into its typed shape (e.g. Naver's string `expires_in` into a number). */
  normalizeTokenResponse?: ((json: Record<string, unknown>) => Record<string, unknown>) | undefined;
  /** The agent to use when the client has none of its own (passport-oauth2-refresh's copy of the client has none). */
  agent?: (() => Agent | undefined) | undefined;
}

/** The fields that must come first in every token request body, in this order; the rest follow as given. */
const LEADING_FIELDS = ['grant_type', 'client_id', 'client_secret', 'redirect_uri', 'code', 'refresh_token'] as const;

/**
 * Builds a replacement for node-oauth's `OAuth2#getOAuthAccessToken`, installed on the strategy's `_oauth2` client.
 *
 * Why replace it: node-oauth sends `client_secret=` even when there is none (Kakao apps may have no secret), has no
 * timeout, treats any 2xx as success (Naver answers errors with HTTP 200), and parses HTML error pages as
 * query strings. This version fixes all four and keeps node-oauth's calling convention, so passport-oauth2 and
 * passport-oauth2-refresh (which copies this function onto a new client) use it unchanged.
 *
 * Client credentials and the token URL are read from `this`, as node-oauth does, because passport-oauth2-refresh
 * calls the function on a copy of the client.
 */
export function createTokenExchange(config: TokenExchangeConfig) {
  return function getOAuthAccessToken(
    this: OAuth2ClientFields,
    code: string,
    params: Record<string, string> | undefined,
    callback: TokenCallback,
  ): void {
    const timeout = (params as Record<symbol, unknown> | undefined)?.[TOKEN_REQUEST_TIMEOUT];
    requestToken(config, this, code, params ?? {}, typeof timeout === 'number' ? timeout : config.timeout).then(
      ({ accessToken, refreshToken, results }) => process.nextTick(callback, null, accessToken, refreshToken, results),
      (error: Error) => process.nextTick(callback, error),
    );
  };
}

/** A successful token response: the access token, the refresh token if one came, and the rest of the body. */
export interface TokenResult<Results extends object = Record<string, unknown>> {
  accessToken: string;
  refreshToken: string | undefined;
  /** The (normalized) body without `refresh_token`. */
  results: Results;
}

/**
 * One request to the token endpoint (`grant_type` in `params`; `code` is the code or, for `refresh_token`, the
 * refresh token), with the error ladder described at {@link createTokenExchange}. `timeout` overrides the config's
 * deadline (a login passes what is left of its budget).
 */
export async function requestToken(
  config: TokenExchangeConfig,
  client: OAuth2ClientFields,
  code: string,
  params: Record<string, string>,
  timeout: number = config.timeout,
): Promise<TokenResult> {
  const label = PROVIDER_LABEL[config.provider];
  const fields: Record<string, string | undefined> = {
    ...params,
    client_id: client._clientId,
    // client_secret_post, and only when the app has a secret: never an empty or made-up one.
    client_secret: client._clientSecret ? client._clientSecret : undefined,
    [params['grant_type'] === 'refresh_token' ? 'refresh_token' : 'code']: code,
  };
  const body = new URLSearchParams();
  for (const key of LEADING_FIELDS) {
    const value = fields[key];
    if (value !== undefined) body.append(key, value);
  }
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined && !(LEADING_FIELDS as readonly string[]).includes(key)) body.append(key, value);
  }

  const url = client._getAccessTokenUrl();
  const response = await sendProviderRequest({
    provider: config.provider,
    method: 'POST',
    url,
    // node-oauth's rule: the app's customHeaders first, the request's own headers win on a clash.
    headers: { ...stringHeaders(client._customHeaders), 'Content-Type': 'application/x-www-form-urlencoded;charset=utf-8' },
    body: body.toString(),
    timeout,
    agent: client._agent ?? config.agent?.(),
  });

  const json = parseJSONObject(response.body);
  const ok = response.status >= 200 && response.status < 300;
  // An error body is an error whatever the status: Naver sends its token errors with HTTP 200.
  if (!ok || (json !== undefined && json['error'] !== undefined)) {
    const typed = safeParseError(config, response.body, response.status);
    if (typed instanceof Error) throw typed;
    const what = json ? 'an unrecognised JSON body' : 'a body that is not JSON';
    throw invalidResponse(config.provider, 'POST', url, `${label} token endpoint answered HTTP ${response.status} with ${what}`, response.status);
  }
  if (json === undefined) {
    throw invalidResponse(config.provider, 'POST', url, `${label} token endpoint answered HTTP ${response.status} with a body that is not JSON`, response.status);
  }
  const accessToken = json['access_token'];
  if (typeof accessToken !== 'string' || accessToken.length === 0) {
    throw invalidResponse(config.provider, 'POST', url, `${label} token endpoint answered without an access_token`, response.status);
  }
  // It goes into an Authorization header next: visible ASCII only (RFC 6750's b64token characters are a subset of it;
  // a space or a control character could not be sent).
  if (!/^[\x21-\x7E]+$/.test(accessToken)) {
    throw invalidResponse(config.provider, 'POST', url, `${label} token endpoint answered with an access_token that is not a bearer token`, response.status);
  }
  const results = config.normalizeTokenResponse ? config.normalizeTokenResponse(json) : { ...json };
  const refreshToken = typeof results['refresh_token'] === 'string' ? results['refresh_token'] : undefined;
  // Like node-oauth: the refresh token travels as its own argument, not inside `results`.
  delete results['refresh_token'];
  return { accessToken, refreshToken, results };
}

/**
 * The strategy's `parseErrorResponse` on an error answer. Should it throw (a subclass's own parser), the answer is
 * reported as passport-oauth2 reports a token failure, `InternalOAuthError('Failed to obtain access token')`, with what
 * the parser threw as its `cause` (and `oauthError`, non-enumerable), rather than as an unreadable answer.
 */
function safeParseError(config: TokenExchangeConfig, body: string, status: number, oauthError?: unknown): Error | null {
  try {
    return config.parseErrorResponse(body, status);
  } catch (thrown) {
    return tokenRequestFailed(oauthError ?? thrown, thrown);
  }
}

/** `customHeaders` values as strings (node-oauth sends whatever it was given); `undefined` and `null` left out. */
function stringHeaders(headers: Readonly<Record<string, unknown>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  for (const [name, value] of Object.entries(headers)) if (value !== undefined && value !== null) out[name] = String(value);
  return out;
}

/**
 * Reads what a `getOAuthAccessToken` answered (the installed exchange, or an app's stub of it) into a token result, or
 * the error to end the login with. node-oauth's `{ statusCode, data }` error goes through `parseErrorResponse` as
 * passport-oauth2 sends it, else becomes an `InternalOAuthError`; an answer without an access token is
 * `INVALID_RESPONSE`.
 */
export function readTokenCallback(
  config: TokenExchangeConfig,
  url: string,
  err: unknown,
  accessToken: unknown,
  refreshToken: unknown,
  results: unknown,
): TokenResult | Error {
  if (err) {
    if (err instanceof Error) return err;
    const { statusCode, data } = err as { statusCode?: unknown; data?: unknown };
    if (typeof statusCode === 'number' && typeof data === 'string') {
      // passport-oauth2 keeps node-oauth's `{ statusCode, data }` as `oauthError`; so do we when the parser throws.
      const typed = safeParseError(config, data, statusCode, err);
      if (typed instanceof Error) return typed;
    }
    return tokenRequestFailed(err);
  }
  if (typeof accessToken !== 'string' || accessToken.length === 0) {
    return invalidResponse(config.provider, 'POST', url, `${PROVIDER_LABEL[config.provider]} token endpoint answered without an access_token`, 200);
  }
  const fields = typeof results === 'object' && results !== null && !Array.isArray(results) ? { ...(results as Record<string, unknown>) } : {};
  return { accessToken, refreshToken: typeof refreshToken === 'string' && refreshToken.length > 0 ? refreshToken : undefined, results: fields };
}
