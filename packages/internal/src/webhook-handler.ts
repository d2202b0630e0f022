/**
 * What both webhook receivers (Kakao's unlink webhook, Naver's deauthorize callback) share around their own checks:
 * the refusal error's shape and the statuses of the common refusals, and the handler skeleton (checks before the body,
 * the body read within its limit or taken from a body parser, the answer, then the app's callbacks). Each provider
 * keeps what is its own: Kakao's admin-key check and fields, Naver's signature and decryption.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterResponse, answer, bodyConsumed, deliverAfterResponse, parsedBody, readRawBody, runSafely } from './webhook-support.js';
import type { WebhookBody, WebhookBodyErrors } from './webhook-support.js';

/** The refusals every receiver has: the method, the body's size and format, a missing or malformed field. */
export type WebhookCommonCode = 'BAD_METHOD' | 'BODY_TOO_LARGE' | 'BAD_BODY' | 'MISSING_FIELD' | 'BAD_FIELD';

/** The HTTP status of each common refusal. */
export const WEBHOOK_COMMON_STATUS: Readonly<Record<WebhookCommonCode, number>> = {
  BAD_METHOD: 405,
  BODY_TOO_LARGE: 413,
  BAD_BODY: 400,
  MISSING_FIELD: 400,
  BAD_FIELD: 400,
};

/**
 * A refused webhook call: `code` to branch on, `status` to answer with, and with `MISSING_FIELD` and `BAD_FIELD` the
 * field's name. The message names the check and the field, never a secret or a value from the request.
 */
export abstract class WebhookError<Code extends string> extends Error {
  /** A stable code to branch on. */
  readonly code: Code;
  /** The HTTP status to answer with. */
  readonly status: number;
  /** With `MISSING_FIELD` and `BAD_FIELD`: the field's name. */
  readonly field: string | undefined;

  protected constructor(message: string, code: Code, status: number, field?: string) {
    super(message);
    this.code = code;
    this.status = status;
    this.field = field;
  }
}

/** The body errors of {@link WebhookBodyErrors}, made as the provider's refusals. */
export function webhookBodyErrors<E extends Error>(make: (code: 'BODY_TOO_LARGE' | 'BAD_BODY', message: string) => E): { tooLarge: () => E; badBody: (message: string) => E } {
  return {
    tooLarge: () => make('BODY_TOO_LARGE', 'the body is larger than maxBodyBytes'),
    badBody: (message) => make('BAD_BODY', message),
  } satisfies WebhookBodyErrors;
}

/** A handler for Express, Connect or a plain Node HTTP server. */
export type WebhookRequestHandler = (req: IncomingMessage & { body?: unknown }, res: ServerResponse) => void;

/** What a provider gives the skeleton of {@link webhookHandler}. */
export interface WebhookHandlerSpec<E extends WebhookError<string>, Event> {
  /** The handler's name in log lines (`kakaoUnlinkWebhook`). */
  owner: string;
  maxBodyBytes: number;
  /** The status of an accepted call, answered with an empty body before `onEvent` runs. */
  acceptStatus: number;
  /** The `Allow` header of a `BAD_METHOD` answer. */
  allow: string;
  /** Tells the provider's refusals from anything else (which is a bug, and thrown). */
  isRefusal: (error: unknown) => error is E;
  tooLarge: () => E;
  /** The checks made before the body is read (the method, an authorization header); they throw refusals. */
  beforeBody: (req: IncomingMessage) => void;
  /** Whether the call has a body to read (Kakao's GET has none). */
  hasBody: (req: IncomingMessage) => boolean;
  /** Verifies the call with its body (raw or parsed) and returns the event; throws refusals. */
  readEvent: (req: IncomingMessage, body: WebhookBody | undefined) => Event;
  onEvent: (event: Event) => unknown;
  onError?: ((error: unknown, event: Event) => unknown) | undefined;
  onRefused?: ((error: E) => unknown) | undefined;
}

/**
 * The receiver's skeleton: the checks before the body, then the body (a framework's parsed one, or read here up to
 * `maxBodyBytes`, the declared `Content-Length` checked first), then the provider's verification. A refusal is
 * answered with its status and an empty body (`Allow` for `BAD_METHOD`, `Connection: close` for a body too large), and
 * `onRefused` runs after the answer; an accepted call is answered `acceptStatus`, then `onEvent` runs (its errors to
 * `onError`). Never an unhandled rejection.
 */
export function webhookHandler<E extends WebhookError<string>, Event>(spec: WebhookHandlerSpec<E, Event>): WebhookRequestHandler {
  const { owner, onRefused } = spec;
  const refuse = (res: ServerResponse, error: E): void => {
    answer(res, error.status, error.code === 'BAD_METHOD' ? { Allow: spec.allow } : error.code === 'BODY_TOO_LARGE' ? { Connection: 'close' } : {});
    if (onRefused) afterResponse(res, () => void runSafely(() => onRefused(error), `${owner}: onRefused`));
  };
  const asRefusal = (error: unknown): E => {
    if (spec.isRefusal(error)) return error;
    throw error;
  };
  const finish = (req: IncomingMessage, res: ServerResponse, body: WebhookBody | undefined): void => {
    let event: Event;
    try {
      event = spec.readEvent(req, body);
    } catch (error) {
      refuse(res, asRefusal(error));
      return;
    }
    answer(res, spec.acceptStatus, {});
    deliverAfterResponse(res, event, spec.onEvent, spec.onError, owner);
  };

  return (req, res) => {
    let withBody: boolean;
    try {
      spec.beforeBody(req);
      withBody = spec.hasBody(req);
      if (withBody && Number(req.headers['content-length'] ?? 0) > spec.maxBodyBytes) throw spec.tooLarge();
    } catch (error) {
      refuse(res, asRefusal(error));
      return;
    }
    if (!withBody) return finish(req, res, undefined);
    if (bodyConsumed(req)) return finish(req, res, parsedBody(req.body));
    readRawBody(req, spec.maxBodyBytes, spec.tooLarge)
      .then(
        (raw) => finish(req, res, raw),
        (error: unknown) => {
          if (spec.isRefusal(error)) refuse(res, error);
          // Otherwise the request was aborted: there is no one left to answer.
        },
      )
      .catch((error: unknown) => {
        // A check that threw something other than a refusal is a bug: answered 500, never an unhandled rejection.
        if (!res.headersSent) answer(res, 500, {});
        console.error(`${owner}: the call could not be checked`, error);
      });
  };
}
