import {
  TokenRefusal,
  assertStrategyArguments,
  authenticateToken,
  checkAccessToken,
  describeEndpoint,
  invalidResponse,
  missingBodyHint,
  optionalStringOption,
  presentedToken,
  resolveTimeout,
  resolveTokenSources,
  runTokenVerify,
  tokenPlaces,
} from '@passport-korea/internal';
import type { TokenRequest } from '@passport-korea/internal';
import type { Request } from 'express';
import type { Agent } from 'node:http';
import { Strategy as PassportStrategy } from 'passport-strategy';
import { resolveNaverEndpoints } from './endpoints.js';
import { NaverAPIError } from './errors.js';
import { callNaverAPI } from './openapi.js';
import { parseNaverProfile } from './profile.js';
import type { NaverProfile, NaverUserResponse, NaverVerifyCallback } from './types.js';

const OWNER = 'NaverTokenStrategy';

/** Longest access token accepted before any request to Naver (Naver documents at most 256 characters, B2). */
export const NAVER_TOKEN_MAX_LENGTH = 2048;

/** Where the access token may come from: the `Authorization: Bearer` header, or a field of the parsed body. */
export type NaverTokenSource = 'header' | 'body';

/** Options of {@link NaverTokenStrategy} shared by both verify forms. */
export interface NaverTokenStrategyOptionsBase {
  /** Where the access token is read from. Default `['header', 'body']`; a request carrying one in both is refused. */
  tokenFrom?: NaverTokenSource | readonly NaverTokenSource[] | undefined;
  /** Body field with the access token. Default `access_token`. */
  tokenField?: string | undefined;
  /** Deadline for the request to Naver, in milliseconds. Default 10 000. */
  timeout?: number | undefined;
  /** An origin serving `/v1/nid/me`, such as the local emulator. */
  baseURL?: string | undefined;
  /** Default `https://openapi.naver.com/v1/nid/me`. */
  profileURL?: string | undefined;
  /** An HTTP(S) agent for the request to Naver, e.g. for a proxy. */
  agent?: Agent | undefined;
}

/** Options for the verify callback `(credentials, profile, done)`. */
export interface NaverTokenStrategyOptions extends NaverTokenStrategyOptionsBase {
  passReqToCallback?: false | undefined;
}

/** Options for the verify callback that receives `req` first: `(req, credentials, profile, done)`. */
export interface NaverTokenStrategyOptionsWithRequest extends NaverTokenStrategyOptionsBase {
  passReqToCallback: true;
}

/** What the request presented: the access token Naver answered `/v1/nid/me` for. */
export interface NaverTokenCredentials {
  accessToken: string;
}

/** The verify callback: the credentials and the user's profile. It may call `done` or return a promise. */
export type NaverTokenVerify = (credentials: NaverTokenCredentials, profile: NaverProfile, done: NaverVerifyCallback) => void | Promise<unknown>;

/** The request-first verify callback (`passReqToCallback: true`). */
export type NaverTokenVerifyWithRequest = (
  req: Request,
  credentials: NaverTokenCredentials,
  profile: NaverProfile,
  done: NaverVerifyCallback,
) => void | Promise<unknown>;

/**
 * Why a request was refused (the `code` of the Passport failure). Stable; branch on these.
 * - `MISSING_TOKEN` (400): no access token where `tokenFrom` looks.
 * - `MULTIPLE_TOKENS` (400): an access token both in the `Authorization` header and in the body (RFC 6750 §2).
 * - `MALFORMED_TOKEN` (400): empty, not a string, longer than 2048 characters, or not a Bearer token's charset.
 * - `INVALID_TOKEN` (401): Naver refused the token (`resultcode` `024`: expired, revoked or unknown).
 */
export type NaverTokenFailureCode = 'MISSING_TOKEN' | 'MULTIPLE_TOKENS' | 'MALFORMED_TOKEN' | 'INVALID_TOKEN';

/** The challenge of a Passport failure (`info` in a custom callback); it never contains the token. */
export interface NaverTokenFailure {
  message: string;
  code: NaverTokenFailureCode;
}

const refuse = (code: NaverTokenFailureCode, message: string, status: 400 | 401 = 400) => new TokenRefusal<NaverTokenFailure>({ message, code }, status);

/**
 * Sign in with an access token a Naver Login SDK (Android, iOS, JavaScript) gave the client, registered as
 * `'naver-token'`. No redirect and no session: the client sends the token (`Authorization: Bearer …` or a body field),
 * the strategy loads `/v1/nid/me` with it (same envelope and `resultcode` handling as the web strategy), and the verify
 * callback finds the user by `profile.id`.
 *
 * **What protects the app from a token issued to another app.** Naver has no call that names the app a token was
 * issued to (`/v1/nid/verify` only says it is valid), so this strategy does not and cannot check it. What protects
 * the app is that Naver's user ids are per app (pairwise): a token another app obtained for the same person makes
 * `/v1/nid/me` answer with that other app's id for them, an id this app never stored. So look users up by
 * `profile.id` only, never create or link an account by email, phone number or name from such a profile, and treat
 * an unknown id as a new sign-up.
 *
 * A missing or malformed token fails with status 400 before any request to Naver; a token Naver refuses (`024`) fails
 * with 401 and `INVALID_TOKEN`. Other trouble is a typed error (`NaverAPIError`, `ProviderRequestError`). No message or
 * error contains the token.
 *
 * @example
 * ```ts
 * passport.use(new NaverTokenStrategy({}, (credentials, profile, done) => done(null, { id: profile.id })));
 * app.post('/auth/naver/token', passport.authenticate('naver-token', { session: false }), (req, res) => res.json(req.user));
 * ```
 */
export class NaverTokenStrategy extends PassportStrategy {
  /** The name Passport knows the strategy by. */
  name = 'naver-token';
  private readonly _sources: ReadonlySet<NaverTokenSource>;
  private readonly _tokenField: string;
  private readonly _timeout: number;
  private readonly _profileURL: string;
  private readonly _agent: Agent | undefined;
  private readonly _passReq: boolean;
  private readonly _verify: (...args: unknown[]) => unknown;

  /**
   * @param options - See {@link NaverTokenStrategyOptionsBase}; all optional.
   * @param verify - Called with the credentials and the profile; it may call `done` or return a promise.
   */
  constructor(options: NaverTokenStrategyOptions, verify: NaverTokenVerify);
  constructor(options: NaverTokenStrategyOptionsWithRequest, verify: NaverTokenVerifyWithRequest);
  constructor(options: NaverTokenStrategyOptions | NaverTokenStrategyOptionsWithRequest, verify: NaverTokenVerify | NaverTokenVerifyWithRequest) {
    super();
    assertStrategyArguments(options, verify, OWNER);
    this._sources = resolveTokenSources(options.tokenFrom, OWNER);
    this._tokenField = optionalStringOption(options.tokenField, 'tokenField', OWNER) ?? 'access_token';
    this._timeout = resolveTimeout(options.timeout, OWNER);
    this._profileURL = resolveNaverEndpoints({ baseURL: options.baseURL, profileURL: options.profileURL }, OWNER).profileURL;
    this._agent = options.agent;
    this._passReq = options.passReqToCallback === true;
    this._verify = verify as (...args: unknown[]) => unknown;
  }

  /** Checks the request's token with Naver, then calls the verify callback; every outcome reaches Passport once. */
  override authenticate(request: Request, _options?: object): void {
    authenticateToken(
      this,
      request,
      OWNER,
      () => this.readToken(request as unknown as TokenRequest),
      async (accessToken) => ({ accessToken, profile: await this.loadProfile(accessToken) }),
      ({ accessToken, profile }) => runTokenVerify(this, this._verify, this._passReq, request, { accessToken } satisfies NaverTokenCredentials, profile),
    );
  }

  /** Reads and shape-checks the access token; throws a `TokenRefusal` (400) when it is missing or malformed. */
  private readToken(req: TokenRequest): string {
    // Naver's tokens use `+`, `/` and `=`: the Bearer token charset (token68) allows them.
    const { body, token } = presentedToken(req, this._sources, this._tokenField, refuse);
    if (token === undefined) {
      const hint = missingBodyHint(this._sources, body);
      throw refuse('MISSING_TOKEN', `No Naver access token in the request: looked in ${tokenPlaces(this._sources, this._tokenField).join(' and ')}.${hint}`);
    }
    return checkAccessToken(token, NAVER_TOKEN_MAX_LENGTH, refuse);
  }

  /** `/v1/nid/me` as the web strategy reads it; `024` is a failure, anything else that goes wrong an error. */
  private async loadProfile(accessToken: string): Promise<NaverProfile> {
    const url = this._profileURL;
    let answer: Awaited<ReturnType<typeof callNaverAPI>>;
    try {
      answer = await callNaverAPI({ method: 'GET', url, accessToken, timeout: this._timeout, agent: this._agent });
    } catch (error) {
      if (error instanceof NaverAPIError && error.resultcode === '024') {
        throw refuse('INVALID_TOKEN', 'Naver does not accept the access token (expired, revoked or unknown).', 401);
      }
      throw error;
    }
    const user = answer.json['response'];
    const id = typeof user === 'object' && user !== null ? (user as Record<string, unknown>)['id'] : undefined;
    if (typeof id !== 'string' || id.length === 0) {
      throw invalidResponse('naver', 'GET', url, `Naver answered ${describeEndpoint('GET', url)} without a user id`, 200);
    }
    return parseNaverProfile(answer.json as unknown as NaverUserResponse, answer.raw);
  }
}
