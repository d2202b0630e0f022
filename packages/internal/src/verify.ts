/**
 * The app's verify callback: which arguments it takes, and calling it so that whatever it does (call `done`, throw,
 * return a rejected promise, call `done` twice) ends the request exactly once.
 */

/** passport-oauth2's `done`: `(err, user, info)`. */
export type VerifyDone = (err: unknown, user?: unknown, info?: unknown) => void;

/** Which arguments the app's verify callback takes. */
export interface VerifyForm {
  /** `req` first (`passReqToCallback: true`). */
  passReq: boolean;
  /** The provider's token response between the refresh token and the profile. */
  withTokenResponse: boolean;
}

/** The options that choose the verify form. */
export interface VerifyFormOptions {
  passReqToCallback?: boolean | undefined;
  passTokenResponse?: boolean | undefined;
}

/**
 * Picks the verify form: `passTokenResponse` when given (explicit, works for wrappers such as NestJS's `PassportStrategy`,
 * bound functions and rest parameters); otherwise passport-oauth2's convention of counting declared parameters
 * (5, or 6 with `req`, means the token response is wanted), kept for existing code.
 */
export function resolveVerifyForm(options: VerifyFormOptions, verify: (...args: never[]) => unknown, owner: string): VerifyForm {
  const passReq = options.passReqToCallback === true;
  const explicit = options.passTokenResponse;
  if (explicit !== undefined && typeof explicit !== 'boolean') throw new TypeError(`${owner}: passTokenResponse must be true or false`);
  return { passReq, withTokenResponse: explicit ?? verify.length === (passReq ? 6 : 5) };
}

/** What a login hands to the verify callback. */
export interface VerifyArguments {
  req: unknown;
  accessToken: string;
  refreshToken: string | undefined;
  params: object;
  profile: object | undefined;
}

/** Anything thrown or rejected, as an `Error` (Passport's error path must never get a plain object or a string). */
export function toError(value: unknown, what: string): Error {
  if (value instanceof Error) return value;
  const error = new Error(`${what} failed with a value that is not an Error (${value === null ? 'null' : typeof value})`);
  Object.defineProperty(error, 'cause', { value, enumerable: false, configurable: true, writable: true });
  return error;
}

/**
 * Calls the app's verify callback in its form. `done` is called exactly once: with the callback's own result, or with
 * the error it threw synchronously or the reason of the promise it returned. A rejection after `done` was called is
 * dropped, so an `async` callback can never become an unhandled rejection or end a request twice. What `done` itself
 * throws (Passport's `success`, say, running an app's custom callback) goes to `onThrow`, never back into the app's
 * callback, where it would be taken for the callback's own failure and dropped.
 */
export function callVerify(
  verify: (...args: unknown[]) => unknown,
  form: VerifyForm,
  args: VerifyArguments,
  done: VerifyDone,
  onThrow: (thrown: unknown) => void,
): void {
  let settled = false;
  const once: VerifyDone = (err, user, info) => {
    if (settled) return;
    settled = true;
    try {
      done(err ? toError(err, 'The verify callback') : null, user, info);
    } catch (thrown) {
      onThrow(thrown);
    }
  };
  const list: unknown[] = form.withTokenResponse
    ? [args.accessToken, args.refreshToken, args.params, args.profile, once]
    : [args.accessToken, args.refreshToken, args.profile, once];
  if (form.passReq) list.unshift(args.req);
  try {
    const result = verify(...list);
    if (isThenable(result)) result.then(undefined, (reason: unknown) => once(toError(reason, 'The verify callback')));
  } catch (error) {
    once(toError(error, 'The verify callback'));
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
