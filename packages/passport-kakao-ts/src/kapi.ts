import { describeEndpoint, invalidResponse, parseJSONObject, sendProviderRequest } from '@passport-korea/internal';
import type { Agent } from 'node:http';
import { KakaoAPIError } from './errors.js';
import { parseKakaoProfile } from './profile.js';
import type { KakaoProfile, KakaoUserResponse } from './types.js';

/** One call to a kapi.kakao.com endpoint with a user's access token (or, for admin calls, the admin key). */
export interface KakaoAPICall {
  method: 'GET' | 'POST';
  url: string;
  /** Sent as `Authorization: Bearer {accessToken}`. */
  accessToken?: string | undefined;
  /** A whole `Authorization` value sent instead of the Bearer token (`KakaoAK {admin key}` for admin calls). */
  authorization?: string | undefined;
  /** The form-encoded POST body; default empty. */
  form?: string | undefined;
  timeout: number;
  agent?: Agent | undefined;
}

/** A successful kapi answer: the parsed object and the body as received. */
export interface KakaoAPIResult {
  json: Record<string, unknown>;
  raw: string;
}

/**
 * Calls a Kakao API endpoint with `Authorization: Bearer` (never the query string) and applies one error ladder:
 * Kakao's `{ msg, code }` body becomes {@link KakaoAPIError} whatever the status; any other non-2xx or non-JSON
 * answer becomes a `ProviderRequestError` with code `INVALID_RESPONSE`; transport failures are `ProviderRequestError`s too.
 */
export async function callKakaoAPI(call: KakaoAPICall): Promise<KakaoAPIResult> {
  const response = await sendProviderRequest({
    provider: 'kakao',
    method: call.method,
    url: call.url,
    headers: {
      Authorization: call.authorization ?? `Bearer ${call.accessToken ?? ''}`,
      ...(call.method === 'POST' ? { 'Content-Type': 'application/x-www-form-urlencoded;charset=utf-8' } : {}),
    },
    body: call.method === 'POST' ? (call.form ?? '') : undefined,
    timeout: call.timeout,
    agent: call.agent,
  });
  const json = parseJSONObject(response.body);
  const apiError = json ? readKakaoAPIError(json, response.status, response.body) : undefined;
  if (apiError) throw apiError;
  if (response.status < 200 || response.status >= 300 || json === undefined) {
    const what = json ? 'an unrecognised JSON body' : 'a body that is not JSON';
    const message = `Kakao API answered HTTP ${response.status} with ${what} at ${describeEndpoint(call.method, call.url)}`;
    throw invalidResponse('kakao', call.method, call.url, message, response.status);
  }
  return { json, raw: response.body };
}

/** Kakao's kapi error body: `{ msg, code }` with a negative integer code (plus scopes with -402). */
function readKakaoAPIError(json: Record<string, unknown>, httpStatus: number, body: string): KakaoAPIError | undefined {
  const { code, msg } = json;
  if (typeof code !== 'number' || !Number.isInteger(code) || code >= 0) return undefined;
  return new KakaoAPIError({
    apiCode: code,
    msg: typeof msg === 'string' ? msg : '',
    httpStatus,
    requiredScopes: stringList(json['required_scopes']),
    allowedScopes: stringList(json['allowed_scopes']),
    body,
  });
}

function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : undefined;
}

/**
 * The `/v2/user/me` URL every strategy fetches: with `secure_resource=true` unless `secureResource` is `false`.
 * QUIRK (docs/providers/kakao.md A4): Kakao returns image URLs as plain http unless asked `secure_resource=true`.
 */
export function kakaoProfileURL(profileURL: string, secureResource: boolean | undefined): string {
  const url = new URL(profileURL);
  if (secureResource ?? true) url.searchParams.set('secure_resource', 'true');
  return url.toString();
}

/**
 * `GET /v2/user/me` with the access token, mapped with {@link parseKakaoProfile}: the one profile fetch of the web and
 * token strategies. An answer without an integer `id` is `INVALID_RESPONSE`.
 */
export async function fetchKakaoProfile(call: { url: string; accessToken: string; timeout: number; agent?: Agent | undefined }): Promise<KakaoProfile> {
  const { json, raw } = await callKakaoAPI({ method: 'GET', ...call });
  if (typeof json['id'] !== 'number' || !Number.isInteger(json['id'])) {
    throw invalidResponse('kakao', 'GET', call.url, `Kakao answered ${describeEndpoint('GET', call.url)} without a user id`, 200);
  }
  return parseKakaoProfile(json as unknown as KakaoUserResponse, raw);
}
