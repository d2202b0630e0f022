import type { IncomingMessage, ServerResponse } from 'node:http';

/** What a handler gets for one request. */
export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  method: string;
  /** The form body (POST, `application/x-www-form-urlencoded`); empty otherwise. */
  body: URLSearchParams;
  /** The emulator's origin, e.g. `http://127.0.0.1:4000`. */
  origin: string;
}

/** Reads a parameter from the form body, then the query (Naver's docs send everything in the query). */
export function param(ctx: RequestContext, name: string): string | undefined {
  return ctx.body.get(name) ?? ctx.url.searchParams.get(name) ?? undefined;
}

/** Reads a form body up to 64 KiB; larger or non-form bodies read as empty. */
export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const type = req.headers['content-type'] ?? '';
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 64 * 1024) return new URLSearchParams();
    chunks.push(chunk);
  }
  if (!type.startsWith('application/x-www-form-urlencoded')) return new URLSearchParams();
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/** Sends a JSON body (an object, or text that is already JSON) with the given content type. */
export function sendJSON(
  res: ServerResponse,
  status: number,
  body: unknown,
  contentType = 'application/json;charset=UTF-8',
): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' });
  res.end(text);
}

/** Sends an HTML page. */
export function sendHTML(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(html), 'Cache-Control': 'no-store' });
  res.end(html);
}

/** Sends a 302 to `location`. */
export function redirect(res: ServerResponse, location: string): void {
  res.writeHead(302, { Location: location, 'Content-Length': 0, 'Cache-Control': 'no-store' });
  res.end();
}

/** Sends an empty body with `status`. */
export function sendEmpty(res: ServerResponse, status: number): void {
  res.writeHead(status, { 'Content-Length': 0 });
  res.end();
}

/**
 * The access token of an API request: an `Authorization: Bearer …` header, else an `access_token` query parameter;
 * `null` when there is neither.
 * ⚠ The providers document the header only. node-oauth's `get`, which passport-kakao and passport-naver-v2 use in
 * production, sends `?access_token=`, so both providers evidently accept it.
 */
export function bearerToken(req: IncomingMessage, url?: URL): string | null {
  const header = req.headers['authorization'];
  if (typeof header !== 'string') return url?.searchParams.get('access_token') ?? null;
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  return match?.[1] ?? '';
}

/**
 * The client id and secret of an `Authorization: Basic` header (RFC 6749 2.3.1: each form-urlencoded, then base64), or
 * undefined when there is none or it does not parse.
 */
export function basicCredentials(req: IncomingMessage): { clientId: string; clientSecret: string } | undefined {
  const header = req.headers['authorization'];
  const match = typeof header === 'string' ? /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header.trim()) : null;
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const unescape = (text: string) => decodeURIComponent(text.replace(/\+/g, ' '));
  try {
    return { clientId: unescape(decoded.slice(0, colon)), clientSecret: unescape(decoded.slice(colon + 1)) };
  } catch {
    return undefined;
  }
}

/**
 * `redirect_uri` with `params` appended to its query, percent-encoded as the providers write them (a space is `%20`,
 * docs/providers/kakao.md A1: `error_description=User%20denied%20access`), the URI's own query kept as it is.
 */
export function withQuery(uri: string, params: Record<string, string | undefined>): string {
  const url = new URL(uri);
  const added = Object.entries(params)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`);
  if (added.length > 0) url.search = [url.search.slice(1), ...added].filter(Boolean).join('&');
  return url.toString();
}

/** Escapes text for HTML. */
export function escapeHTML(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
