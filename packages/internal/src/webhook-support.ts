import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The provider-neutral parts of the webhook handlers (Kakao's unlink webhook, Naver's deauthorize callback): reading
 * headers and bodies, answering, and running the app's callbacks after the answer. Errors are made by the caller's
 * factories, so each provider's error class and codes stay its own.
 */

/** Request headers: Node's lowercase object, any plain object (looked up case-insensitively), or a fetch `Headers`. */
export type WebhookHeaders = Readonly<Record<string, string | readonly string[] | undefined>> | { get(name: string): string | null };

/** A webhook body: raw (a string or bytes) or a framework's parsed object. */
export type WebhookBody = string | Uint8Array | Readonly<Record<string, unknown>>;

/** The errors {@link webhookBodyText} and {@link parseWebhookBodyText} throw, made by the caller. */
export interface WebhookBodyErrors {
  /** The body is larger than the limit. */
  tooLarge: () => Error;
  /** The body cannot be read; `message` holds nothing from the request. */
  badBody: (message: string) => Error;
}

/** Fields parsed from a body or query, and the raw JSON text when they came from JSON (to read long integers exactly). */
export interface WebhookFields {
  values: Readonly<Record<string, unknown>>;
  json?: string | undefined;
}

/** One header's value; a repeated header counts as absent (it is never trusted). */
export function header(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  }
  const record = headers as Readonly<Record<string, string | readonly string[] | undefined>>;
  let value = record[name];
  if (value === undefined) {
    const key = Object.keys(record).find((candidate) => candidate.toLowerCase() === name);
    value = key === undefined ? undefined : record[key];
  }
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  // A repeated header is never trusted.
  return value.length === 1 ? value[0] : undefined;
}

/** SHA-256 of `text` (UTF-8), to compare secrets of any length with `timingSafeEqual`. */
export function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** The text of a raw body: at most `maxBytes`, not compressed, decoded as UTF-8. */
export function webhookBodyText(body: string | Uint8Array, encoding: string | undefined, maxBytes: number, errors: WebhookBodyErrors): string {
  const size = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
  if (size > maxBytes) throw errors.tooLarge();
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') throw errors.badBody('the body is compressed');
  return typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
}

/** Parses a body's text by its `Content-Type`: a JSON object, or form-encoded (also when there is no type). */
export function parseWebhookBodyText(text: string, contentType: string | undefined, errors: Pick<WebhookBodyErrors, 'badBody'>): WebhookFields {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/json' || type.endsWith('+json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      // The parser's message quotes the body; keep it out.
      throw errors.badBody('the body is not valid JSON');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw errors.badBody('the JSON body is not an object');
    return { values: parsed as Record<string, unknown>, json: text };
  }
  if (type === '' || type === 'application/x-www-form-urlencoded') return { values: paramsObject(new URLSearchParams(text)) };
  throw errors.badBody('the body is neither form-encoded nor JSON');
}

/** Repeated parameters become arrays, so that they are noticed rather than one of them silently chosen. */
export function paramsObject(params: URLSearchParams): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const key of new Set(params.keys())) {
    const all = params.getAll(key);
    values[key] = all.length === 1 ? all[0] : all;
  }
  return values;
}

/** True when something upstream (a body parser) has already read the request body. */
export function bodyConsumed(req: IncomingMessage): boolean {
  return req.readableEnded || (req.complete && !req.readable);
}

/** A body parser's result: an object, or the raw text or bytes (`express.text()`, `express.raw()`); anything else counts as none. */
export function parsedBody(body: unknown): WebhookBody | undefined {
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  if (typeof body === 'object' && body !== null) return body as Record<string, unknown>;
  return undefined;
}

/**
 * Reads the request body, rejecting with `tooLarge()` as soon as it passes `limit` bytes (the rest is discarded), or
 * with a plain `Error('aborted')` when the request fails or closes first.
 */
export function readRawBody(req: IncomingMessage, limit: number, tooLarge: () => Error): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        // Discard the rest; the 413 goes out with `Connection: close`.
        req.resume();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks));
    };
    const onAbort = () => {
      cleanup();
      reject(new Error('aborted'));
    };
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onAbort);
      req.off('close', onAbort);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onAbort);
    req.on('close', onAbort);
  });
}

/** Answers with `status`, `headers` and an empty body (`Content-Length: 0`, except for 204); once only. */
export function answer(res: ServerResponse, status: number, headers: Readonly<Record<string, string>>): void {
  if (res.headersSent) return;
  res.statusCode = status;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  if (status !== 204) res.setHeader('Content-Length', '0');
  res.end();
}

/** Runs `task` once the answer has gone out (or the connection closed), outside the request's call stack. */
export function afterResponse(res: ServerResponse, task: () => void): void {
  let done = false;
  const run = () => {
    if (done) return;
    done = true;
    res.off('finish', run);
    res.off('close', run);
    setImmediate(task);
  };
  if (res.writableFinished) {
    run();
    return;
  }
  res.on('finish', run);
  res.on('close', run);
}

/**
 * Calls an app callback so that neither a throw nor a rejection escapes; a failure is logged with `console.error` as
 * `{what} failed` (e.g. `kakaoUnlinkWebhook: onRefused`).
 */
export function runSafely(task: () => unknown, what: string): Promise<void> {
  return Promise.resolve()
    .then(task)
    .then(
      () => undefined,
      (error: unknown) => {
        console.error(`${what} failed`, error);
      },
    );
}

/**
 * After the answer has gone out, runs `onEvent(event)`; its throw or rejection goes to `onError` (itself run safely),
 * or without one to `console.error` as `{owner}: onEvent failed`. Never an unhandled rejection.
 */
export function deliverAfterResponse<E>(
  res: ServerResponse,
  event: E,
  onEvent: (event: E) => unknown,
  onError: ((error: unknown, event: E) => unknown) | undefined,
  owner: string,
): void {
  afterResponse(res, () => {
    Promise.resolve()
      .then(() => onEvent(event))
      .catch((error: unknown) => {
        if (onError) return runSafely(() => onError(error, event), `${owner}: onError`);
        console.error(`${owner}: onEvent failed`, error);
        return undefined;
      });
  });
}
