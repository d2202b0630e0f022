/**
 * Ending a request through Passport's actions (`success`, `fail`, `redirect`, `error`) so that it always ends, whatever
 * those actions throw. An app's custom `passport.authenticate(name, callback)` runs inside them: a throw there must not
 * vanish into a promise and leave the request hanging (passport-oauth2 sends it to `error()`, and so do we).
 */
import { toError } from './verify.js';

/** The Passport action a throw is reported to. */
export interface ErrorAction {
  error(err: Error): void;
}

/** What the last resort reads of the request: Express's `req.next` and `req.res`. */
interface EndableRequest {
  next?: unknown;
  res?: { headersSent?: boolean; statusCode?: number; end?: () => void; destroy?: () => void };
}

/**
 * Reports `error` to Passport's `error` action. Should that throw as well (a custom callback that throws on errors),
 * the throw goes to Express's error handler through `req.next`; without one the response is ended with a 500 (or the
 * connection closed when the headers are already out). Never a hang, an unhandled rejection or an uncaught exception.
 */
export function reportError(actions: ErrorAction, req: unknown, error: unknown, what = 'The login'): void {
  try {
    actions.error(toError(error, what));
  } catch (thrown) {
    lastResort(req as EndableRequest | undefined, thrown);
  }
}

/** Runs one Passport action; what it throws is reported to `error` (see {@link reportError}). */
export function runAction(actions: ErrorAction, req: unknown, action: () => void): void {
  try {
    action();
  } catch (thrown) {
    reportError(actions, req, thrown, 'A Passport callback');
  }
}

function lastResort(req: EndableRequest | undefined, thrown: unknown): void {
  try {
    if (typeof req?.next === 'function') {
      (req.next as (err: unknown) => void)(toError(thrown, 'A Passport callback'));
      return;
    }
  } catch {
    // Express's own handler threw: end the response below.
  }
  const res = req?.res;
  if (!res) return;
  if (!res.headersSent && typeof res.end === 'function') {
    res.statusCode = 500;
    res.end();
  } else if (typeof res.destroy === 'function') {
    res.destroy();
  }
}
