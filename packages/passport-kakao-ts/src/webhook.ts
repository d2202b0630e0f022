import { WEBHOOK_COMMON_STATUS, WebhookError, header, paramsObject, parseWebhookBodyText, sha256, webhookBodyErrors, webhookBodyText, webhookHandler } from '@passport-korea/internal';
import type { WebhookBody, WebhookFields, WebhookHeaders, WebhookRequestHandler } from '@passport-korea/internal';
import { timingSafeEqual } from 'node:crypto';
import { requireAdminKey } from './admin.js';

/**
 * Kakao's unlink webhook (연결 해제 웹훅), docs/providers/kakao.md A9: Kakao calls the URL registered under
 * [App] > [Webhook] when a user unlinks the app, deletes their Kakao account, or is unlinked by an admin.
 * There is no signature: `Authorization: KakaoAK {primary admin key}` is the whole check, compared here in constant time.
 */

/** Default cap on a webhook body, in bytes. Kakao's fields fit in a few hundred. */
export const KAKAO_WEBHOOK_MAX_BODY_BYTES = 8 * 1024;

/**
 * Why Kakao called the webhook. The five documented values autocomplete; any other value Kakao may add arrives as it
 * was sent (treat it as "unlinked, reason unknown").
 * - `ACCOUNT_DELETE`: the user deleted their Kakao account.
 * - `FORCED_ACCOUNT_DELETE`: Kakao deleted the account.
 * - `UNLINK_FROM_APPS`: the user unlinked the app in their Kakao account settings.
 * - `UNLINK_FROM_ADMIN`: an admin unlinked the user (console or admin key).
 * - `INCOMPLETE_SIGN_UP`: the sign-up was never completed.
 */
export type KakaoUnlinkReferrerType =
  | 'ACCOUNT_DELETE'
  | 'FORCED_ACCOUNT_DELETE'
  | 'UNLINK_FROM_APPS'
  | 'UNLINK_FROM_ADMIN'
  | 'INCOMPLETE_SIGN_UP'
  // `string & {}` keeps unknown values typed as strings without swallowing the literals above in autocompletion.
  | (string & {});

/** One verified unlink notification. */
export interface KakaoUnlinkEvent {
  /** The app's numeric id, as digits (equal to the configured `appId`). */
  appId: string;
  /** The Kakao user id, exact digits (it is a Long: never converted to a JS number). */
  userId: string;
  /** Why the user was unlinked; unknown values are kept as sent. */
  referrerType: KakaoUnlinkReferrerType;
  /** Partner apps only: the user's group token, when Kakao sends one. */
  groupUserToken?: string | undefined;
}

/**
 * Stable codes of {@link KakaoWebhookError}:
 * - `BAD_METHOD`: not GET or POST (HTTP 405).
 * - `BAD_AUTHORIZATION`: no `Authorization: KakaoAK …` header, or not the configured admin key (401).
 * - `APP_MISMATCH`: `app_id` is not the configured app's (401).
 * - `MISSING_FIELD`: `app_id`, `user_id` or `referrer_type` is absent or empty (400).
 * - `BAD_FIELD`: a field is malformed: not digits, repeated with different values, or a number too large to be exact (400).
 * - `BODY_TOO_LARGE`: the body is larger than `maxBodyBytes` (413).
 * - `BAD_BODY`: the body is neither form-encoded nor a JSON object, or is compressed (400).
 */
export type KakaoWebhookErrorCode = 'BAD_METHOD' | 'BAD_AUTHORIZATION' | 'APP_MISMATCH' | 'MISSING_FIELD' | 'BAD_FIELD' | 'BODY_TOO_LARGE' | 'BAD_BODY';

const STATUS: Readonly<Record<KakaoWebhookErrorCode, number>> = { ...WEBHOOK_COMMON_STATUS, BAD_AUTHORIZATION: 401, APP_MISMATCH: 401 };

/**
 * A Kakao unlink webhook call was refused. Branch on `code`; `status` is the HTTP status to answer.
 * The message names the check and the field, never the admin key, the user id or any value from the request.
 */
export class KakaoWebhookError extends WebhookError<KakaoWebhookErrorCode> {
  override name = 'KakaoWebhookError';

  /** `status` is the HTTP status to answer Kakao with (401, 400, 405, 413); `field` a parameter's name, e.g. `user_id`. */
  constructor(code: KakaoWebhookErrorCode, message: string, field?: string) {
    super(`Kakao unlink webhook refused: ${message}`, code, STATUS[code], field);
  }
}

/** Request headers: Node's lowercase object, any plain object (looked up case-insensitively), or a fetch `Headers`. */
export type KakaoWebhookHeaders = WebhookHeaders;

/** What {@link verifyKakaoUnlinkWebhook} reads of a request, whatever the framework. */
export interface KakaoWebhookRequest {
  /** `GET` or `POST`. */
  method: string;
  headers: KakaoWebhookHeaders;
  /** The query: a string (`a=1&b=2`, with or without `?`), `URLSearchParams`, or a framework's parsed object. */
  query?: string | URLSearchParams | Readonly<Record<string, unknown>> | undefined;
  /**
   * The POST body: raw (a string or bytes, parsed by its `Content-Type`: form or JSON, and held to `maxBodyBytes`), or a
   * framework's parsed object (form or JSON). Prefer the raw body: a JSON `user_id` above 2^53 is only exact in it.
   */
  body?: string | Uint8Array | Readonly<Record<string, unknown>> | undefined;
}

/** Options of {@link verifyKakaoUnlinkWebhook}. */
export interface KakaoUnlinkWebhookVerifyOptions {
  /**
   * The app's admin key ([App] > [Platform keys] > [Admin key]), or several: since the 2025-12 key migration an app may
   * hold up to five, and Kakao's webhooks send the primary one (docs/providers/kakao.md A13). Listing the old and the new
   * key lets the primary one change without a window of refused webhooks. Each is compared in constant time. Never
   * logged.
   */
  adminKey: string | readonly string[];
  /** The app's numeric id ([App] > [General]); the webhook's `app_id` must equal it. */
  appId: string | number;
  /** Largest body accepted, in bytes. Default {@link KAKAO_WEBHOOK_MAX_BODY_BYTES} (8 KiB). */
  maxBodyBytes?: number | undefined;
}

/** Options of {@link kakaoUnlinkWebhook}. */
export interface KakaoUnlinkWebhookOptions extends KakaoUnlinkWebhookVerifyOptions {
  /**
   * Called with each verified event **after** Kakao has been answered 200 (Kakao only waits 3 s). May return a promise.
   * Called for users the app does not know too: answer nothing different for them.
   */
  onEvent: (event: KakaoUnlinkEvent) => unknown;
  /**
   * Called when `onEvent` throws or rejects (the answer has already gone). Default: `console.error` with a fixed
   * message and the error.
   */
  onError?: ((error: unknown, event: KakaoUnlinkEvent) => unknown) | undefined;
  /** Called with each refusal (after the refusal was answered), e.g. to count or log them. The error holds no secret. */
  onRefused?: ((error: KakaoWebhookError) => unknown) | undefined;
}

/** A request handler for Express, Connect or a plain Node HTTP server. */
export type KakaoWebhookHandler = WebhookRequestHandler;

const REFERRER_FIELD = 'referrer_type';
const DIGITS = /^\d{1,20}$/;

/**
 * Checks one call of Kakao's unlink webhook and returns its event; throws {@link KakaoWebhookError} otherwise.
 * Checks, in order: the method (GET or POST), `Authorization: KakaoAK {adminKey}` (SHA-256 digests compared with
 * `timingSafeEqual`), the body size, the body (form or JSON), the fields (`app_id`, `user_id` as digits,
 * `referrer_type`), and `app_id` against `appId`. GET reads the query; POST reads the body, then the query for any field
 * the body lacks.
 *
 * @example
 * ```ts
 * // any framework: give the raw body when you can
 * const event = verifyKakaoUnlinkWebhook({ method, headers, query: url.search, body: rawBody }, { adminKey, appId });
 * ```
 */
export function verifyKakaoUnlinkWebhook(request: KakaoWebhookRequest, options: KakaoUnlinkWebhookVerifyOptions): KakaoUnlinkEvent {
  const config = readVerifyOptions(options, 'verifyKakaoUnlinkWebhook');
  checkMethod(request.method);
  checkAuthorization(request.headers, config.expectedDigests);
  return readEvent(request, config);
}

/**
 * An HTTP handler for Kakao's unlink webhook. Answers `200` (empty) as soon as the call is verified, then runs `onEvent`
 * (its errors, thrown or rejected, go to `onError`; never an unhandled rejection). A wrong or missing admin key gets
 * `401` with an empty body; a missing field `400`; a body over `maxBodyBytes` `413`; another method `405`.
 * Works with or without a body parser in front: without one it reads the body itself, up to `maxBodyBytes`.
 *
 * @example
 * ```ts
 * app.post('/webhooks/kakao/unlink', kakaoUnlinkWebhook({
 *   adminKey: process.env.KAKAO_ADMIN_KEY!, appId: process.env.KAKAO_APP_ID!,
 *   onEvent: async ({ userId, referrerType }) => { await users.unlinkKakao(userId, referrerType); },
 * }));
 * ```
 */
export function kakaoUnlinkWebhook(options: KakaoUnlinkWebhookOptions): KakaoWebhookHandler {
  const config = readVerifyOptions(options, 'kakaoUnlinkWebhook');
  if (typeof options.onEvent !== 'function') throw new TypeError('kakaoUnlinkWebhook requires the onEvent option (a function)');
  return webhookHandler({
    owner: 'kakaoUnlinkWebhook',
    maxBodyBytes: config.maxBodyBytes,
    acceptStatus: 200,
    allow: 'GET, POST',
    isRefusal: (error): error is KakaoWebhookError => error instanceof KakaoWebhookError,
    tooLarge,
    // The admin key before the body: an unauthenticated caller never gets a body read.
    beforeBody: (req) => {
      checkMethod(req.method ?? '');
      checkAuthorization(req.headers, config.expectedDigests);
    },
    hasBody: (req) => req.method === 'POST',
    readEvent: (req, body) => readEvent({ method: req.method ?? '', headers: req.headers, query: queryOf(req.url), body }, config),
    onEvent: options.onEvent,
    onError: options.onError,
    onRefused: options.onRefused,
  });
}

/** Most admin keys a Kakao app holds (A13): a longer list is a mistake, not keys. */
const MAX_ADMIN_KEYS = 5;

interface VerifyConfig {
  /** The SHA-256 digest of `KakaoAK {key}`, one per admin key accepted. */
  expectedDigests: readonly Buffer[];
  appId: string;
  maxBodyBytes: number;
}

function readVerifyOptions(options: KakaoUnlinkWebhookVerifyOptions, owner: string): VerifyConfig {
  if (typeof options !== 'object' || options === null) throw new TypeError(`${owner} requires an options object`);
  const given: unknown = options.adminKey;
  const adminKeys = Array.isArray(given) ? (given as unknown[]) : [given];
  if (adminKeys.length === 0 || adminKeys.length > MAX_ADMIN_KEYS) {
    throw new TypeError(`${owner}: the adminKey option takes one admin key or a list of 1 to ${MAX_ADMIN_KEYS} (a Kakao app holds at most ${MAX_ADMIN_KEYS})`);
  }
  const expectedDigests = adminKeys.map((key) => sha256(`KakaoAK ${requireAdminKey(key, owner)}`));
  const appId = typeof options.appId === 'number' && Number.isSafeInteger(options.appId) ? String(options.appId) : options.appId;
  if (typeof appId !== 'string' || !DIGITS.test(appId)) throw new TypeError(`${owner} requires the appId option (the app's numeric id)`);
  const maxBodyBytes = options.maxBodyBytes ?? KAKAO_WEBHOOK_MAX_BODY_BYTES;
  if (typeof maxBodyBytes !== 'number' || !Number.isSafeInteger(maxBodyBytes) || maxBodyBytes <= 0) {
    throw new TypeError(`${owner}: the maxBodyBytes option must be a positive integer`);
  }
  return { expectedDigests, appId, maxBodyBytes };
}

function checkMethod(method: string): void {
  if (method !== 'GET' && method !== 'POST') throw new KakaoWebhookError('BAD_METHOD', 'the method is not GET or POST');
}

/**
 * `Authorization: KakaoAK {key}`: the scheme in any case, the key compared as SHA-256 digests in constant time with
 * every accepted admin key (all of them, whichever matches, so the time tells nothing of which or whether).
 */
function checkAuthorization(headers: KakaoWebhookHeaders, expectedDigests: readonly Buffer[]): void {
  const value = header(headers, 'authorization');
  const match = value === undefined ? null : /^(\S+) +(\S+)$/.exec(value);
  const given = match && match[1]?.toLowerCase() === 'kakaoak' ? `KakaoAK ${match[2] ?? ''}` : '';
  // Digest even when there is nothing to compare, so a missing header costs the same as a wrong one.
  const digest = sha256(given);
  let ok = false;
  for (const expected of expectedDigests) ok = timingSafeEqual(digest, expected) || ok;
  if (!ok) throw new KakaoWebhookError('BAD_AUTHORIZATION', 'the Authorization header is not KakaoAK with the app\'s admin key');
}

function readEvent(request: KakaoWebhookRequest, config: VerifyConfig): KakaoUnlinkEvent {
  const sources: WebhookFields[] = [];
  if (request.method === 'POST' && request.body !== undefined) {
    sources.push(bodyFields(request.body, header(request.headers, 'content-type'), header(request.headers, 'content-encoding'), config.maxBodyBytes));
  }
  const query = queryFields(request.query);
  if (query) sources.push(query);

  const appId = digitsField(sources, 'app_id');
  const userId = digitsField(sources, 'user_id');
  const referrerType = stringField(sources, REFERRER_FIELD, true);
  const groupUserToken = stringField(sources, 'group_user_token', false);
  if (appId !== config.appId) throw new KakaoWebhookError('APP_MISMATCH', 'app_id is not the configured app\'s');
  return groupUserToken === undefined ? { appId, userId, referrerType } : { appId, userId, referrerType, groupUserToken };
}

function bodyFields(body: WebhookBody, contentType: string | undefined, encoding: string | undefined, maxBytes: number): WebhookFields {
  if (typeof body !== 'string' && !(body instanceof Uint8Array)) {
    if (Array.isArray(body)) throw badBody('the body is not an object');
    return { values: body };
  }
  const text = webhookBodyText(body, encoding, maxBytes, BODY_ERRORS);
  if (text.trim().length === 0) return { values: {} };
  return parseWebhookBodyText(text, contentType, BODY_ERRORS);
}

function queryFields(query: KakaoWebhookRequest['query']): WebhookFields | undefined {
  if (query === undefined) return undefined;
  if (typeof query === 'string') return { values: paramsObject(new URLSearchParams(query)) };
  if (query instanceof URLSearchParams) return { values: paramsObject(query) };
  return { values: query };
}

/** Every distinct value of `name` across the sources, as strings; a malformed one throws `BAD_FIELD`. */
function fieldValues(sources: readonly WebhookFields[], name: string, integer: boolean): string[] {
  const found = new Set<string>();
  for (const source of sources) {
    // A parsed body or query that is not an object (`null` from a JSON parser, a number) holds no fields.
    if (typeof source.values !== 'object' || source.values === null) continue;
    if (!Object.prototype.hasOwnProperty.call(source.values, name)) continue;
    const value = source.values[name];
    if (value === undefined || value === null || value === '') continue;
    if (typeof value === 'string') {
      found.add(value);
    } else if (integer && typeof value === 'number' && Number.isInteger(value) && value >= 0) {
      const exact = Number.isSafeInteger(value) ? String(value) : source.json === undefined ? undefined : exactJSONInteger(source.json, name, value);
      if (exact === undefined) throw new KakaoWebhookError('BAD_FIELD', `${name} is a number too large to read exactly (give the raw body)`, name);
      found.add(exact);
    } else {
      throw new KakaoWebhookError('BAD_FIELD', `${name} is not a single string`, name);
    }
  }
  if (found.size > 1) throw new KakaoWebhookError('BAD_FIELD', `${name} is given more than once with different values`, name);
  return [...found];
}

function digitsField(sources: readonly WebhookFields[], name: string): string {
  const [value] = fieldValues(sources, name, true);
  if (value === undefined) throw new KakaoWebhookError('MISSING_FIELD', `${name} is missing`, name);
  if (!DIGITS.test(value)) throw new KakaoWebhookError('BAD_FIELD', `${name} is not a decimal number`, name);
  return value;
}

function stringField(sources: readonly WebhookFields[], name: string, required: true): string;
function stringField(sources: readonly WebhookFields[], name: string, required: false): string | undefined;
function stringField(sources: readonly WebhookFields[], name: string, required: boolean): string | undefined {
  const [value] = fieldValues(sources, name, false);
  if (value === undefined && required) throw new KakaoWebhookError('MISSING_FIELD', `${name} is missing`, name);
  return value;
}

/** The digits of `"name": 123…` in raw JSON whose value parses to `parsed` (JSON.parse rounds integers above 2^53). */
function exactJSONInteger(raw: string, name: string, parsed: number): string | undefined {
  const escaped = name.replace(/[^a-z_]/g, '');
  for (const match of raw.matchAll(new RegExp(`"${escaped}"\\s*:\\s*(\\d+)\\s*[,}]`, 'g'))) {
    if (match[1] !== undefined && Number(match[1]) === parsed) return match[1];
  }
  return undefined;
}

const BODY_ERRORS = webhookBodyErrors((code, message) => new KakaoWebhookError(code, message));
const { tooLarge, badBody } = BODY_ERRORS;

function queryOf(url: string | undefined): string {
  const index = url?.indexOf('?') ?? -1;
  return url !== undefined && index >= 0 ? url.slice(index + 1) : '';
}
