import { describeEndpoint, invalidResponse, readClientSettings, refreshAccessToken, requireStringArgument, sendProviderRequest } from '@passport-korea/internal';
import type { ClientSettings, TokenExchangeConfig } from '@passport-korea/internal';
import type { Agent } from 'node:http';
import { resolveNaverEndpoints } from './endpoints.js';
import type { NaverEndpointOptions, NaverEndpoints } from './endpoints.js';
import { parseNaverTokenError } from './errors.js';
import { callNaverAPI } from './openapi.js';
import { normalizeNaverTokenResponse } from './token-response.js';

const OWNER = 'NaverAuthClient';

/** Options of {@link NaverAuthClient}: the strategy's options work as they are. */
export interface NaverAuthClientOptions extends NaverEndpointOptions {
  clientID: string;
  clientSecret: string;
  /** Deadline for each request, in ms. Default 10 000. */
  timeout?: number | undefined;
  /** An HTTP(S) agent, e.g. for a proxy. */
  agent?: Agent | undefined;
  /**
   * The strategy's OpenID Connect option: refresh then goes to `/oauth2/token`, whose token table lists the
   * `refresh_token` grant (docs/providers/naver.md B5; discovery lists only `authorization_code`, B8 ⚠).
   */
  oidc?: boolean | undefined;
  /** The strategy's option: `'idToken'` turns OpenID Connect on there, and so here. */
  profileFrom?: 'userinfo' | 'idToken' | undefined;
}

/** The answer to a refresh. */
export interface NaverRefreshResult {
  accessToken: string;
  tokenType: string;
  /**
   * Seconds until the new access token expires (a number here; Naver sends a string). `0` when the answer has none or
   * an unreadable one: the token is then treated as due for refresh rather than assumed to last Naver's default hour.
   */
  expiresIn: number;
  /** When the new access token expires (computed when the answer arrived). */
  expiresAt: Date;
  /** The refresh token to keep using: the one passed in, unless Naver sent a new one (then that one). */
  refreshToken: string;
  /** True when Naver sent a new refresh token (it documents none). */
  refreshTokenRotated: boolean;
  /** Naver's body as received (with `expires_in` as a number). */
  raw: Record<string, unknown>;
}

/** `/v1/nid/verify`. */
export interface NaverTokenCheck {
  /** The token that was checked. */
  token: string;
  /** When it expires, as Naver writes it (the format is not documented). */
  expireDate: string;
  /** With `info: true`: the profile items the user allowed, e.g. `['id', 'name', 'email']`. */
  allowedProfile: string[] | undefined;
}

/** Which token {@link NaverAuthClient.revoke} revokes; its pair is revoked too. */
export type NaverTokenTypeHint = 'access_token' | 'refresh_token';

/**
 * Naver's token lifecycle after login: refresh, revoke, and token check. Naver has no logout API (by policy).
 * Errors are the strategy's: `NaverTokenError` (token endpoints, 200-with-error included), `NaverAPIError`
 * (`resultcode`), `ProviderRequestError` (transport, `TIMEOUT` after `timeout`).
 *
 * The deprecated `grant_type=delete` is not offered: Naver deprecated it on 2026-05-20, and it answered success even for
 * unknown tokens, so it could never confirm anything. Use {@link NaverAuthClient.revoke}.
 */
export class NaverAuthClient {
  readonly endpoints: NaverEndpoints;
  readonly #settings: ClientSettings;
  private readonly tokenConfig: TokenExchangeConfig;

  constructor(options: NaverAuthClientOptions) {
    this.#settings = readClientSettings(options, OWNER, 'required');
    this.endpoints = resolveNaverEndpoints(options, OWNER, options.oidc ?? options.profileFrom === 'idToken');
    this.tokenConfig = {
      provider: 'naver',
      timeout: this.#settings.timeout,
      parseErrorResponse: parseNaverTokenError,
      normalizeTokenResponse: normalizeNaverTokenResponse,
    };
  }

  /**
   * Gets a new access token with `grant_type=refresh_token`.
   * QUIRK (docs/providers/naver.md B2, B6.5): Naver documents no new refresh token on refresh; keep using the one you have.
   * Should Naver send one anyway, it is the one to keep, and `refreshTokenRotated` says so.
   * QUIRK (B6.1): an error answered with HTTP 200 is a `NaverTokenError` here too.
   */
  async refresh(refreshToken: string): Promise<NaverRefreshResult> {
    const { accessToken, refreshToken: rotated, results } = await refreshAccessToken(this.tokenConfig, this.#settings, this.endpoints.tokenURL, refreshToken, `${OWNER}.refresh`);
    const expiresIn = typeof results['expires_in'] === 'number' ? results['expires_in'] : 0;
    return {
      accessToken,
      tokenType: typeof results['token_type'] === 'string' ? results['token_type'] : 'bearer',
      expiresIn,
      expiresAt: new Date(Date.now() + expiresIn * 1000),
      refreshToken: rotated ?? refreshToken,
      refreshTokenRotated: rotated !== undefined,
      raw: results,
    };
  }

  /**
   * Revokes a token and its pair with `POST /oauth2.0/revoke`.
   * QUIRK (docs/providers/naver.md B2, B6.8): success is judged by the HTTP status alone: Naver answers 200 with an empty
   * body, even for a token it does not know. 400/401/503 answers become `NaverTokenError`s.
   */
  async revoke(token: string, tokenTypeHint: NaverTokenTypeHint = 'access_token'): Promise<void> {
    requireStringArgument(token, 'token', `${OWNER}.revoke`);
    const body = new URLSearchParams({ client_id: this.#settings.clientID, client_secret: this.#settings.clientSecret ?? '', token, token_type_hint: tokenTypeHint });
    const url = this.endpoints.revokeURL;
    const response = await sendProviderRequest({
      provider: 'naver',
      method: 'POST',
      url,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded;charset=utf-8' },
      body: body.toString(),
      timeout: this.#settings.timeout,
      agent: this.#settings.agent,
    });
    if (response.status >= 200 && response.status < 300) return;
    const error = parseNaverTokenError(response.body, response.status);
    if (error) throw error;
    throw invalidResponse('naver', 'POST', url, `Naver answered ${describeEndpoint('POST', url)} with HTTP ${response.status} and no error body`, response.status);
  }

  /** Checks an access token with `/v1/nid/verify`; `info: true` adds the profile items the user allowed. */
  async verify(accessToken: string, options: { info?: boolean } = {}): Promise<NaverTokenCheck> {
    requireStringArgument(accessToken, 'accessToken', `${OWNER}.verify`);
    const url = options.info ? `${this.endpoints.verifyURL}?info=true` : this.endpoints.verifyURL;
    const { json } = await callNaverAPI({ method: 'GET', url, accessToken, timeout: this.#settings.timeout, agent: this.#settings.agent });
    const response = json['response'] as Record<string, unknown> | undefined;
    const token = response?.['token'];
    const expireDate = response?.['expire_date'];
    if (typeof token !== 'string' || typeof expireDate !== 'string') {
      throw invalidResponse('naver', 'GET', url, `Naver answered ${describeEndpoint('GET', url)} without token and expire_date`, 200);
    }
    const allowed = response?.['allowed_profile'];
    return { token, expireDate, allowedProfile: typeof allowed === 'string' ? allowed.split(',').filter(Boolean) : undefined };
  }
}
