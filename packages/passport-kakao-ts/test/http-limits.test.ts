/**
 * Hostile HTTP answers against the shared HTTP client (`sendProviderRequest` in @passport-korea/internal, bundled into
 * both strategies), served by real servers on 127.0.0.1 (no nock): an answer of 1 GB is cut at the 1 MiB cap while it
 * streams, and answers that trickle, stall after the headers, never send headers or send endless headers end at the
 * request's total deadline, which covers headers and body together: not an idle timer that each byte would reset.
 * Each test also checks that the server saw its connection closed (no socket left behind).
 */
import { ProviderRequestError, sendProviderRequest } from '@passport-korea/internal';
import { expectOutcome } from '@passport-korea/internal/testing';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Strategy } from '../src/index.js';
import type { KakaoProfile, KakaoVerifyCallback } from '../src/index.js';
import { ACCESS_TOKEN, AUTH_CODE, CALLBACK_URL, CLIENT_ID, CLIENT_SECRET, finishLogin, startLogin } from './helpers.js';

beforeAll(() => {
  // The shared test helpers load nock, whose interceptor would sit between the client and these servers: off here.
  nock.restore();
});
afterAll(() => {
  nock.activate();
});

/** How late past its deadline a request may end on this shared 2-core machine. */
const MARGIN_MS = 400;
const ONE_GIB = 1024 * 1024 * 1024;
const CAP = 1024 * 1024;

/** A local server whose `handle` plays the provider; it records each connection's close. */
interface HostileServer {
  url: string;
  /** Resolves when every connection the server accepted has closed, with the time of the last close (ms, performance.now()). */
  allClosed(): Promise<number>;
  readonly connections: number;
  close(): Promise<void>;
}

const servers: HostileServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function hostileServer(handle: (req: http.IncomingMessage, res: http.ServerResponse, socket: Socket) => void): Promise<HostileServer> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  let lastClose = 0;
  const waiters: Array<() => void> = [];
  const server = http.createServer((req, res) => handle(req, res, req.socket));
  server.on('connection', (socket: Socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('close', () => {
      sockets.delete(socket);
      lastClose = performance.now();
      if (sockets.size === 0) for (const wake of waiters.splice(0)) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const hostile: HostileServer = {
    url: `http://127.0.0.1:${port}`,
    allClosed: () =>
      new Promise<number>((resolve, reject) => {
        if (accepted > 0 && sockets.size === 0) return resolve(lastClose);
        const timer = setTimeout(() => reject(new Error(`${sockets.size} connection(s) still open ${MARGIN_MS} ms later`)), MARGIN_MS);
        waiters.push(() => {
          clearTimeout(timer);
          resolve(lastClose);
        });
      }),
    get connections() {
      return sockets.size;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  servers.push(hostile);
  return hostile;
}

/** Sends one GET through the client and returns how it ended and when (ms since the call). */
async function request(url: string, timeout: number) {
  const started = performance.now();
  let error: unknown;
  try {
    await sendProviderRequest({ provider: 'kakao', method: 'GET', url: `${url}/v2/user/me`, timeout });
  } catch (caught) {
    error = caught;
  }
  return { started, elapsed: performance.now() - started, error: error as ProviderRequestError };
}

/** Writes `byte` every `intervalMs` until the socket closes. */
function trickle(socket: Socket, write: () => boolean, intervalMs: number): void {
  const timer = setInterval(() => {
    if (socket.destroyed || !write()) clearInterval(timer);
  }, intervalMs);
  socket.on('close', () => clearInterval(timer));
}

describe('requests Node refuses to send', () => {
  it('reject with a ProviderRequestError, never a bare TypeError: a header with a line break, an http agent for https', async () => {
    const header = await sendProviderRequest({ provider: 'kakao', method: 'GET', url: 'http://127.0.0.1:9/v2/user/me', headers: { Authorization: 'Bearer a\r\nb' }, timeout: 1000 })
      .catch((error: unknown) => error);
    expect(header).toBeInstanceOf(ProviderRequestError);
    expect([(header as ProviderRequestError).code, (header as ProviderRequestError).message]).toEqual([
      'NETWORK_ERROR', 'Could not send the request to Kakao at GET http://127.0.0.1:9/v2/user/me: ERR_INVALID_CHAR',
    ]);
    const agent = await sendProviderRequest({ provider: 'kakao', method: 'GET', url: 'https://127.0.0.1:9/v2/user/me', timeout: 1000, agent: new http.Agent() })
      .catch((error: unknown) => error);
    expect(agent).toBeInstanceOf(ProviderRequestError);
    expect((agent as ProviderRequestError).message).toBe('Could not send the request to Kakao at GET https://127.0.0.1:9/v2/user/me: ERR_INVALID_PROTOCOL');
  });
});

describe('an answer of 1 GB', () => {
  it('is cut at the 1 MiB cap while it streams: INVALID_RESPONSE, long before 1 GB is sent, the connection closed', async () => {
    let sent = 0;
    const server = await hostileServer((_req, res, socket) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(ONE_GIB) });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      // Lazily, with backpressure: the next chunk only once the socket takes it, so 1 GB is never in memory.
      const pump = () => {
        while (!socket.destroyed && sent < ONE_GIB) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
      };
      res.write('{"id":1,"pad":"');
      pump();
    });
    const heapBefore = process.memoryUsage().heapUsed;
    const { error, elapsed, started } = await request(server.url, 10_000);
    expect(error).toBeInstanceOf(ProviderRequestError);
    expect({ code: error.code, httpStatus: error.httpStatus, message: error.message }).toEqual({
      code: 'INVALID_RESPONSE',
      httpStatus: 200,
      message: `Kakao sent an answer larger than 1 MiB from GET ${server.url}/v2/user/me`,
    });
    const closedAt = await server.allClosed();
    // The client stopped reading at the cap: what the server got out is the cap plus what the sockets' buffers held.
    expect(sent).toBeLessThan(16 * CAP);
    expect(elapsed).toBeLessThan(2_000);
    expect(closedAt - started).toBeLessThan(elapsed + MARGIN_MS);
    // Nothing near 1 GB (or even the bytes sent) stayed on the heap.
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(32 * CAP);
  });

  it('is cut the same way without a Content-Length (chunked)', async () => {
    let sent = 0;
    const server = await hostileServer((_req, res, socket) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => {
        while (!socket.destroyed && sent < ONE_GIB) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
      };
      pump();
    });
    const { error } = await request(server.url, 10_000);
    expect([error.code, error.httpStatus]).toEqual(['INVALID_RESPONSE', 200]);
    await server.allClosed();
    expect(sent).toBeLessThan(16 * CAP);
  });
});

describe('answers that never complete end at the total deadline', () => {
  const TIMEOUT = 1_000;

  /** The request ended with TIMEOUT at its deadline (not before, not much after), and the connection is closed. */
  async function expectDeadline(server: HostileServer) {
    const { error, elapsed, started } = await request(server.url, TIMEOUT);
    expect(error).toBeInstanceOf(ProviderRequestError);
    expect({ code: error.code, message: error.message }).toEqual({
      code: 'TIMEOUT',
      message: `Kakao did not answer GET ${server.url}/v2/user/me within ${TIMEOUT} ms`,
    });
    expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT - 5);
    expect(elapsed).toBeLessThan(TIMEOUT + MARGIN_MS);
    const closedAt = await server.allClosed();
    expect(closedAt - started).toBeLessThan(TIMEOUT + MARGIN_MS);
    expect(server.connections).toBe(0);
  }

  it('a body that trickles one byte every 200 ms: ends at the deadline, not deadline × bytes (no idle timer)', async () => {
    let bytes = 0;
    const server = await hostileServer((_req, res, socket) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{');
      trickle(socket, () => {
        bytes += 1;
        return res.write(' ');
      }, 200);
    });
    await expectDeadline(server);
    // Bytes kept coming (an idle timer would have been reset by each), yet the deadline held.
    expect(bytes).toBeGreaterThanOrEqual(3);
  });

  it('the status line and headers trickling one byte every 100 ms: ends at the deadline', async () => {
    const head = Buffer.from('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}');
    let at = 0;
    const server = await hostileServer((_req, _res, socket) => {
      trickle(socket, () => (at < head.length ? socket.write(head.subarray(at, ++at)) : true), 100);
    });
    await expectDeadline(server);
    expect(at).toBeGreaterThanOrEqual(5);
    expect(at).toBeLessThan(head.length);
  });

  it('headers, then a body that never ends: ends at the deadline', async () => {
    const server = await hostileServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '100' });
      res.write('{"id":');
    });
    await expectDeadline(server);
  });

  it('a connection that never sends headers: ends at the deadline', async () => {
    const server = await hostileServer(() => {
      // Read the request, answer nothing.
    });
    await expectDeadline(server);
  });
});

describe('endless headers', () => {
  it('are refused by the HTTP parser at its header limit: NETWORK_ERROR at once, the connection closed', async () => {
    let sent = 0;
    const server = await hostileServer((_req, _res, socket) => {
      socket.write('HTTP/1.1 200 OK\r\n');
      const line = Buffer.from(`X-Pad: ${'a'.repeat(1000)}\r\n`);
      const pump = () => {
        while (!socket.destroyed && sent < ONE_GIB) {
          sent += line.length;
          if (!socket.write(line)) return void socket.once('drain', pump);
        }
      };
      pump();
    });
    const { error, elapsed } = await request(server.url, 10_000);
    expect(error).toBeInstanceOf(ProviderRequestError);
    expect(error.code).toBe('NETWORK_ERROR');
    expect(error.message).toBe(`Could not reach Kakao at GET ${server.url}/v2/user/me: HPE_HEADER_OVERFLOW`);
    expect(elapsed).toBeLessThan(2_000);
    await server.allClosed();
    expect(sent).toBeLessThan(16 * CAP);
  });
});

describe('a whole login against a trickling profile answer', () => {
  it('ends within loginTimeout (plus a margin) with a Passport error, though each request may take `timeout`', async () => {
    const LOGIN_TIMEOUT = 1_200;
    let profileBytes = 0;
    let profileClosed: Promise<number> | undefined;
    const server = await hostileServer((req, res, socket) => {
      if (req.url?.startsWith('/oauth/token')) {
        // A slow but complete token answer: 400 ms of the login's budget gone.
        setTimeout(() => {
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ access_token: ACCESS_TOKEN, token_type: 'bearer', expires_in: 21599 }));
        }, 400);
        return;
      }
      // /v2/user/me: headers, then one byte every 100 ms, forever.
      profileClosed = new Promise((resolve) => socket.once('close', () => resolve(performance.now())));
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"id":1');
      trickle(socket, () => {
        profileBytes += 1;
        return res.write(' ');
      }, 100);
    });
    const strategy = new Strategy(
      { clientID: CLIENT_ID, clientSecret: CLIENT_SECRET, callbackURL: CALLBACK_URL, baseURL: server.url, timeout: 5_000, loginTimeout: LOGIN_TIMEOUT },
      (_a: string, _r: string, profile: KakaoProfile, done: KakaoVerifyCallback) => done(null, { id: profile.id }),
    );
    const session: Record<string, unknown> = {};
    const { state } = await startLogin(strategy, session);
    const started = performance.now();
    const outcome = expectOutcome(await finishLogin(strategy, session, { code: AUTH_CODE, state: state ?? '' }), 'error');
    const elapsed = performance.now() - started;
    expect(outcome.error).toBeInstanceOf(ProviderRequestError);
    const error = outcome.error as ProviderRequestError;
    expect([error.code, error.endpoint]).toEqual(['TIMEOUT', `GET ${server.url}/v2/user/me`]);
    // The profile request got what was left of the budget (about 800 ms), not its own 5 s.
    expect(error.message).toMatch(new RegExp(`^Kakao did not answer GET ${server.url.replace(/[.]/g, '\\.')}/v2/user/me within \\d+ ms$`));
    expect(elapsed).toBeGreaterThanOrEqual(LOGIN_TIMEOUT - 20);
    expect(elapsed).toBeLessThan(LOGIN_TIMEOUT + MARGIN_MS);
    expect(profileBytes).toBeGreaterThanOrEqual(3);
    // The profile request's connection is closed (the token request's may stay in the agent's keep-alive pool).
    const closedAt = await Promise.race([profileClosed ?? Promise.resolve(Number.NaN), new Promise<number>((resolve) => setTimeout(() => resolve(Number.NaN), MARGIN_MS))]);
    expect(closedAt - started).toBeLessThan(LOGIN_TIMEOUT + MARGIN_MS);
  });
});
