import { describeEndpoint, invalidResponse, parseJSONObject, sendProviderRequest } from '@passport-korea/internal';
import type { Agent } from 'node:http';
import { NaverAPIError } from './errors.js';

/** One call to an openapi.naver.com endpoint with a user's access token. */
export interface NaverAPICall {
  method: 'GET' | 'POST';
  url: string;
  accessToken: string;
  timeout: number;
  agent?: Agent | undefined;
}

/** A successful answer (`resultcode` `"00"`): the parsed object and the body as received. */
export interface NaverAPIResult {
  json: Record<string, unknown>;
  raw: string;
}

/**
 * Calls a Naver Login API endpoint with `Authorization: Bearer` and applies one error ladder.
 *
 * QUIRK (docs/providers/naver.md B3; Naver profile API docs vs. naver/passport-naver lib/strategy.js): Naver's docs answer
 * failures with 401, Naver's own old strategy says failures come with HTTP 200. So `resultcode` decides, whatever the
 * status: anything but `"00"` is a {@link NaverAPIError}. The general OpenAPI shape `{ errorCode, errorMessage }` is
 * read too. Other non-2xx or non-JSON answers are `ProviderRequestError`s with code `INVALID_RESPONSE`.
 */
export async function callNaverAPI(call: NaverAPICall): Promise<NaverAPIResult> {
  const response = await sendProviderRequest({
    provider: 'naver',
    method: call.method,
    url: call.url,
    headers: { Authorization: `Bearer ${call.accessToken}` },
    timeout: call.timeout,
    agent: call.agent,
  });
  const json = parseJSONObject(response.body);
  const resultcode = json?.['resultcode'] ?? json?.['errorCode'];
  const message = json?.['message'] ?? json?.['errorMessage'];
  if (json && typeof resultcode === 'string' && resultcode !== '00') {
    throw new NaverAPIError({ resultcode, message: typeof message === 'string' ? message : '', httpStatus: response.status, body: response.body });
  }
  if (response.status < 200 || response.status >= 300 || json === undefined || resultcode !== '00') {
    const what = json === undefined ? 'a body that is not JSON' : resultcode === '00' ? 'a success resultcode (00)' : 'JSON without a resultcode';
    const message = `Naver API answered HTTP ${response.status} with ${what} at ${describeEndpoint(call.method, call.url)}`;
    throw invalidResponse('naver', call.method, call.url, message, response.status);
  }
  return { json, raw: response.body };
}
