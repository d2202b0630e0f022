import { describeEndpoint, invalidResponse, readClientSettings, refreshAccessToken, requireStringArgument, requireStringOption } from '@passport-korea/internal';
import type { ClientSettings, TokenExchangeConfig } from '@passport-korea/internal';
import type { Agent } from 'node:http';
import { resolveKakaoEndpoints } from './endpoints.js';
import type { KakaoEndpointOptions, KakaoEndpoints } from './endpoints.js';
import { parseKakaoTokenError } from './errors.js';
import { callKakaoAPI } from './kapi.js';
import { KakaoIdTokenError, KakaoIdTokenVerifier, resolveKakaoIdTokenChecks } from './oidc.js';
import type { KakaoIdTokenClaims } from './oidc.js';
import { exactKakaoId } from './profile.js';

const OWNER = 'KakaoAuthClient';

/** Options of {@link KakaoAuthClient}: the strategy's options work as they are. */
export interface KakaoAuthClientOptions extends KakaoEndpointOptions {
  /** The REST API key. */
  clientID: string;
  /** Sent only when given (Client Secret ON). */
  clientSecret?: string | undefined;
  /** Deadline for each request, in ms. Default 10 000. */
  timeout?: number | undefined;
  /** An HTTP(S) agent, e.g. for a proxy. */
  agent?: Agent | undefined;
  /** Expected `iss` of refreshed id_tokens. Default `https://kauth.kakao.com`, or `baseURL` when that is set. */
  issuer?: string | undefined;
  /** Clock tolerance for refreshed id_tokens' `exp` and `iat`, in seconds. Default 60. */
  clockTolerance?: number | undefined;
  /** Minimum time between two JWKS fetches for an unknown `kid`, in ms. Default 30 000. */
  jwksRefetchCooldown?: number | undefined;
}

/** The answer to a refresh, with the refresh token to keep using. */
export interface KakaoRefreshResult {
  accessToken: string;
  tokenType: string;
  /** Seconds until the new access token expires; `0` when the answer has none (treated as due for refresh). */
  expiresIn: number;
  /** When the new access token expires (computed when the answer arrived). */
  expiresAt: Date;
  /**
   * The refresh token to keep using: Kakao's new one when it rotated it (under a month was left), else the one passed
   * in, which stays valid.
   */
  refreshToken: string;
  /** True when Kakao issued a new refresh token. */
  refreshTokenRotated: boolean;
  /** Seconds until the new refresh token expires; only when rotated. */
  refreshTokenExpiresIn: number | undefined;
  /**
   * A new id_token, when the original login had one (OIDC): verified before `refresh` resolves (signature, `iss`,
   * `aud`, `exp`, `iat`; no nonce, as OIDC Core 12.2 has none on refresh). Only a verified one is handed out: one that
   * fails leaves this `undefined` and says why in {@link KakaoRefreshResult.idTokenError}.
   */
  idToken: string | undefined;
  /** The verified claims of {@link KakaoRefreshResult.idToken}. */
  idTokenClaims: KakaoIdTokenClaims | undefined;
  /**
   * Why the id_token Kakao sent was not handed out (a bad token, or its keys unreachable: `JWKS_UNAVAILABLE`,
   * `JWKS_TIMEOUT`). The call still resolves: Kakao has already issued the access token and, in its last month, a new
   * refresh token, which would be lost with a rejection. Check it where the id_token matters.
   */
  idTokenError: KakaoIdTokenError | undefined;
  /** Kakao's body as received, without `refresh_token`. */
  raw: Record<string, unknown>;
}

/** `/v1/user/access_token_info`. */
export interface KakaoTokenInfo {
  /** The user id, exact. */
  id: string;
  /** Seconds the access token has left. */
  expiresIn: number;
  /** The app's numeric id. */
  appId: number;
}

/** Options of {@link KakaoAuthClient.accountLogoutURL}. */
export interface KakaoAccountLogoutOptions {
  /** A Logout Redirect URI registered in the console (KOE007 otherwise). */
  logoutRedirectURI: string;
  /** Echoed back to the redirect URI. */
  state?: string | undefined;
}

/**
 * Kakao's token lifecycle after login: refresh, token info, logout, unlink, and the Kakao Account logout URL.
 * Errors are the strategy's: `KakaoTokenError` (kauth, with `errorCode`), `KakaoAPIError` (kapi, with `code`),
 * `ProviderRequestError` (transport, `TIMEOUT` after `timeout`).
 *
 * @example
 * ```ts
 * const kakao = new KakaoAuthClient(strategyOptions);
 * const { accessToken, refreshToken } = await kakao.refresh(user.refreshToken); // store both
 * ```
 */
export class KakaoAuthClient {
  readonly endpoints: KakaoEndpoints;
  readonly #settings: ClientSettings;
  private readonly tokenConfig: TokenExchangeConfig;
  private readonly idTokens: KakaoIdTokenVerifier;

  constructor(options: KakaoAuthClientOptions) {
    this.#settings = readClientSettings(options, OWNER, 'optional');
    this.endpoints = resolveKakaoEndpoints(options, OWNER);
    this.tokenConfig = { provider: 'kakao', timeout: this.#settings.timeout, parseErrorResponse: parseKakaoTokenError };
    this.idTokens = new KakaoIdTokenVerifier(resolveKakaoIdTokenChecks(options, OWNER, {
      jwksURL: this.endpoints.jwksURL,
      audience: this.#settings.clientID,
      timeout: this.#settings.timeout,
      agent: () => this.#settings.agent,
    }));
  }

  /**
   * Gets a new access token with `grant_type=refresh_token`.
   * QUIRK (docs/providers/kakao.md A2, refresh rule): Kakao sends a new refresh token only when the old one has less than
   * a month left; otherwise the old one stays valid, and `refreshToken` here is the one passed in.
   */
  async refresh(refreshToken: string): Promise<KakaoRefreshResult> {
    const { accessToken, refreshToken: rotated, results } = await refreshAccessToken(this.tokenConfig, this.#settings, this.endpoints.tokenURL, refreshToken, `${OWNER}.refresh`);
    const expiresIn = numberField(results['expires_in']) ?? 0;
    const sent = typeof results['id_token'] === 'string' ? results['id_token'] : undefined;
    const { idToken, idTokenClaims, idTokenError } = await this.checkRefreshedIdToken(sent);
    return {
      accessToken,
      tokenType: typeof results['token_type'] === 'string' ? results['token_type'] : 'bearer',
      expiresIn,
      expiresAt: new Date(Date.now() + expiresIn * 1000),
      refreshToken: rotated ?? refreshToken,
      refreshTokenRotated: rotated !== undefined,
      refreshTokenExpiresIn: rotated === undefined ? undefined : numberField(results['refresh_token_expires_in']),
      idToken,
      idTokenClaims,
      idTokenError,
      raw: results,
    };
  }

  /** The refreshed id_token verified, or why not: never thrown, so the new tokens are not lost with it. */
  private async checkRefreshedIdToken(idToken: string | undefined): Promise<Pick<KakaoRefreshResult, 'idToken' | 'idTokenClaims' | 'idTokenError'>> {
    if (idToken === undefined) return { idToken, idTokenClaims: undefined, idTokenError: undefined };
    try {
      return { idToken, idTokenClaims: await this.idTokens.verify(idToken), idTokenError: undefined };
    } catch (error) {
      if (!(error instanceof KakaoIdTokenError)) throw error;
      return { idToken: undefined, idTokenClaims: undefined, idTokenError: error };
    }
  }

  /** `GET /v1/user/access_token_info`: whose token it is, how long it has left, for which app. */
  async tokenInfo(accessToken: string): Promise<KakaoTokenInfo> {
    const { json, raw } = await this.api('tokenInfo', 'GET', this.endpoints.tokenInfoURL, accessToken);
    const expiresIn = numberField(json['expires_in']);
    const appId = numberField(json['app_id']);
    if (expiresIn === undefined || appId === undefined) {
      throw invalidResponse('kakao', 'GET', this.endpoints.tokenInfoURL, `Kakao answered ${describeEndpoint('GET', this.endpoints.tokenInfoURL)} without expires_in or app_id`, 200);
    }
    return { id: this.userId(json, raw, 'GET', this.endpoints.tokenInfoURL), expiresIn, appId };
  }

  /** `POST /v1/user/logout`: revokes the user's tokens (the Kakao browser session survives). Returns the user id. */
  async logout(accessToken: string): Promise<{ id: string }> {
    const { json, raw } = await this.api('logout', 'POST', this.endpoints.logoutURL, accessToken);
    return { id: this.userId(json, raw, 'POST', this.endpoints.logoutURL) };
  }

  /** `POST /v1/user/unlink`: disconnects the user from the app, revoking consent and tokens. Returns the user id. */
  async unlink(accessToken: string): Promise<{ id: string }> {
    const { json, raw } = await this.api('unlink', 'POST', this.endpoints.unlinkURL, accessToken);
    return { id: this.userId(json, raw, 'POST', this.endpoints.unlinkURL) };
  }

  /**
   * The Kakao Account logout URL (`/oauth/logout`): send the browser there to end the Kakao session too; Kakao
   * redirects to `logoutRedirectURI` with the `state`.
   */
  accountLogoutURL(options: KakaoAccountLogoutOptions): string {
    const url = new URL(this.endpoints.accountLogoutURL);
    url.searchParams.set('client_id', this.#settings.clientID);
    url.searchParams.set('logout_redirect_uri', requireStringOption(options.logoutRedirectURI, 'logoutRedirectURI', `${OWNER}.accountLogoutURL`));
    if (options.state !== undefined) url.searchParams.set('state', options.state);
    return url.toString();
  }

  private api(caller: string, method: 'GET' | 'POST', url: string, accessToken: string) {
    requireStringArgument(accessToken, 'accessToken', `${OWNER}.${caller}`);
    return callKakaoAPI({ method, url, accessToken, timeout: this.#settings.timeout, agent: this.#settings.agent });
  }

  private userId(json: Record<string, unknown>, raw: string, method: 'GET' | 'POST', url: string): string {
    const id = json['id'];
    if (typeof id !== 'number' || !Number.isInteger(id)) {
      throw invalidResponse('kakao', method, url, `Kakao answered ${describeEndpoint(method, url)} without a user id`, 200);
    }
    return exactKakaoId(raw, id, describeEndpoint(method, url));
  }
}

function numberField(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
