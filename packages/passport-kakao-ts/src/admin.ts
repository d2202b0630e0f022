import { describeEndpoint, invalidResponse, resolveTimeout } from '@passport-korea/internal';
import type { Agent } from 'node:http';
import { resolveKakaoEndpoints } from './endpoints.js';
import type { KakaoEndpointOptions } from './endpoints.js';
import { KakaoAPIError } from './errors.js';
import { callKakaoAPI } from './kapi.js';
import { exactKakaoId } from './profile.js';

const OWNER = 'KakaoAdminClient';
/** Kakao's `NotRegisteredUserException`: the user is not (or no longer) linked to the app (docs/providers/kakao.md A8). */
const NOT_REGISTERED_USER = -101;
const DIGITS = /^\d{1,20}$/;

/** Options of {@link KakaoAdminClient}. */
export interface KakaoAdminClientOptions extends Pick<KakaoEndpointOptions, 'baseURL' | 'unlinkURL' | 'logoutURL'> {
  /** The app's primary admin key. Kept in a private field: it appears in no error, message, log or `util.inspect` output. */
  adminKey: string;
  /** Deadline for each request, in ms. Default 10 000. */
  timeout?: number | undefined;
  /** An HTTP(S) agent, e.g. for a proxy. */
  agent?: Agent | undefined;
}

/** The outcome of an admin call. */
export interface KakaoAdminResult {
  /** The user id, exact digits. */
  id: string;
  /**
   * True when Kakao answered `-101` (NotRegisteredUserException): the user was already unlinked (or never linked), so
   * there was nothing left to do. `id` is then the id that was passed in.
   */
  alreadyDone: boolean;
}

/**
 * The admin key option, checked: a non-empty string that can go into an `Authorization` header as it is (a line break
 * left by a secret file would make every request fail, or every webhook's key comparison).
 */
export function requireAdminKey(value: unknown, owner: string): string {
  if (typeof value !== 'string' || value.length === 0) throw new TypeError(`${owner} requires the adminKey option (a non-empty string)`);
  if (!/^[\x21-\x7E]+$/.test(value)) throw new TypeError(`${owner}: the adminKey option holds a space or a control character (a line break from a secret file?)`);
  return value;
}

/**
 * Kakao's admin-key calls on a user, by user id (`target_id_type=user_id`): unlink and logout, server-side, without the
 * user's token (docs/providers/kakao.md A5). Errors: `KakaoAPIError` for Kakao's `{ msg, code }` (except `-101`, which is
 * reported as `alreadyDone`), `ProviderRequestError` for transport failures (`TIMEOUT` after `timeout`).
 *
 * Keep the admin key on the server: it acts on every user of the app.
 *
 * @example
 * ```ts
 * const admin = new KakaoAdminClient({ adminKey: process.env.KAKAO_ADMIN_KEY! });
 * const { alreadyDone } = await admin.unlink('1376016924426111111');
 * ```
 */
export class KakaoAdminClient {
  /** The unlink endpoint in use. */
  readonly unlinkURL: string;
  /** The logout endpoint in use. */
  readonly logoutURL: string;
  readonly #authorization: string;
  readonly #timeout: number;
  readonly #agent: Agent | undefined;

  constructor(options: KakaoAdminClientOptions) {
    if (typeof options !== 'object' || options === null) throw new TypeError(`${OWNER} requires an options object`);
    const adminKey = requireAdminKey(options.adminKey, OWNER);
    const endpoints = resolveKakaoEndpoints(
      { baseURL: options.baseURL, unlinkURL: options.unlinkURL, logoutURL: options.logoutURL },
      OWNER,
    );
    this.unlinkURL = endpoints.unlinkURL;
    this.logoutURL = endpoints.logoutURL;
    this.#authorization = `KakaoAK ${adminKey}`;
    this.#timeout = resolveTimeout(options.timeout, OWNER);
    this.#agent = options.agent;
  }

  /** `POST /v1/user/unlink` with the admin key: disconnects the user from the app, revoking consent and tokens. */
  unlink(userId: string | number | bigint): Promise<KakaoAdminResult> {
    return this.#call('unlink', this.unlinkURL, userId);
  }

  /** `POST /v1/user/logout` with the admin key: revokes every token of the user (their Kakao session survives). */
  logout(userId: string | number | bigint): Promise<KakaoAdminResult> {
    return this.#call('logout', this.logoutURL, userId);
  }

  async #call(caller: string, url: string, userId: string | number | bigint): Promise<KakaoAdminResult> {
    const id = readUserId(userId, `${OWNER}.${caller}`);
    const form = new URLSearchParams({ target_id_type: 'user_id', target_id: id }).toString();
    let result;
    try {
      result = await callKakaoAPI({ method: 'POST', url, authorization: this.#authorization, form, timeout: this.#timeout, agent: this.#agent });
    } catch (error) {
      if (error instanceof KakaoAPIError && error.apiCode === NOT_REGISTERED_USER) return { id, alreadyDone: true };
      throw error;
    }
    const answered = result.json['id'];
    if (typeof answered !== 'number' || !Number.isInteger(answered)) {
      throw invalidResponse('kakao', 'POST', url, `Kakao answered ${describeEndpoint('POST', url)} without a user id`, 200);
    }
    return { id: exactKakaoId(result.raw, answered, describeEndpoint('POST', url)), alreadyDone: false };
  }
}

/** A Kakao user id as digits: a string of digits, a bigint, or a number only while it is exact (below 2^53). */
function readUserId(value: unknown, method: string): string {
  const text = typeof value === 'bigint' ? value.toString() : typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
  if (typeof text !== 'string' || !DIGITS.test(text)) {
    throw new TypeError(`${method} requires the userId argument (the Kakao user id as a string of digits, a bigint, or a safe integer)`);
  }
  return text;
}
