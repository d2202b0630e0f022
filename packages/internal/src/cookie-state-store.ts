import { createHash, hkdfSync, webcrypto } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { parse as parseCookies, serialize as serializeCookie } from 'cookie';
import { settleCallback } from './http.js';
import { loadJose } from './id-token.js';
import { createHandle, failure } from './login-state.js';
import type { StateStoreMeta } from './login-state.js';

/** Options of {@link CookieStateStore}. */
export interface CookieStateStoreOptions {
  /**
   * The key material: at least 32 bytes (a string's UTF-8 bytes count). A list rotates secrets: the first seals new
   * logins, every one opens. Keep it out of the code, e.g. `process.env.LOGIN_COOKIE_SECRET`.
   */
  secret: string | Uint8Array | ReadonlyArray<string | Uint8Array>;
  /** Prefix of the cookie names; each login's cookie is `<cookieName>.<state>`. Default `oauth2_login`. */
  cookieName?: string | undefined;
  /** Seconds a login may take between the redirect and the callback. Default 600 (10 minutes). */
  maxAge?: number | undefined;
  /**
   * Mark the cookie `Secure`. Default: when the request came over HTTPS (Express's `req.secure`, honouring `trust
   * proxy`) or the callback URL is `https:` (TLS ended at a proxy the app does not trust, or the strategy's `proxy`).
   */
  secure?: boolean | undefined;
  /** The cookie's `Path`. Default: the callback URL's path, so the browser sends it back to the callback only. */
  path?: string | undefined;
  /**
   * The most logins one browser may have started and not finished (double clicks, retries, tabs). Starting one more
   * drops the oldest: its cookie is cleared and its callback fails as a stale login. Their cookies together never take
   * more than {@link MAX_PENDING_BYTES} of a callback's `Cookie` header, whatever this is. Default 5, at most 20.
   */
  maxPending?: number | undefined;
}

/** Bytes of the sealed cookie beyond which it is refused unread (browsers keep about 4 KB per cookie). */
const MAX_COOKIE_LENGTH = 4096;
/**
 * Bytes the pending logins' cookies may take together in a callback's `Cookie` header (names, values and separators).
 * Without a bound, every unfinished start adds about 500 bytes until the header passes nginx's 8 KB or Node's 16 KB
 * limit, and every callback is answered 431 before the app runs (so the cookies are never cleared).
 */
export const MAX_PENDING_BYTES = 3584;
const DEFAULT_MAX_PENDING = 5;
/** Entries read from a pending list cookie, at most: anything longer is not one this store wrote. */
const MAX_LIST_ENTRIES = 32;
const LIST_ENTRY = /^([A-Za-z0-9_-]{1,128})~(\d{1,4})$/;
/**
 * The pending list's `Path`: the whole site, so that every route that starts a login (whatever its path or letter
 * case) and the callback see the one list of their callback; it costs about 40 bytes a pending login.
 */
const LIST_PATH = '/';
const KEY_INFO = 'passport-korea CookieStateStore v1';
/** What a cookie `Path` may hold (the `cookie` library's rule): printable ASCII other than `;` and `<`. */
const COOKIE_PATH = /^[\u0020-\u003A\u003D-\u007E]*$/;

interface SealingKey {
  kid: string;
  key: Uint8Array;
  /**
   * The key imported once as a non-extractable WebCrypto AES-GCM key, made on first use: jose would otherwise import
   * the raw bytes again for every cookie it seals or opens, the larger part of its cost per login (`pnpm bench`).
   */
  cryptoKey?: Promise<webcrypto.CryptoKey>;
}

/** What the sealed cookie holds (JWT claims inside a JWE). */
interface SealedLogin {
  /** The state handle, also the cookie's name suffix and the `state` parameter. */
  h: string;
  /** Binds the cookie to one app, provider and callback: client id, authorize URL and callback URL. */
  b: string;
  /** The PKCE verifier. */
  v?: string;
  /** The strategy's state data (nonce, the app's `state`). */
  s?: unknown;
}

type CookieRequest = {
  headers?: { cookie?: string | undefined };
  secure?: boolean;
  protocol?: string;
  socket?: { encrypted?: boolean };
  res?: Pick<ServerResponse, 'getHeader' | 'setHeader'>;
};

type StoreCallback = (err: unknown, handle?: string) => void;

/** A login this browser started and has not finished, as the pending list cookie names it. */
interface PendingLogin {
  handle: string;
  /** Bytes of its cookie in a `Cookie` header (`name=value`). */
  size: number;
}

type VerifyCallback = (err: unknown, ok?: string | boolean, state?: unknown) => void;

/**
 * A passport-oauth2 state store that needs no session and no shared store: each login's transaction (state, PKCE
 * verifier, OIDC nonce and the app's `state` data) travels in its own short-lived cookie, encrypted and authenticated
 * with jose's JWE (`dir` + `A256GCM`, keys derived from the secret with HKDF), bound to the app, the provider and the
 * callback URL, `HttpOnly`, `SameSite=Lax`, `Path` limited to the callback, and cleared on the callback whatever the
 * outcome. Any number of instances behind a load balancer share it through the secret alone, and two logins started
 * in two tabs both complete (one cookie per login, named after its state).
 *
 * Pending logins are bounded per browser: a small list cookie per callback (`<cookieName>.pending-<tag>`, about 40
 * bytes a login, `Path=/` so that every login route sees it) names the unfinished ones, and a new login
 * drops the oldest beyond `maxPending` (default 5) or beyond {@link MAX_PENDING_BYTES} together. However often a
 * browser starts a login without finishing it, its next login completes.
 *
 * The response is reached through `req.res`, which Express (and NestJS on Express) set.
 *
 * @example
 * ```ts
 * new KakaoStrategy({ clientID, callbackURL, store: new CookieStateStore({ secret: process.env.LOGIN_COOKIE_SECRET! }) }, verify);
 * ```
 */
export class CookieStateStore {
  /** The sealing keys: private, so that neither `util.inspect` nor `JSON.stringify` ever prints them. */
  readonly #keys: readonly SealingKey[];
  private readonly cookieName: string;
  /** The pending list's cookie name for each login cookie path: one list per callback, whatever paths they share. */
  private readonly listNames = new Map<string, string>();
  private readonly maxAge: number;
  private readonly maxPending: number;
  private readonly secure: boolean | undefined;
  private readonly path: string | undefined;
  /** The last callback URL seen and its path: every login of a strategy has the same one, parsed once. */
  private lastCallback: { url: string | undefined; path: string } | undefined;
  /** The attributes of each kind of cookie written (`; Max-Age=…; Path=…`), serialized once by the cookie library. */
  private readonly attributes = new Map<string, string>();

  constructor(options: CookieStateStoreOptions) {
    if (typeof options !== 'object' || options === null) throw new TypeError('CookieStateStore requires an options object with a secret');
    const secrets = Array.isArray(options.secret) ? options.secret : [options.secret];
    if (secrets.length === 0) throw new TypeError('CookieStateStore requires a secret');
    this.#keys = secrets.map((secret: unknown, index) => deriveKey(secret, index));
    this.cookieName = options.cookieName ?? 'oauth2_login';
    if (!/^[A-Za-z0-9_-]+$/.test(this.cookieName)) throw new TypeError('CookieStateStore: cookieName may use letters, digits, _ and - only');
    this.maxAge = options.maxAge ?? 600;
    if (!Number.isInteger(this.maxAge) || this.maxAge <= 0) throw new TypeError('CookieStateStore: maxAge must be a positive whole number of seconds');
    this.maxPending = options.maxPending ?? DEFAULT_MAX_PENDING;
    if (!Number.isInteger(this.maxPending) || this.maxPending < 1 || this.maxPending > 20) {
      throw new TypeError('CookieStateStore: maxPending must be a whole number from 1 to 20');
    }
    if (options.secure !== undefined && typeof options.secure !== 'boolean') throw new TypeError('CookieStateStore: secure must be true or false');
    this.secure = options.secure;
    if (options.path !== undefined && (typeof options.path !== 'string' || !options.path.startsWith('/') || !COOKIE_PATH.test(options.path))) {
      throw new TypeError('CookieStateStore: path must start with / and hold only printable ASCII other than ; and <');
    }
    this.path = options.path;
  }

  /** Seals the login into a new cookie named after its state; passport-oauth2 calls this before the redirect. */
  store(req: CookieRequest, verifier: string | undefined, state: unknown, meta: StateStoreMeta, callback: StoreCallback): void {
    const handle = createHandle();
    const claims: SealedLogin = { h: handle, b: binding(meta) };
    if (verifier !== undefined) claims.v = verifier;
    if (state !== undefined) claims.s = state;
    // The callback runs outside the promise chain: what it throws (passport-oauth2's redirect, say) is not swallowed
    // into an unhandled rejection.
    settleCallback(this.sealInto(req, handle, claims, meta), callback);
  }

  /**
   * Seals the claims into the login's cookie; refuses one larger than browsers keep (it would never come back). The
   * login joins the browser's pending list, and the oldest pending logins beyond the bound are dropped.
   */
  private async sealInto(req: CookieRequest, handle: string, claims: SealedLogin, meta: StateStoreMeta): Promise<string> {
    const sealed = await this.seal(claims);
    const name = `${this.cookieName}.${handle}`;
    if (name.length + sealed.length > MAX_COOKIE_LENGTH) {
      throw new TypeError(
        `CookieStateStore: this login's cookie would be ${name.length + sealed.length} bytes, more than the ${MAX_COOKIE_LENGTH} browsers keep: keep less in authenticate's state option`,
      );
    }
    const loginPath = this.loginPath(meta);
    const cookies = [this.cookie(name, sealed, loginPath, req, meta, this.maxAge)];
    this.addPending(cookies, req, meta, loginPath, { handle, size: name.length + 1 + sealed.length });
    appendSetCookie(req, cookies);
    return handle;
  }

  /**
   * Adds a login to the browser's pending list and clears the cookies of the oldest beyond `maxPending` or
   * {@link MAX_PENDING_BYTES}; the new login is always kept.
   */
  private addPending(cookies: string[], req: CookieRequest, meta: StateStoreMeta, loginPath: string, login: PendingLogin): void {
    const listName = this.listName(loginPath);
    const logins = [...this.readList(req, listName), login];
    const kept: PendingLogin[] = [];
    let bytes = 0;
    let full = false;
    for (let i = logins.length - 1; i >= 0; i -= 1) {
      const pending = logins[i] as PendingLogin;
      // `name=value; `: the size and the separator the Cookie header adds.
      if (!full && (kept.length === 0 || (kept.length < this.maxPending && bytes + pending.size + 2 <= MAX_PENDING_BYTES))) {
        kept.push(pending);
        bytes += pending.size + 2;
      } else {
        full = true;
        cookies.push(this.cookie(`${this.cookieName}.${pending.handle}`, '', loginPath, req, meta, 0));
      }
    }
    kept.reverse();
    cookies.push(this.cookie(listName, formatList(kept), LIST_PATH, req, meta, this.maxAge));
  }

  /** The pending logins the browser's list names (none without a list). */
  private readList(req: CookieRequest, listName: string): PendingLogin[] {
    const header = req.headers?.cookie;
    if (!header || !header.includes(listName)) return [];
    return parseList(parseCookies(header, { decode: sameValue })[listName]);
  }

  /**
   * `<cookieName>.pending-<tag>`, the tag six characters of the SHA-256 of the login cookie's path: two callbacks
   * whose lists would share a `Path` (two providers started from `/login/…`) keep a list each, and each list clears
   * only its own logins' cookies.
   */
  private listName(loginPath: string): string {
    let name = this.listNames.get(loginPath);
    if (name === undefined) {
      name = `${this.cookieName}.pending-${createHash('sha256').update(loginPath).digest('base64url').slice(0, 6)}`;
      if (this.listNames.size >= 64) this.listNames.clear();
      this.listNames.set(loginPath, name);
    }
    return name;
  }

  /**
   * Opens the cookie of the callback's state, clears it, and checks it: sealed by one of the secrets, unexpired, for
   * this state, app, provider and callback. Every refusal is a `false` with a challenge (a 403 Passport failure).
   */
  verify(req: CookieRequest, providedState: unknown, meta: StateStoreMeta, callback: VerifyCallback): void {
    if (typeof providedState !== 'string' || !/^[A-Za-z0-9_-]{1,128}$/.test(providedState)) {
      return callback(null, false, failure('STATE_MISSING', 'Unable to verify authorization request state.'));
    }
    // A state naming the pending list (`pending-…`) is no login's: it must not clear the list.
    if (providedState.startsWith('pending-')) return callback(null, false, failure('STATE_MISMATCH', 'Invalid authorization request state.'));
    const name = `${this.cookieName}.${providedState}`;
    let sealed: string | undefined;
    try {
      const cookies = parseCookies(req.headers?.cookie ?? '', { decode: sameValue });
      sealed = cookies[name];
      const written: string[] = [];
      const loginPath = this.loginPath(meta);
      if (sealed !== undefined) written.push(this.cookie(name, '', loginPath, req, meta, 0));
      const listName = this.listName(loginPath);
      this.removePending(written, req, meta, listName, cookies[listName], providedState);
      if (written.length > 0) appendSetCookie(req, written);
    } catch (error) {
      return callback(error);
    }
    if (sealed === undefined) return callback(null, false, failure('STATE_MISMATCH', 'Invalid authorization request state.'));
    if (sealed.length > MAX_COOKIE_LENGTH) return callback(null, false, failure('STATE_INVALID', 'Invalid authorization request state.'));
    this.check(sealed, providedState, meta).then(
      ([ok, state]) => process.nextTick(callback, null, ok, state),
      (error: unknown) => process.nextTick(callback, error),
    );
  }

  /** The verdict on an opened cookie: the verifier (or `true`) and the state data, or `false` and the challenge. */
  private async check(sealed: string, providedState: string, meta: StateStoreMeta): Promise<[string | boolean, unknown]> {
    const claims = await this.open(sealed);
    if (claims === 'expired') return [false, failure('STATE_EXPIRED', 'The login took too long; please try again.')];
    if (!claims || claims.h !== providedState || claims.b !== binding(meta)) return [false, failure('STATE_INVALID', 'Invalid authorization request state.')];
    return [claims.v ?? true, claims.s];
  }

  /** Takes a finished login off the browser's pending list (the list cookie is cleared with the last one). */
  private removePending(cookies: string[], req: CookieRequest, meta: StateStoreMeta, listName: string, value: string | undefined, handle: string): void {
    const logins = parseList(value);
    if (!logins.some((login) => login.handle === handle)) return;
    const rest = logins.filter((login) => login.handle !== handle);
    cookies.push(this.cookie(listName, rest.length === 0 ? '' : formatList(rest), LIST_PATH, req, meta, rest.length === 0 ? 0 : this.maxAge));
  }

  /** The claims with `iat` and `exp`, sealed by jose as a compact JWE (`dir`, `A256GCM`, the key's `kid`). */
  private async seal(claims: SealedLogin): Promise<string> {
    const { EncryptJWT } = await loadJose();
    const [current] = this.#keys as [SealingKey];
    return new EncryptJWT({ ...claims })
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid: current.kid })
      .setIssuedAt()
      .setExpirationTime(`${this.maxAge}s`)
      .encrypt(await importedKey(current));
  }

  /** The claims, `'expired'`, or `undefined` for anything that does not open (tampered, unknown key, garbage). */
  private async open(sealed: string): Promise<SealedLogin | 'expired' | undefined> {
    const { jwtDecrypt } = await loadJose();
    try {
      const { payload } = await jwtDecrypt(
        sealed,
        (header) => {
          const match = this.#keys.find((candidate) => candidate.kid === header.kid);
          if (!match) throw new Error('unknown key');
          return importedKey(match);
        },
        { keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: ['A256GCM'], requiredClaims: ['exp'] },
      );
      if (typeof payload['h'] !== 'string' || typeof payload['b'] !== 'string') return undefined;
      if (payload['v'] !== undefined && typeof payload['v'] !== 'string') return undefined;
      return payload as unknown as SealedLogin;
    } catch (error) {
      return (error as { code?: unknown }).code === 'ERR_JWT_EXPIRED' ? 'expired' : undefined;
    }
  }

  /**
   * One `Set-Cookie` value. The attributes (`HttpOnly`, `SameSite=Lax`, `Secure`, `Path`, `Max-Age`) are serialized by
   * the cookie library once per kind of cookie and kept; the name and value are cookie-safe as this store makes them
   * (the name from `cookieName` and a state handle, the value a compact JWE, a pending list or empty).
   */
  private cookie(name: string, value: string, path: string, req: CookieRequest, meta: StateStoreMeta, maxAge: number): string {
    const secure = this.secure ?? (isHttps(req) || /^https:/i.test(meta.callbackURL ?? ''));
    const key = `${maxAge} ${secure ? 1 : 0} ${path}`;
    let attributes = this.attributes.get(key);
    if (attributes === undefined) {
      attributes = serializeCookie('n', '', { httpOnly: true, sameSite: 'lax', secure, path, maxAge }).slice(2);
      // Paths come from a few routes; a bound keeps a store fed odd request paths from growing.
      if (this.attributes.size >= 64) this.attributes.clear();
      this.attributes.set(key, attributes);
    }
    return `${name}=${value}${attributes}`;
  }

  /** The login cookie's `Path`: the `path` option, else the callback URL's path. */
  private loginPath(meta: StateStoreMeta): string {
    return this.path ?? this.callbackPath(meta.callbackURL);
  }

  /** The callback URL's path (`/` when there is none or it does not parse), remembered for the last URL. */
  private callbackPath(callbackURL: string | undefined): string {
    if (this.lastCallback === undefined || this.lastCallback.url !== callbackURL) this.lastCallback = { url: callbackURL, path: pathOf(callbackURL) };
    return this.lastCallback.path;
  }
}

const sameValue = (value: string) => value;

/** Adds cookies to the response's `Set-Cookie`, keeping those set before. */
function appendSetCookie(req: CookieRequest, cookies: readonly string[]): void {
  const res = req.res;
  if (!res || typeof res.setHeader !== 'function') {
    throw new TypeError('CookieStateStore needs the response at req.res (set by Express and NestJS on Express)');
  }
  const existing = res.getHeader('Set-Cookie');
  const list = existing === undefined ? [] : Array.isArray(existing) ? existing : [String(existing)];
  res.setHeader('Set-Cookie', [...list, ...cookies]);
}

/** The pending list cookie's value: `<handle>~<bytes>|…`, oldest first. */
function formatList(logins: readonly PendingLogin[]): string {
  return logins.map((login) => `${login.handle}~${login.size}`).join('|');
}

/** A pending list cookie's value read back (entries that are not this store's are skipped; none without a value). */
function parseList(value: string | undefined): PendingLogin[] {
  const logins: PendingLogin[] = [];
  for (const part of value?.split('|', MAX_LIST_ENTRIES) ?? []) {
    const match = LIST_ENTRY.exec(part);
    if (match) logins.push({ handle: match[1] as string, size: Number(match[2]) });
  }
  return logins;
}

function deriveKey(secret: unknown, index: number): SealingKey {
  const bytes = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret instanceof Uint8Array ? secret : undefined;
  if (!bytes) throw new TypeError('CookieStateStore: each secret must be a string or bytes');
  if (bytes.length < 32) {
    throw new TypeError(`CookieStateStore: secret${index > 0 ? ` #${index + 1}` : ''} must be at least 32 bytes (it has ${bytes.length})`);
  }
  const key = new Uint8Array(hkdfSync('sha256', bytes, new Uint8Array(0), KEY_INFO, 32));
  const kid = createHash('sha256').update(key).digest('base64url').slice(0, 12);
  return { kid, key };
}

/** The key as a WebCrypto AES-GCM key, imported on first use and kept. */
function importedKey(sealing: SealingKey): Promise<webcrypto.CryptoKey> {
  sealing.cryptoKey ??= webcrypto.subtle.importKey('raw', sealing.key, 'AES-GCM', false, ['encrypt', 'decrypt']);
  return sealing.cryptoKey;
}

function binding(meta: StateStoreMeta): string {
  return `${meta.clientID} ${meta.authorizationURL} ${meta.callbackURL ?? ''}`;
}

/**
 * The cookie `Path` for a callback URL: its path, or, should it hold a character a cookie path can't (`;`, `<`), the part
 * before it up to the last `/` (the browser still sends the cookie to the callback). `/` when there is none.
 */
function pathOf(callbackURL: string | undefined): string {
  let path: string;
  try {
    path = callbackURL ? new URL(callbackURL).pathname : '/';
  } catch {
    return '/';
  }
  if (COOKIE_PATH.test(path)) return path;
  const bad = path.search(/[^\u0020-\u003A\u003D-\u007E]/);
  return path.slice(0, path.lastIndexOf('/', bad) + 1) || '/';
}

function isHttps(req: CookieRequest): boolean {
  if (typeof req.secure === 'boolean') return req.secure;
  if (typeof req.protocol === 'string') return req.protocol === 'https';
  return req.socket?.encrypted === true;
}
