import http from 'node:http';
import type { Agent, IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import { PROVIDER_LABEL, ProviderRequestError, describeEndpoint } from './errors.js';
import type { ProviderName } from './errors.js';

/** A request to a provider. */
export interface ProviderRequest {
  provider: ProviderName;
  method: 'GET' | 'POST';
  url: string;
  headers?: Readonly<Record<string, string>> | undefined;
  /** A form-encoded body, for POST. */
  body?: string | undefined;
  /** Deadline for the whole exchange (connect, send, receive), in milliseconds. */
  timeout: number;
  /** An HTTP(S) agent, e.g. for a proxy (honours passport-oauth2's `_oauth2.setAgent`). */
  agent?: Agent | undefined;
}

/** The provider's complete answer. */
export interface ProviderResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Provider answers are small JSON documents; anything larger is not one. */
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Sends one request and resolves with the complete answer, whatever its status.
 * Rejects only with {@link ProviderRequestError}: `TIMEOUT` when the whole exchange takes longer than `timeout`,
 * `NETWORK_ERROR` when the connection fails, `INVALID_RESPONSE` when the body is larger than 1 MiB.
 */
export function sendProviderRequest(request: ProviderRequest): Promise<ProviderResponse> {
  const { provider, method, url, timeout } = request;
  const label = PROVIDER_LABEL[provider];

  return new Promise<ProviderResponse>((resolve, reject) => {
    let target: URL;
    // Built only for an error message: parsing the URL twice on every request costs more than it looks.
    const endpoint = () => describeEndpoint(method, url);
    try {
      target = new URL(url);
    } catch (cause) {
      reject(new ProviderRequestError(`${label} endpoint is not a valid URL`, { provider, code: 'NETWORK_ERROR', endpoint: endpoint(), cause }));
      return;
    }
    const client = target.protocol === 'http:' ? http : https;
    const headers: Record<string, string | number> = { Accept: 'application/json', ...request.headers };
    if (request.body !== undefined) headers['Content-Length'] = Buffer.byteLength(request.body);

    let settled = false;
    const settle = (error: ProviderRequestError | undefined, response?: ProviderResponse): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) {
        req.destroy();
        reject(error);
      } else if (response) {
        resolve(response);
      }
    };

    // Plain options rather than the URL object: http.request converts a URL on every call.
    const options: http.RequestOptions = {
      protocol: target.protocol,
      hostname: target.hostname.startsWith('[') ? target.hostname.slice(1, -1) : target.hostname,
      port: target.port || undefined,
      path: target.pathname + target.search,
      method,
      headers,
      agent: request.agent,
    };
    let req: http.ClientRequest;
    try {
      req = client.request(options, onResponse);
    } catch (cause) {
      // Node refuses some requests before sending anything (a header value with CR/LF, an agent for the other
      // protocol): still a ProviderRequestError, never a bare TypeError. The code names the problem, not the value.
      reject(new ProviderRequestError(`Could not send the request to ${label} at ${endpoint()}: ${(cause as NodeJS.ErrnoException).code ?? 'invalid request'}`, {
        provider, code: 'NETWORK_ERROR', endpoint: endpoint(), cause,
      }));
      return;
    }
    function onResponse(res: http.IncomingMessage): void {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) {
          settle(new ProviderRequestError(`${label} sent an answer larger than 1 MiB from ${endpoint()}`, {
            provider, code: 'INVALID_RESPONSE', endpoint: endpoint(), httpStatus: res.statusCode,
          }));
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => {
        settle(undefined, { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', (cause) => {
        settle(new ProviderRequestError(`${label} connection broke while reading the answer from ${endpoint()}`, {
          provider, code: 'NETWORK_ERROR', endpoint: endpoint(), httpStatus: res.statusCode, cause,
        }));
      });
    }
    req.on('error', (cause) => {
      settle(new ProviderRequestError(`Could not reach ${label} at ${endpoint()}: ${(cause as NodeJS.ErrnoException).code ?? cause.message}`, {
        provider, code: 'NETWORK_ERROR', endpoint: endpoint(), cause,
      }));
    });
    const timer = setTimeout(() => {
      settle(new ProviderRequestError(`${label} did not answer ${endpoint()} within ${timeout} ms`, {
        provider, code: 'TIMEOUT', endpoint: endpoint(),
      }));
    }, timeout);
    req.end(request.body);
  });
}

/** Parses a JSON object; `undefined` for anything else (empty, HTML, arrays, primitives, broken JSON). */
export function parseJSONObject(text: string): Record<string, unknown> | undefined {
  if (text.length === 0) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Settles a Node-style callback from a promise, outside the promise chain: an exception thrown by the callback
 * (by the app's verify function, say) surfaces as it would from any callback API instead of as an unhandled rejection,
 * and the callback is never called twice.
 */
export function settleCallback<T>(promise: Promise<T>, done: (err: unknown, value?: T) => void): void {
  promise.then(
    (value) => process.nextTick(done, null, value),
    (error: unknown) => process.nextTick(done, error),
  );
}
