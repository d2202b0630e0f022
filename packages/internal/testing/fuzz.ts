/**
 * Property-test helpers (fast-check) for the parsers of provider answers: how many runs, the hang guard, and
 * arbitraries for hostile JSON, text and bytes. Each package's `test/property.test.ts` uses them.
 */
import fc from 'fast-check';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

function positiveInteger(value: string | undefined, fallback: number): number {
  const parsed = Number(value);
  return value !== undefined && Number.isSafeInteger(parsed) && parsed > 0 ? parsed : fallback;
}

/** Runs per property: `FC_RUNS`, default 2,000 (`pnpm fuzz` sets 100,000). */
export const FUZZ_RUNS = positiveInteger(process.env['FC_RUNS'], 2_000);

/** One run taking longer than this (ms) counts as a hang: `FC_RUN_TIMEOUT_MS`, default 2,000. */
export const FUZZ_RUN_TIMEOUT_MS = positiveInteger(process.env['FC_RUN_TIMEOUT_MS'], 2_000);

/**
 * Runs for a costly property (one over HTTP, or a whole login): `share` of the default runs in `pnpm test` (at least
 * `minimum`), and every one of them when `FC_RUNS` is set (`pnpm fuzz`: 100,000 per parser).
 */
export function fuzzRunsFor(share: number, minimum: number): number {
  return process.env['FC_RUNS'] ? FUZZ_RUNS : Math.max(minimum, Math.ceil(FUZZ_RUNS * share));
}

/** Vitest's timeout for one property test of `runs` runs, allowing `msPerRun` each (20 s at least). */
export function fuzzTestTimeout(msPerRun: number, runs: number = FUZZ_RUNS): number {
  return 20_000 + Math.ceil(runs * msPerRun);
}

/**
 * fast-check's parameters: `FUZZ_RUNS` runs, each async run cut at `FUZZ_RUN_TIMEOUT_MS` (a run that times out fails the
 * property), and `FC_SEED` to replay a failure. `runs` overrides the count (e.g. a fraction for slow properties).
 */
export function fuzzParameters<T>(runs: number = FUZZ_RUNS): fc.Parameters<T> {
  const seed = process.env['FC_SEED'];
  return {
    numRuns: runs,
    timeout: FUZZ_RUN_TIMEOUT_MS,
    ...(seed !== undefined && seed !== '' ? { seed: Number(seed) } : {}),
  };
}

/** What a call did: returned a value or threw. */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * Calls a synchronous parser and returns what it did. A call longer than `FUZZ_RUN_TIMEOUT_MS` throws (a sync call
 * cannot be interrupted, so this catches super-linear blow-ups that end, not endless loops; Vitest's timeout is the
 * backstop for those).
 */
export function settleSync<T>(call: () => T): Settled<T> {
  const started = performance.now();
  let settled: Settled<T>;
  try {
    settled = { ok: true, value: call() };
  } catch (error) {
    settled = { ok: false, error };
  }
  const elapsed = performance.now() - started;
  if (elapsed > FUZZ_RUN_TIMEOUT_MS) throw new Error(`one run took ${Math.round(elapsed)} ms (limit ${FUZZ_RUN_TIMEOUT_MS} ms)`);
  return settled;
}

/** Awaits an async call and returns what it did (fast-check's `timeout` is the hang guard here). */
export async function settleAsync<T>(call: () => Promise<T>): Promise<Settled<T>> {
  try {
    return { ok: true, value: await call() };
  } catch (error) {
    return { ok: false, error };
  }
}

/** An error class of ours. */
export type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * Rethrows `error` (so that fast-check reports it with its stack) unless it is an instance of one of `classes` with
 * a `code` (a string or a number): a typed error, not an untyped `TypeError` or `RangeError` from our code.
 */
export function assertTypedError(error: unknown, classes: readonly ErrorClass[]): void {
  const typed = classes.some((cls) => error instanceof cls);
  const code = (error as { code?: unknown } | null)?.code;
  if (typed && (typeof code === 'string' || typeof code === 'number')) return;
  if (error instanceof Error) {
    error.message = `not a typed error (${classes.map((cls) => cls.name).join(', ')} with a code): ${error.message}`;
    throw error;
  }
  throw new Error(`threw a non-Error: ${String(error)}`);
}

/** Object keys an attacker would try: prototype names, and every field our parsers read. */
const NASTY_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'toJSON', 'hasOwnProperty', 'length', 'then'];

/** A key: one of `known` (the parser's fields), one of the prototype names, or any string. */
export function hostileKey(known: readonly string[] = []): fc.Arbitrary<string> {
  return fc.oneof(fc.constantFrom(...known, ...NASTY_KEYS), fc.string({ maxLength: 12 }));
}

/** JSON primitives, edge numbers included (2^53 + 1, 1e308, -0, huge exponents). */
export const jsonPrimitive: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ maxLength: 24 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -0, 1, -1, 2 ** 53, 2 ** 53 + 2, -(2 ** 53) - 2, 1e21, 1e308, 5e-324, '', '0', '00', ' ', '1e3', 'NaN', 'Infinity'),
  fc.boolean(),
  fc.constant(null),
);

/** Any JSON value whose object keys come from {@link hostileKey}`(known)`. */
export function hostileJSON(known: readonly string[] = []): fc.Arbitrary<unknown> {
  const key = hostileKey(known);
  return fc.letrec<{ value: unknown; array: unknown[]; object: Record<string, unknown> }>((tie) => ({
    value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, jsonPrimitive, tie('array'), tie('object')),
    array: fc.array(tie('value'), { maxLength: 3 }),
    object: fc.dictionary(key, tie('value'), { maxKeys: 4 }),
  })).value;
}

/**
 * A JSON object with some of `fields` (each from its arbitrary, else any JSON value) plus hostile extras: the shape
 * a parser expects, with every field liable to be of the wrong type. The fields named in `required` are always there.
 */
export function hostileRecord(fields: Readonly<Record<string, fc.Arbitrary<unknown>>>, required: readonly string[] = []): fc.Arbitrary<Record<string, unknown>> {
  const known = Object.keys(fields);
  const anyValue = hostileJSON(known);
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  // Mostly the expected type: the parser's later steps get their share of the runs.
  for (const name of known) model[name] = fc.oneof({ arbitrary: fields[name] as fc.Arbitrary<unknown>, weight: 3 }, { arbitrary: anyValue, weight: 1 });
  return fc
    .tuple(fc.record(model, { requiredKeys: [...required] }), fc.dictionary(hostileKey(known), anyValue, { maxKeys: 2 }))
    .map(([shaped, extras]) => {
      const merged: Record<string, unknown> = {};
      // defineProperty: a `__proto__` key stays an own property, as JSON.parse makes it.
      for (const [key, value] of [...Object.entries(extras), ...Object.entries(shaped)]) {
        Object.defineProperty(merged, key, { value, enumerable: true, configurable: true, writable: true });
      }
      return merged;
    });
}

/** Raw bytes of any kind. */
export const hostileBytes: fc.Arbitrary<Uint8Array> = fc.uint8Array({ maxLength: 256 });

/**
 * A body's text: `shaped` serialized (often), cut short, with a number spliced in beyond 2^53 or as an exponent,
 * any JSON value, any string, or bytes read as UTF-8.
 */
export function hostileText(shaped: fc.Arbitrary<unknown>): fc.Arbitrary<string> {
  const serialized = shaped.map((value) => JSON.stringify(value) ?? 'null');
  return fc.oneof(
    { arbitrary: serialized, weight: 6 },
    { arbitrary: fc.tuple(serialized, fc.nat()).map(([text, cut]) => text.slice(0, cut % (text.length + 1))), weight: 1 },
    {
      arbitrary: fc
        .tuple(serialized, fc.constantFrom('12345678901234567890', '-9007199254740993', '1e400', '1.5e3', '-0', '0x10', '1_000'))
        .map(([text, number]) => text.replace(/(:\s*)-?\d+(\.\d+)?([eE][+-]?\d+)?/, `$1${number}`)),
      weight: 1,
    },
    { arbitrary: hostileJSON().map((value) => JSON.stringify(value) ?? ''), weight: 1 },
    { arbitrary: fc.string({ maxLength: 64 }), weight: 1 },
    { arbitrary: hostileBytes.map((bytes) => Buffer.from(bytes).toString('utf8')), weight: 1 },
    { arbitrary: fc.constantFrom('', ' ', 'null', '[]', '{}', '"x"', '<html><body>502 Bad Gateway</body></html>', '{"a":', '\u0000', '\ufeff{}'), weight: 1 },
  );
}

/** An HTTP status a provider (or a proxy in front of it) might answer with. */
export const hostileStatus: fc.Arbitrary<number> = fc.oneof(
  { arbitrary: fc.constant(200), weight: 3 },
  fc.constantFrom(201, 204, 205, 301, 302, 400, 401, 403, 404, 429, 500, 502, 503),
  fc.integer({ min: 200, max: 599 }),
);

/** A local HTTP server on 127.0.0.1 that answers each request with the status and body last given for its path. */
export interface AnswerServer {
  /** `http://127.0.0.1:{port}`. */
  url: string;
  /** The answer to the next requests for `path` (without query), or for any path without an answer of its own. */
  answer(status: number, body: string | Uint8Array, path?: string): void;
  /** How many requests it has had. */
  readonly requests: number;
  close(): Promise<void>;
}

/**
 * Starts an {@link AnswerServer}: the provider's side of a property test over real HTTP (faster than a nock
 * interceptor per run, and the client's HTTP parser sees the bytes).
 */
export async function answerServer(): Promise<AnswerServer> {
  const answers = new Map<string, { status: number; body: string | Uint8Array }>([['*', { status: 200, body: '' }]]);
  let requests = 0;
  const server = http.createServer((req, res) => {
    requests += 1;
    const path = (req.url ?? '').split('?')[0] ?? '';
    const { status, body } = answers.get(path) ?? (answers.get('*') as { status: number; body: string | Uint8Array });
    req.resume();
    req.on('end', () => {
      res.writeHead(status, { 'Content-Type': 'application/json;charset=UTF-8' });
      res.end(body);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    answer(status, body, path = '*') {
      answers.set(path, { status, body });
    },
    get requests() {
      return requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Counts the kinds of outcome a property met (`'profile'`, `'KakaoAPIError'`…), so that a test can require each to have
 * come up: a property whose inputs never reach the parser's success path (or its errors) tests less than it says.
 */
export class OutcomeCounter {
  readonly counts = new Map<string, number>();

  /** Records one outcome of `kind`. */
  note(kind: string): void {
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + 1);
  }

  /** The kinds met so far, sorted, each with its count: `{ error: 12, profile: 3 }`. */
  summary(): Record<string, number> {
    return Object.fromEntries([...this.counts].sort(([a], [b]) => a.localeCompare(b)));
  }
}
