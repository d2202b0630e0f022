/**
 * A login's transaction (the state handle, the PKCE verifier, the OIDC nonce and the app's own `state` data) kept by a
 * passport-oauth2 state store between the redirect to the provider and the callback. One path for all of it: the
 * strategy saves it with the store at the start of a login and loads it back before the code exchange, whatever the
 * store (the session, a sealed cookie, or the app's own).
 */
import { randomToken } from './random.js';
import { SessionRequiredError } from './errors.js';

/** What passport-oauth2 hands a state store about the login. */
export interface StateStoreMeta {
  authorizationURL: string;
  tokenURL: string;
  clientID: string;
  /** The absolute callback URL of this login. */
  callbackURL: string | undefined;
}

/**
 * Why a callback's state was refused: stable codes, in the Passport failure's challenge.
 * - `STATE_MISSING`: the callback has no `state`, or there is no stored login to check it against.
 * - `STATE_MISMATCH`: the `state` is not the stored login's (or its cookie is gone).
 * - `STATE_EXPIRED`: the stored login is older than the store keeps logins.
 * - `STATE_INVALID`: the stored login does not open or is bound to another app, provider or callback.
 * - `PKCE_VERIFIER_MISSING`: PKCE is on, and the stored login has no code verifier (written by a strategy with PKCE off,
 *   say): the code is not exchanged without it.
 */
export type LoginStateFailureCode = 'STATE_MISSING' | 'STATE_MISMATCH' | 'STATE_EXPIRED' | 'STATE_INVALID' | 'PKCE_VERIFIER_MISSING';

/** The challenge of a refused state (passed to Passport's `fail` with status 403). */
export interface LoginStateFailure {
  message: string;
  code: LoginStateFailureCode;
}

/**
 * A passport-oauth2 state store of the 5-argument (PKCE) kind, as `CookieStateStore` and the default session store
 * are. Structural, so one `CookieStateStore` instance can be given to both packages' strategies.
 */
export interface LoginStateStore {
  store(req: never, verifier: string | undefined, state: unknown, meta: StateStoreMeta, callback: (err: unknown, handle?: string) => void): void;
  verify(req: never, providedState: unknown, meta: StateStoreMeta, callback: (err: unknown, ok?: string | boolean, state?: unknown) => void): void;
}

/** The store interface passport-oauth2 calls, by arity: `store(req, verifier, state, meta, cb)` down to `store(req, cb)`. */
export interface AnyStateStore {
  store: (...args: never[]) => void;
  verify: (...args: never[]) => void;
}

type StoreCallback = (err: unknown, handle?: unknown) => void;
type VerifyCallback = (err: unknown, ok?: unknown, state?: unknown) => void;

/** What the strategy stores as the store's `state` argument: the nonce beside the app's own `state` data. */
interface Envelope {
  passportKorea: 1;
  nonce?: string;
  state?: unknown;
}

/** What a login keeps. */
export interface LoginTransaction {
  verifier?: string | undefined;
  nonce?: string | undefined;
  /** The app's `state` option of `authenticate`, returned as `info.state`. */
  appState?: unknown;
}

/** A callback's transaction, loaded: refused with a challenge, or accepted with what the login kept. */
export type LoadedTransaction = { ok: false; challenge: unknown } | ({ ok: true } & LoginTransaction);

/** True when the store's `store` takes the `state` argument (arity 4 or 5), so a nonce can travel with it. */
export function storeKeepsState(store: AnyStateStore): boolean {
  return store.store.length >= 4;
}

/** Saves the transaction with the store; resolves with the `state` parameter to send (the store's handle), if any. */
export function saveTransaction(store: AnyStateStore, req: unknown, meta: StateStoreMeta, transaction: LoginTransaction): Promise<string | undefined> {
  const envelope: Envelope = { passportKorea: 1 };
  if (transaction.nonce !== undefined) envelope.nonce = transaction.nonce;
  if (transaction.appState !== undefined) envelope.state = transaction.appState;
  return new Promise((resolve, reject) => {
    const done: StoreCallback = (err, handle) => (err ? reject(err) : resolve(typeof handle === 'string' && handle.length > 0 ? handle : undefined));
    const save = store.store as (...args: unknown[]) => void;
    switch (save.length) {
      case 5: save.call(store, req, transaction.verifier, envelope, meta, done); break;
      case 4: save.call(store, req, envelope, meta, done); break;
      case 3: save.call(store, req, meta, done); break;
      default: save.call(store, req, done);
    }
  });
}

/** Loads (and consumes) the transaction of a callback carrying `providedState`. */
export function loadTransaction(store: AnyStateStore, req: unknown, meta: StateStoreMeta, providedState: string | undefined): Promise<LoadedTransaction> {
  return new Promise((resolve, reject) => {
    const done: VerifyCallback = (err, ok, state) => {
      if (err) return reject(err);
      if (!ok) return resolve({ ok: false, challenge: state });
      const envelope: Partial<Envelope> = isEnvelope(state) ? state : { state };
      resolve({ ok: true, verifier: typeof ok === 'string' ? ok : undefined, nonce: envelope.nonce, appState: envelope.state });
    };
    const load = store.verify as (...args: unknown[]) => void;
    if (load.length === 4) load.call(store, req, providedState, meta, done);
    else load.call(store, req, providedState, done);
  });
}

function isEnvelope(value: unknown): value is Envelope {
  return typeof value === 'object' && value !== null && (value as Partial<Envelope>).passportKorea === 1;
}

/** A new state handle: 24 random bytes, base64url. */
export function createHandle(): string {
  return randomToken(24);
}

type SessionRequest = { session?: Record<string, unknown> };
type SessionSlot = { state?: { handle?: unknown; code_verifier?: unknown; state?: unknown } } & Record<string, unknown>;

/**
 * The default store with `state: true`: the transaction in `req.session[key].state`, in the same shape as
 * passport-oauth2's PKCE session store (`{ handle, code_verifier, state }`), so sessions written by either read alike.
 * Without a session it ends the request with a {@link SessionRequiredError} that names both remedies.
 */
export class SessionStateStore {
  constructor(
    private readonly key: string,
    private readonly strategy: string,
  ) {}

  store(req: SessionRequest, verifier: string | undefined, state: unknown, _meta: StateStoreMeta, callback: StoreCallback): void {
    const session = req.session;
    if (!session) return callback(new SessionRequiredError(this.strategy));
    const handle = createHandle();
    const entry: Record<string, unknown> = { handle };
    if (verifier !== undefined) entry['code_verifier'] = verifier;
    if (state !== undefined) entry['state'] = state;
    session[this.key] = { ...(session[this.key] as object | undefined), state: entry };
    callback(null, handle);
  }

  verify(req: SessionRequest, providedState: unknown, _meta: StateStoreMeta, callback: VerifyCallback): void {
    const session = req.session;
    if (!session) return callback(new SessionRequiredError(this.strategy));
    const slot = session[this.key] as SessionSlot | undefined;
    const entry = slot?.state;
    if (!slot || !entry) return callback(null, false, failure('STATE_MISSING', 'Unable to verify authorization request state.'));
    // Written back by assignment, not only mutated: sessions that save on assignment (@fastify/secure-session's proxy)
    // would otherwise keep the consumed state in the cookie, and the browser could replay the callback.
    const { state: _consumed, ...rest } = slot;
    if (Object.keys(rest).length === 0) {
      session[this.key] = undefined;
      delete session[this.key];
    } else {
      session[this.key] = rest;
    }
    if (typeof providedState !== 'string' || entry.handle !== providedState) {
      return callback(null, false, failure('STATE_MISMATCH', 'Invalid authorization request state.'));
    }
    callback(null, typeof entry.code_verifier === 'string' ? entry.code_verifier : true, entry.state);
  }
}

/** A refused state's challenge. */
export function failure(code: LoginStateFailureCode, message: string): LoginStateFailure {
  return { message, code };
}
