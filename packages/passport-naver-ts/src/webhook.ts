import { WEBHOOK_COMMON_STATUS, WebhookError, header, parseWebhookBodyText, sha256, webhookBodyErrors, webhookBodyText, webhookHandler } from '@passport-korea/internal';
import type { WebhookBody, WebhookHeaders, WebhookRequestHandler } from '@passport-korea/internal';
import { createDecipheriv, createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Naver's deauthorize callback (연결 끊기 알림), docs/providers/naver.md B7: Naver POSTs to the "연결끊기 Callback URL" of the
 * app's API settings when a user disconnects the app from their Naver account. Fields: `clientId`, `encryptUniqueId`,
 * `timestamp` (epoch seconds), `signature`. The construction is Naver's and fixed:
 * - key = MD5(client secret) (its 16 bytes, as AES-128 key and HMAC key);
 * - `encryptUniqueId` = URL-safe Base64 (no padding) of IV (16 bytes) || AES-128-CBC/PKCS#7(key, IV, user id);
 * - `signature` = URL-safe Base64 of HMAC-SHA256(key, `clientId={clientId}&encryptUniqueId={encryptUniqueId}&timestamp={timestamp}`).
 */

/** Default cap on a callback body, in bytes. Naver's four fields fit in a few hundred. */
export const NAVER_WEBHOOK_MAX_BODY_BYTES = 8 * 1024;
/** Default age (and clock skew into the future) a callback's `timestamp` may have: 5 minutes. */
export const NAVER_WEBHOOK_TOLERANCE_SECONDS = 300;

/** One verified deauthorize callback. */
export interface NaverDeauthorizeEvent {
  /** The app's client id (equal to the configured `clientID`). */
  clientId: string;
  /** The user's Naver id, as `/v1/nid/me` returns it for this app (decrypted from `encryptUniqueId`). */
  userId: string;
  /** When Naver sent the callback (its `timestamp`). */
  timestamp: Date;
}

/**
 * Stable codes of {@link NaverWebhookError}:
 * - `BAD_METHOD`: not POST (HTTP 405).
 * - `BODY_TOO_LARGE`: the body is larger than `maxBodyBytes` (413).
 * - `BAD_BODY`: the body is neither form-encoded nor a JSON object, or is compressed (400).
 * - `MISSING_FIELD`: `clientId`, `encryptUniqueId`, `timestamp` or `signature` is absent or empty (400).
 * - `BAD_FIELD`: a field is repeated or not a string, or the signed `timestamp` is not epoch seconds (400).
 * - `BAD_SIGNATURE`: `signature` is not the HMAC of the fields with the app's key, or not Base64 (401).
 * - `CLIENT_MISMATCH`: `clientId` is not the configured client id (401).
 * - `STALE_TIMESTAMP`: `timestamp` is older than the tolerance (401).
 * - `FUTURE_TIMESTAMP`: `timestamp` is further in the future than the tolerance (401).
 * - `BAD_ENCRYPTION`: `encryptUniqueId` is signed but does not decrypt to a user id (400).
 */
export type NaverWebhookErrorCode =
  | 'BAD_METHOD'
  | 'BODY_TOO_LARGE'
  | 'BAD_BODY'
  | 'MISSING_FIELD'
  | 'BAD_FIELD'
  | 'BAD_SIGNATURE'
  | 'CLIENT_MISMATCH'
  | 'STALE_TIMESTAMP'
  | 'FUTURE_TIMESTAMP'
  | 'BAD_ENCRYPTION';

const STATUS: Readonly<Record<NaverWebhookErrorCode, number>> = {
  ...WEBHOOK_COMMON_STATUS,
  BAD_SIGNATURE: 401,
  CLIENT_MISMATCH: 401,
  STALE_TIMESTAMP: 401,
  FUTURE_TIMESTAMP: 401,
  BAD_ENCRYPTION: 400,
};

/**
 * A Naver deauthorize callback was refused. Branch on `code`; `status` is the HTTP status to answer.
 * The message names the check and the field, never the client secret, the user id or any value from the request.
 */
export class NaverWebhookError extends WebhookError<NaverWebhookErrorCode> {
  override name = 'NaverWebhookError';

  /** `status` is the HTTP status to answer with (400, 401, 405, 413); `field` a field's name, e.g. `timestamp`. */
  constructor(code: NaverWebhookErrorCode, message: string, field?: string) {
    super(`Naver deauthorize callback refused: ${message}`, code, STATUS[code], field);
  }
}

/** Request headers: Node's lowercase object, any plain object (looked up case-insensitively), or a fetch `Headers`. */
export type NaverWebhookHeaders = WebhookHeaders;

/** What {@link verifyNaverDeauthorizeCallback} reads of a request, whatever the framework. */
export interface NaverWebhookRequest {
  /** Must be `POST`. */
  method: string;
  headers: NaverWebhookHeaders;
  /**
   * The body: raw (a string or bytes, parsed by its `Content-Type`: form or JSON, and held to `maxBodyBytes`), or a
   * framework's parsed object (form or JSON).
   */
  body?: string | Uint8Array | Readonly<Record<string, unknown>> | undefined;
}

/** Options of {@link verifyNaverDeauthorizeCallback}: the strategy's `clientID` and `clientSecret` work as they are. */
export interface NaverDeauthorizeVerifyOptions {
  /** The app's Client ID; the callback's `clientId` must equal it. */
  clientID: string;
  /** The app's Client Secret, from which Naver's key is derived. Never logged. */
  clientSecret: string;
  /** How old (or how far ahead, for clock skew) `timestamp` may be, in seconds. Default 300 (5 minutes). */
  toleranceSeconds?: number | undefined;
  /** Largest body accepted, in bytes. Default {@link NAVER_WEBHOOK_MAX_BODY_BYTES} (8 KiB). */
  maxBodyBytes?: number | undefined;
}

/** Options of {@link naverDeauthorizeWebhook}. */
export interface NaverDeauthorizeWebhookOptions extends NaverDeauthorizeVerifyOptions {
  /** Called with each verified event **after** Naver has been answered 204. May return a promise. */
  onEvent: (event: NaverDeauthorizeEvent) => unknown;
  /**
   * Called when `onEvent` throws or rejects (the answer has already gone; Naver does not retry). Default:
   * `console.error` with a fixed message and the error.
   */
  onError?: ((error: unknown, event: NaverDeauthorizeEvent) => unknown) | undefined;
  /** Called with each refusal (after the refusal was answered), e.g. to count or log them. The error holds no secret. */
  onRefused?: ((error: NaverWebhookError) => unknown) | undefined;
}

/** A request handler for Express, Connect or a plain Node HTTP server. */
export type NaverWebhookHandler = WebhookRequestHandler;

const FIELDS = ['clientId', 'encryptUniqueId', 'timestamp', 'signature'] as const;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/**
 * Checks one deauthorize callback and returns its event; throws {@link NaverWebhookError} otherwise.
 * Checks, in order: the method (POST), the body size and format (form or JSON), the four fields, the signature
 * (HMAC-SHA256 with Naver's key, compared in constant time, **before** anything is decrypted), `clientId` against
 * `clientID`, `timestamp` within `toleranceSeconds` of now (either way), and finally decrypts `encryptUniqueId`.
 *
 * @example
 * ```ts
 * const event = verifyNaverDeauthorizeCallback({ method, headers, body: rawBody }, { clientID, clientSecret });
 * ```
 */
export function verifyNaverDeauthorizeCallback(request: NaverWebhookRequest, options: NaverDeauthorizeVerifyOptions): NaverDeauthorizeEvent {
  return verify(request, readVerifyOptions(options, 'verifyNaverDeauthorizeCallback'));
}

/**
 * An HTTP handler for Naver's deauthorize callback. Answers `204` as soon as the callback is verified, then runs
 * `onEvent` (its errors, thrown or rejected, go to `onError`; never an unhandled rejection). A bad signature, another
 * `clientId` or a stale or future `timestamp` gets `401` with an empty body; a missing field `400`; a body over
 * `maxBodyBytes` `413`; another method `405`. Works with or without a body parser in front: without one it reads the
 * body itself, up to `maxBodyBytes`.
 *
 * @example
 * ```ts
 * app.post('/webhooks/naver/deauthorize', naverDeauthorizeWebhook({
 *   clientID: process.env.NAVER_CLIENT_ID!, clientSecret: process.env.NAVER_CLIENT_SECRET!,
 *   onEvent: async ({ userId }) => { await users.unlinkNaver(userId); },
 * }));
 * ```
 */
export function naverDeauthorizeWebhook(options: NaverDeauthorizeWebhookOptions): NaverWebhookHandler {
  const config = readVerifyOptions(options, 'naverDeauthorizeWebhook');
  if (typeof options.onEvent !== 'function') throw new TypeError('naverDeauthorizeWebhook requires the onEvent option (a function)');
  return webhookHandler({
    owner: 'naverDeauthorizeWebhook',
    maxBodyBytes: config.maxBodyBytes,
    acceptStatus: 204,
    allow: 'POST',
    isRefusal: (error): error is NaverWebhookError => error instanceof NaverWebhookError,
    tooLarge,
    beforeBody: (req) => checkMethod(req.method ?? ''),
    hasBody: () => true,
    readEvent: (req, body) => verify({ method: req.method ?? '', headers: req.headers, body }, config),
    onEvent: options.onEvent,
    onError: options.onError,
    onRefused: options.onRefused,
  });
}

interface VerifyConfig {
  clientID: string;
  key: Buffer;
  toleranceMs: number;
  maxBodyBytes: number;
}

function readVerifyOptions(options: NaverDeauthorizeVerifyOptions, owner: string): VerifyConfig {
  if (typeof options !== 'object' || options === null) throw new TypeError(`${owner} requires an options object`);
  const clientID = requireString(options.clientID, 'clientID', owner);
  const key = naverKey(requireString(options.clientSecret, 'clientSecret', owner));
  const tolerance = options.toleranceSeconds ?? NAVER_WEBHOOK_TOLERANCE_SECONDS;
  if (typeof tolerance !== 'number' || !Number.isFinite(tolerance) || tolerance <= 0) throw new TypeError(`${owner}: the toleranceSeconds option must be a positive number`);
  const maxBodyBytes = options.maxBodyBytes ?? NAVER_WEBHOOK_MAX_BODY_BYTES;
  if (typeof maxBodyBytes !== 'number' || !Number.isSafeInteger(maxBodyBytes) || maxBodyBytes <= 0) throw new TypeError(`${owner}: the maxBodyBytes option must be a positive integer`);
  return { clientID, key, toleranceMs: tolerance * 1000, maxBodyBytes };
}

function verify(request: NaverWebhookRequest, config: VerifyConfig): NaverDeauthorizeEvent {
  checkMethod(request.method);
  if (request.body === undefined) throw new NaverWebhookError('MISSING_FIELD', 'clientId is missing', 'clientId');
  const values = bodyFields(request.body, header(request.headers, 'content-type'), header(request.headers, 'content-encoding'), config.maxBodyBytes);
  const [clientId, encryptUniqueId, timestamp, signature] = FIELDS.map((name) => field(values, name)) as [string, string, string, string];

  // The signature first: nothing else about the request is trusted, or decrypted, before it checks out.
  const given = BASE64.test(signature) ? signature.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '') : '';
  const expected = sign(config.key, clientId, encryptUniqueId, timestamp);
  if (!timingSafeEqual(sha256(given), sha256(expected))) throw new NaverWebhookError('BAD_SIGNATURE', 'the signature does not match');
  if (clientId !== config.clientID) throw new NaverWebhookError('CLIENT_MISMATCH', 'clientId is not the configured client id');

  if (!/^\d{1,12}$/.test(timestamp)) throw new NaverWebhookError('BAD_FIELD', 'timestamp is not epoch seconds', 'timestamp');
  const sent = Number(timestamp) * 1000;
  const now = Date.now();
  if (now - sent > config.toleranceMs) throw new NaverWebhookError('STALE_TIMESTAMP', 'timestamp is older than the tolerance');
  if (sent - now > config.toleranceMs) throw new NaverWebhookError('FUTURE_TIMESTAMP', 'timestamp is further ahead than the tolerance');

  return { clientId, userId: decryptUserId(config.key, encryptUniqueId), timestamp: new Date(sent) };
}

function decryptUserId(key: Buffer, encryptUniqueId: string): string {
  const bad = () => new NaverWebhookError('BAD_ENCRYPTION', 'encryptUniqueId does not decrypt to a user id');
  if (!BASE64.test(encryptUniqueId)) throw bad();
  const normalized = encryptUniqueId.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  const bytes = Buffer.from(normalized, 'base64url');
  // Only canonical Base64 of IV || whole AES blocks.
  if (bytes.toString('base64url') !== normalized || bytes.length < 32 || bytes.length % 16 !== 0) throw bad();
  let plain: Buffer;
  try {
    const decipher = createDecipheriv('aes-128-cbc', key, bytes.subarray(0, 16));
    plain = Buffer.concat([decipher.update(bytes.subarray(16)), decipher.final()]);
  } catch {
    throw bad();
  }
  let userId: string;
  try {
    userId = new TextDecoder('utf-8', { fatal: true }).decode(plain);
  } catch {
    throw bad();
  }
  if (userId.length === 0) throw bad();
  return userId;
}

/** Naver's key: MD5 of the client secret, all 16 bytes of it (AES-128 key and HMAC key). */
function naverKey(clientSecret: string): Buffer {
  return createHash('md5').update(clientSecret, 'utf8').digest().subarray(0, 16);
}

function sign(key: Buffer, clientId: string, encryptUniqueId: string, timestamp: string): string {
  return createHmac('sha256', key).update(`clientId=${clientId}&encryptUniqueId=${encryptUniqueId}&timestamp=${timestamp}`, 'utf8').digest('base64url');
}

function checkMethod(method: string): void {
  if (method !== 'POST') throw new NaverWebhookError('BAD_METHOD', 'the method is not POST');
}

function bodyFields(body: WebhookBody, contentType: string | undefined, encoding: string | undefined, maxBytes: number): Readonly<Record<string, unknown>> {
  if (typeof body !== 'string' && !(body instanceof Uint8Array)) {
    if (Array.isArray(body)) throw badBody('the body is not an object');
    return body;
  }
  return parseWebhookBodyText(webhookBodyText(body, encoding, maxBytes, BODY_ERRORS), contentType, BODY_ERRORS).values;
}

function field(values: Readonly<Record<string, unknown>>, name: string): string {
  // A parsed body that is not an object (`null` from a JSON parser, a number) holds no fields.
  const fields = typeof values === 'object' && values !== null ? values : {};
  const value = Object.prototype.hasOwnProperty.call(fields, name) ? fields[name] : undefined;
  if (value === undefined || value === null || value === '') throw new NaverWebhookError('MISSING_FIELD', `${name} is missing`, name);
  if (typeof value === 'string') return value;
  // JSON senders may write the timestamp as a number.
  if (name === 'timestamp' && typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  throw new NaverWebhookError('BAD_FIELD', `${name} is not a single string`, name);
}

function requireString(value: unknown, name: string, owner: string): string {
  if (typeof value !== 'string' || value.length === 0) throw new TypeError(`${owner} requires the ${name} option (a non-empty string)`);
  return value;
}

const BODY_ERRORS = webhookBodyErrors((code, message) => new NaverWebhookError(code, message));
const { tooLarge, badBody } = BODY_ERRORS;
