import type { Request } from 'express';
import type { Agent } from 'node:http';
import OAuth2Strategy from 'passport-oauth2';
import type { ProviderName } from './errors.js';
import { settleCallback } from './http.js';
import { readCallbackError } from './strategy-support.js';
import type { CallbackError } from './strategy-support.js';
import { createTokenExchange } from './token-exchange.js';
import type { OAuth2ClientFields } from './token-exchange.js';

/** What the base class needs besides passport-oauth2's options. */
export interface ProviderStrategyConfig {
  provider: ProviderName;
  /** Deadline per request to the provider, in milliseconds. */
  timeout: number;
  /** Rewrites a successful token response into its typed shape. */
  normalizeTokenResponse?: ((json: Record<string, unknown>) => Record<string, unknown>) | undefined;
}

/** Any verify callback passport-oauth2 accepts; it picks the form by arity at run time. */
type AnyVerify = OAuth2Strategy.VerifyFunction | OAuth2Strategy.VerifyFunctionWithRequest;

/**
 * What the Kakao and Naver strategies share on top of passport-oauth2's `Strategy`: the token exchange with deadlines
 * and typed errors, the provider's error redirect, and typed errors passed through unwrapped.
 */
export abstract class ProviderStrategy extends OAuth2Strategy {
  /** Deadline per request to the provider, in milliseconds. */
  protected readonly _timeout: number;

  constructor(
    options: OAuth2Strategy.StrategyOptions | OAuth2Strategy.StrategyOptionsWithRequest,
    verify: AnyVerify,
    config: ProviderStrategyConfig,
  ) {
    super(options as OAuth2Strategy.StrategyOptions, verify as OAuth2Strategy.VerifyFunction);
    this._timeout = config.timeout;
    const client = this._oauth2 as unknown as OAuth2ClientFields & { getOAuthAccessToken: unknown };
    client.getOAuthAccessToken = createTokenExchange({
      provider: config.provider,
      timeout: config.timeout,
      parseErrorResponse: (body, status) => this.parseErrorResponse(body, status),
      normalizeTokenResponse: config.normalizeTokenResponse,
    });
  }

  /**
   * Handles the provider's error redirect before passport-oauth2 sees the request, then checks per-request options.
   * `access_denied` (the user pressed Cancel) is a Passport failure carrying the provider's description; any other
   * `error` becomes the provider's authorization error.
   */
  override authenticate(req: Request, options?: object): void {
    const callbackError = readCallbackError(req);
    if (callbackError) {
      if (callbackError.error === 'access_denied') {
        this.fail({ message: callbackError.description ?? 'The user denied access.', error: 'access_denied' });
      } else {
        this.error(this.createAuthorizationError(callbackError));
      }
      return;
    }
    const invalid = this.checkAuthenticateOptions(options ?? {});
    if (invalid) {
      this.error(invalid);
      return;
    }
    super.authenticate(req, options);
  }

  /** Fetches and maps the user's profile (see {@link ProviderStrategy.loadProfile}) for passport-oauth2. */
  override userProfile(accessToken: string, done: (err?: unknown, profile?: object) => void): void {
    settleCallback(this.loadProfile(accessToken), done);
  }

  /** Fetches the provider's user info with the access token and maps it to the normalized profile. */
  protected abstract loadProfile(accessToken: string): Promise<object>;

  /** Builds the provider's error for an `?error=` redirect other than `access_denied`. */
  protected abstract createAuthorizationError(error: CallbackError): Error;

  /** Validates per-request options; returns the error to end the request with, if any. */
  protected checkAuthenticateOptions(_options: object): Error | undefined {
    return undefined;
  }

  /** The HTTP agent set through passport-oauth2's `_oauth2.setAgent`, if any. */
  protected get _agent(): Agent | undefined {
    return (this._oauth2 as unknown as { _agent?: Agent })._agent;
  }

  /**
   * passport-oauth2 wraps token errors in `InternalOAuthError` unless they look like node-oauth's `{ statusCode, data }`;
   * the token exchange here already yields typed errors, so they pass through unchanged.
   * @internal
   */
  protected _createOAuthError(message: string, err: unknown): Error {
    return err instanceof Error ? err : new OAuth2Strategy.InternalOAuthError(message, err);
  }
}
