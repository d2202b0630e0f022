import { reportError, runAction } from './passport-actions.js';
import { callVerify, toError } from './verify.js';

/**
 * The token strategies' request side (a token a provider's SDK gave the client): reading the access token from the
 * `Authorization: Bearer` header or a field of the parsed body, its shape checks, and handing the checked credentials
 * to the app's verify callback. Refusals are made by the caller's factory, so each provider's failure type and codes
 * stay its own; the messages never contain the token.
 */

/** Where an access token may come from: the `Authorization: Bearer` header, or a field of the parsed body. */
export type TokenSource = 'header' | 'body';

/** A request as the token strategies read it: Express's, NestJS's or Fastify's. */
export interface TokenRequest {
  headers?: Record<string, string | string[] | undefined>;
  body?: unknown;
}

/** The refusals made here (status 400). */
export type TokenInputRefusalCode = 'MULTIPLE_TOKENS' | 'MALFORMED_TOKEN';

/** Makes the value thrown for a refusal. */
export type TokenInputRefuse = (code: TokenInputRefusalCode, message: string) => unknown;

/** What the request presented: its parsed body (an object, or `undefined`) and the access token as found (unchecked). */
export interface PresentedToken {
  body: Record<string, unknown> | undefined;
  token: unknown;
}

/** RFC 6750 `b64token` (token68): the only characters a Bearer token may have. */
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/;

/** The `tokenFrom` option as a set; a `TypeError` for anything but `'header'`, `'body'` or a non-empty list of them. */
export function resolveTokenSources(tokenFrom: unknown, owner: string): ReadonlySet<TokenSource> {
  const from: unknown = tokenFrom ?? ['header', 'body'];
  const sources = typeof from === 'string' ? [from] : Array.isArray(from) ? (from as unknown[]) : [];
  if (sources.length === 0 || sources.some((source) => source !== 'header' && source !== 'body')) {
    throw new TypeError(`${owner}: tokenFrom must be 'header', 'body' or ['header', 'body']`);
  }
  return new Set(sources as TokenSource[]);
}

/**
 * Finds the access token where `sources` says to look; `token` is `undefined` when there is none. A token in both the
 * header and the body is refused with `MULTIPLE_TOKENS` (RFC 6750 §2).
 */
export function presentedToken(req: TokenRequest, sources: ReadonlySet<TokenSource>, tokenField: string, refuse: TokenInputRefuse): PresentedToken {
  const body = typeof req.body === 'object' && req.body !== null ? (req.body as Record<string, unknown>) : undefined;
  const fromHeader = sources.has('header') ? bearerToken(req.headers?.['authorization']) : undefined;
  const fromBody = sources.has('body') && body !== undefined && body[tokenField] !== undefined ? body[tokenField] : undefined;
  if (fromHeader !== undefined && fromBody !== undefined) {
    throw refuse('MULTIPLE_TOKENS', 'The request has an access token both in the Authorization header and in the body; send one (or set tokenFrom).');
  }
  return { body, token: fromHeader ?? fromBody };
}

/** Checks an access token's shape: a non-empty string of at most `maxLength` Bearer-token characters (`MALFORMED_TOKEN`). */
export function checkAccessToken(value: unknown, maxLength: number, refuse: TokenInputRefuse): string {
  if (typeof value !== 'string' || value.length === 0) throw refuse('MALFORMED_TOKEN', 'The access token is not a non-empty string.');
  if (value.length > maxLength) throw refuse('MALFORMED_TOKEN', `The access token is longer than ${maxLength} characters.`);
  if (!TOKEN68.test(value)) throw refuse('MALFORMED_TOKEN', 'The access token has characters a Bearer token cannot have.');
  return value;
}

/** The places looked in, for a `MISSING_TOKEN` message: `an Authorization: Bearer header`, `the body field …`. */
export function tokenPlaces(sources: ReadonlySet<TokenSource>, tokenField: string): string[] {
  return [...sources].map((source) => (source === 'header' ? 'an Authorization: Bearer header' : `the body field ${tokenField}`));
}

/** For a `MISSING_TOKEN` message: a hint about a missing body parser when the body was to be read and there is none. */
export function missingBodyHint(sources: ReadonlySet<TokenSource>, body: Record<string, unknown> | undefined): string {
  return sources.has('body') && body === undefined ? ' The request has no parsed body: is a body parser (express.json(), express.urlencoded()) installed before Passport?' : '';
}

/** The token of an `Authorization: Bearer` header; `undefined` without one (or with another scheme). */
function bearerToken(header: string | string[] | undefined): unknown {
  const value = Array.isArray(header) ? header[0] : header;
  if (typeof value !== 'string') return undefined;
  const match = /^bearer(?:\s+(.*))?$/is.exec(value.trim());
  if (!match) return undefined;
  return match[1] ?? '';
}

/** The Passport actions of a strategy (`this` inside `authenticate`). */
export interface TokenStrategyActions {
  error(err: Error): void;
  fail(challenge: unknown, status?: number): void;
  success(user: unknown, info?: unknown): void;
}

/**
 * Calls a token strategy's verify callback, `(credentials, profile, done)` or with `passReq` `(req, credentials,
 * profile, done)`, through {@link callVerify} (its once-only `done`, its handling of a throw or a rejected promise),
 * and reports to Passport once: an error, a failure (401) when there is no user, or success.
 */
export function runTokenVerify(
  strategy: TokenStrategyActions,
  verify: (...args: unknown[]) => unknown,
  passReq: boolean,
  req: unknown,
  credentials: unknown,
  profile: object,
): void {
  // callVerify's (accessToken, refreshToken, profile, done) form, adapted to ours.
  const adapted = (_accessToken: unknown, _refreshToken: unknown, _profile: unknown, done: unknown) =>
    passReq ? verify(req, credentials, profile, done) : verify(credentials, profile, done);
  const args = { req, accessToken: '', refreshToken: undefined, params: {}, profile };
  callVerify(adapted, { passReq: false, withTokenResponse: false }, args, (err, user, info) => {
    if (err) return strategy.error(err as Error);
    if (!user) return strategy.fail(info ?? { message: 'The verify callback refused the user.' }, 401);
    strategy.success(user, info);
  }, (thrown) => reportError(strategy, req, thrown, 'A Passport callback'));
}

/**
 * A token strategy's refusal of the presented token: a Passport failure with its challenge and status (400 for a
 * missing or malformed token, 401 for one the provider or the checks refused). Thrown by the strategy's checks and
 * turned into `fail` by {@link authenticateToken}.
 */
export class TokenRefusal<Failure> {
  constructor(
    readonly failure: Failure,
    readonly status: 400 | 401,
  ) {}
}

/**
 * The skeleton of a token strategy's `authenticate`: `read` checks the request at once, `check` asks the provider,
 * `verify` runs the app's callback. A {@link TokenRefusal} thrown or rejected along the way becomes Passport's `fail`;
 * anything else its `error`; what a Passport action throws reaches `error`, then Express. Every request ends once.
 */
export function authenticateToken<Input, Checked>(
  strategy: TokenStrategyActions,
  req: unknown,
  what: string,
  read: () => Input,
  check: (input: Input) => Promise<Checked>,
  verify: (checked: Checked) => void,
): void {
  let input: Input;
  try {
    input = read();
  } catch (error) {
    if (error instanceof TokenRefusal) strategy.fail(error.failure, error.status);
    else strategy.error(toError(error, `${what} request check`));
    return;
  }
  check(input)
    .then(verify)
    .catch((error: unknown) => {
      if (error instanceof TokenRefusal) runAction(strategy, req, () => strategy.fail(error.failure, error.status));
      else reportError(strategy, req, toError(error, `${what} token check`));
    });
}
