/**
 * `pnpm --filter bench run load`: the strategies under load, over a long run and under faults, through the emulator.
 *
 * - Burst: N logins at once, both providers, each logged in as one of many test users chosen on the consent page;
 *   every finished session must hold exactly that user (0 mix-ups) and no login may fail. p50/p99 per login, logins/s.
 * - Soak: many logins with bounded concurrency; the app's heap after a forced GC, its open handles by type and the
 *   emulator's JWKS fetch count, at the start (after warm-up) and at the end.
 * - Faults: a share of the provider's answers (token and profile, both providers) slow past the timeout, errors, or
 *   HTML; every login ends, as a success or a typed failure, within the strategy's `loginTimeout` plus a margin.
 *
 * The app runs in its own process (`load-app.ts`, `--expose-gc`); the emulator and the simulated browsers run here.
 * Prints a Markdown report and writes it to bench/results/load.md. Figures are reported; only correctness is checked
 * (by the caller: `test/load.test.ts` asserts on a small run).
 *
 *   node dist/src/load.js [--concurrent 1000] [--soak 20000] [--soak-concurrency 50] [--faults 4000] [--small]
 */
import http from 'node:http';
import { cpus, totalmem } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ALL_NAVER_PROFILE_ITEMS, DEFAULT_KAKAO_CLIENT, DEFAULT_KAKAO_USERS, DEFAULT_NAVER_CLIENT, DEFAULT_NAVER_USERS, naverUserId, startEmulator } from 'kakao-naver-emulator';
import type { Emulator, EndpointName, Fault, KakaoTestUser, NaverTestUser } from 'kakao-naver-emulator';
import { benchRoot, startChild } from './children.js';
import type { Child } from './children.js';
import { LOAD_STRATEGIES } from './load-app.js';
import type { AppStats, FailureBody, LoadStrategyName } from './load-app.js';
import type { EmulatorInfo } from './variants.js';

/** How a load run is shaped. */
export interface LoadOptions {
  /** Logins started at once in the burst. */
  concurrent: number;
  /** Logins in the soak. */
  soak: number;
  /** Logins in flight at a time during the soak. */
  soakConcurrency: number;
  /** Logins under faults. */
  faults: number;
  faultConcurrency: number;
  /** Share of the provider's token and profile answers that are faulted (a third each: slow, error, HTML). */
  faultRate: number;
  /** Unrecorded logins before the burst (and before the fault run). */
  warmup: number;
  /** Test users added to the emulator's built-in ones, per provider. */
  extraUsers: number;
  /** The fault run's strategy `timeout` and `loginTimeout` (ms); slow answers take `loginTimeout` + 500 ms. */
  faultTimeout: number;
  faultLoginTimeout: number;
  /** How long to wait for idle keep-alive sockets to close before counting handles (0: count at once). */
  quiesceMs: number;
  /** Seed of the user choice, the strategy choice and the emulator's fault draws. */
  seed: number;
  log?: (line: string) => void;
}

/** What happened to one login. */
interface LoginOutcome {
  strategy: LoadStrategyName;
  ok: boolean;
  /** The failure's class and code, for a failed login. */
  failure?: string;
  /** The failure was a typed error of the packages (or none). */
  explained: boolean;
  mixUp: boolean;
  /** From the first request to the callback's answer. */
  loginMs: number;
  /** The callback alone (code exchange, profile, session). */
  callbackMs: number;
}

/** A batch of logins, summarised. */
export interface PhaseResult {
  logins: number;
  succeeded: number;
  mixUps: number;
  /** Failures that are not a typed error of the packages: always a defect. */
  unexplained: number;
  /** Failures by `Class:code`. */
  failures: Record<string, number>;
  wallMs: number;
  loginsPerSecond: number;
  p50: number;
  p99: number;
  callbackP50: number;
  callbackP99: number;
  callbackMaxMs: number;
  /** Logins per strategy. */
  byStrategy: Record<string, number>;
}

/** The app's state at one point. */
export interface Snapshot {
  heapMB: number;
  rssMB: number;
  resources: Record<string, number>;
  jwksFetches: number;
}

export interface LoadResult {
  options: LoadOptions;
  users: { kakao: number; naver: number };
  burst: PhaseResult;
  soak: PhaseResult & { start: Snapshot; end: Snapshot; cpuMsPerLogin: number };
  faults: PhaseResult & {
    start: Snapshot;
    end: Snapshot;
    /** Token and profile answers the emulator gave during the run (the faulted share of them is `faultRate`). */
    providerAnswers: number;
    /** The longest callback as the app measured it (request in to response end), ms. */
    appMaxCallbackMs: number;
    timeout: number;
    loginTimeout: number;
  };
}

/** A small seeded generator (mulberry32) for the choice of users and strategies. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const percentile = (sorted: number[], p: number) => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!);

/** One simulated browser's HTTP: a keep-alive agent shared by all, a cookie jar per login. */
class Browser {
  private readonly jar = new Map<string, string>();
  constructor(private readonly agent: http.Agent) {}

  request(url: string, options: { method?: 'GET' | 'POST'; form?: Record<string, string | string[]>; cookies?: boolean } = {}): Promise<{ status: number; location: string | undefined; body: string }> {
    const target = new URL(url);
    const body = options.form ? formBody(options.form) : undefined;
    const headers: Record<string, string | number> = {};
    if (options.cookies !== false && this.jar.size > 0) headers['cookie'] = [...this.jar].map(([name, value]) => `${name}=${value}`).join('; ');
    if (body !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      headers['content-length'] = Buffer.byteLength(body);
    }
    return new Promise((resolve, reject) => {
      const req = http.request({ hostname: target.hostname, port: target.port, path: target.pathname + target.search, method: options.method ?? 'GET', headers, agent: this.agent }, (res) => {
        if (options.cookies !== false) this.keep(res.headers['set-cookie']);
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      // A guard against a hang anywhere: no answer in a minute is a failure of its own.
      req.setTimeout(60_000, () => req.destroy(new Error('no answer within 60 s')));
      req.on('error', reject);
      req.end(body);
    });
  }

  private keep(setCookies: string[] | undefined): void {
    for (const line of setCookies ?? []) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age\s*=\s*0\s*$/i.test(a) || (/^\s*expires\s*=/i.test(a) && Date.parse(a.split('=')[1]!) <= Date.now()));
      if (expired || value === '') this.jar.delete(name);
      else this.jar.set(name, value);
    }
  }
}

function formBody(form: Record<string, string | string[]>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(form)) for (const v of Array.isArray(value) ? value : [value]) params.append(key, v);
  return params.toString();
}

/** The test users of a run: the built-in ones and `extra` more per provider. */
function testUsers(extra: number): { kakao: KakaoTestUser[]; naver: NaverTestUser[] } {
  const kakao: KakaoTestUser[] = [...DEFAULT_KAKAO_USERS];
  const naver: NaverTestUser[] = [...DEFAULT_NAVER_USERS];
  for (let i = 0; i < extra; i += 1) {
    kakao.push({ key: `kakao-load-${i}`, label: `load user ${i}`, id: String(5_000_000_000 + i), nickname: `load${i}`, consents: ['profile_nickname'] });
    naver.push({ key: `naver-load-${i}`, label: `load user ${i}`, personId: `person-load-${i}`, nickname: `load${i}` });
  }
  return { kakao, naver };
}

/** Everything one login needs: the app, the emulator, the users, and what each user's session must hold. */
interface Setup {
  appURL: string;
  emulator: Emulator;
  users: { kakao: KakaoTestUser[]; naver: NaverTestUser[] };
  random: () => number;
}

/**
 * One login as a browser: the app's redirect, the consent page, Agree as `user`, the callback, then `/me` to read the
 * session, and `/logout`. The session must hold exactly `user`.
 */
async function login(setup: Setup, agent: http.Agent, strategy: LoadStrategyName): Promise<LoginOutcome> {
  const provider = LOAD_STRATEGIES.find((s) => s.name === strategy)!.provider;
  const users = setup.users[provider];
  const user = users[Math.floor(setup.random() * users.length)]!;
  const expected = {
    strategy,
    id: provider === 'kakao' ? (user as KakaoTestUser).id : naverUserId(DEFAULT_NAVER_CLIENT.clientId, user as NaverTestUser),
  };
  const browser = new Browser(agent);
  const started = performance.now();
  let callbackStarted = started;
  const outcome = (fields: Partial<LoginOutcome>): LoginOutcome => {
    const now = performance.now();
    return { strategy, ok: false, explained: false, mixUp: false, loginMs: now - started, callbackMs: now - callbackStarted, ...fields };
  };
  try {
    const start = await browser.request(`${setup.appURL}/auth/${strategy}`);
    if (start.status !== 302 || !start.location) return outcome({ failure: `start answered ${start.status}` });
    const page = await browser.request(start.location, { cookies: false });
    const transaction = /name="transaction" value="([^"]+)"/.exec(page.body)?.[1];
    if (page.status !== 200 || !transaction) return outcome({ failure: `consent page answered ${page.status}` });
    const consent = provider === 'kakao' ? (user as KakaoTestUser).consents : [...ALL_NAVER_PROFILE_ITEMS];
    const decision = await browser.request(`${setup.emulator.url}/__emulator/decision`, { method: 'POST', form: { transaction, user: user.key, consent, decision: 'agree' }, cookies: false });
    if (decision.status !== 302 || !decision.location) return outcome({ failure: `decision answered ${decision.status}` });
    const back = new URL(decision.location);
    callbackStarted = performance.now();
    const callback = await browser.request(`${setup.appURL}${back.pathname}${back.search}`);
    const ended = performance.now();
    const timing = { loginMs: ended - started, callbackMs: ended - callbackStarted };
    if (callback.status !== 200) {
      let failure: FailureBody | undefined;
      try {
        failure = JSON.parse(callback.body) as FailureBody;
      } catch {
        failure = undefined;
      }
      await browser.request(`${setup.appURL}/logout`, { method: 'POST' });
      return { strategy, ok: false, mixUp: false, ...timing, failure: failure?.failure ?? `callback answered ${callback.status}`, explained: failure?.typed === true };
    }
    const me = await browser.request(`${setup.appURL}/me`);
    const held = JSON.parse(me.body) as unknown;
    const mixUp = JSON.stringify(held) !== JSON.stringify(expected);
    await browser.request(`${setup.appURL}/logout`, { method: 'POST' });
    return { strategy, ok: !mixUp, mixUp, explained: true, ...timing, ...(mixUp ? { failure: 'mix-up' } : {}) };
  } catch (error) {
    return outcome({ failure: `browser: ${(error as Error).message}` });
  }
}

/** Runs `count` logins with at most `concurrency` in flight, the strategies in turn. */
async function runLogins(setup: Setup, count: number, concurrency: number): Promise<PhaseResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: Math.max(concurrency, 1) * 2 });
  const outcomes: LoginOutcome[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < count) {
      const index = next;
      next += 1;
      const strategy = LOAD_STRATEGIES[index % LOAD_STRATEGIES.length]!.name;
      outcomes.push(await login(setup, agent, strategy));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  const wallMs = performance.now() - started;
  agent.destroy();
  const loginTimes = outcomes.map((o) => o.loginMs).sort((a, b) => a - b);
  const callbackTimes = outcomes.map((o) => o.callbackMs).sort((a, b) => a - b);
  const failures: Record<string, number> = {};
  const byStrategy: Record<string, number> = {};
  for (const o of outcomes) {
    byStrategy[o.strategy] = (byStrategy[o.strategy] ?? 0) + 1;
    if (o.failure !== undefined) failures[o.failure] = (failures[o.failure] ?? 0) + 1;
  }
  return {
    logins: outcomes.length,
    succeeded: outcomes.filter((o) => o.ok).length,
    mixUps: outcomes.filter((o) => o.mixUp).length,
    unexplained: outcomes.filter((o) => !o.ok && !o.explained).length,
    failures,
    wallMs,
    loginsPerSecond: outcomes.length / (wallMs / 1000),
    p50: percentile(loginTimes, 50),
    p99: percentile(loginTimes, 99),
    callbackP50: percentile(callbackTimes, 50),
    callbackP99: percentile(callbackTimes, 99),
    callbackMaxMs: callbackTimes.at(-1) ?? 0,
    byStrategy,
  };
}

async function appStats(appURL: string, query: string): Promise<AppStats> {
  const response = await fetch(`${appURL}/__stats?${query}`);
  return (await response.json()) as AppStats;
}

/**
 * The app at rest: the simulated browsers' sockets are closed, then (up to `quiesceMs`) the app's idle keep-alive
 * sockets to the emulator are given time to close; then a forced GC, the heap and the handles by type.
 */
async function snapshot(setup: Setup, quiesceMs: number): Promise<Snapshot> {
  const until = Date.now() + quiesceMs;
  let stats = await appStats(setup.appURL, 'gc');
  while (Date.now() < until && (stats.resources['TCPSocketWrap'] ?? 0) > 0) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    stats = await appStats(setup.appURL, 'gc');
  }
  // The stats request's own socket is not one the app keeps open.
  const resources = { ...stats.resources };
  return {
    heapMB: stats.heapUsedBytes / 2 ** 20,
    rssMB: stats.rssBytes / 2 ** 20,
    resources,
    jwksFetches: setup.emulator.requestCounts()['kakao.jwks'] ?? 0,
  };
}

/** Three faults at `endpoint`, each on a third of `rate` of its answers: slow past the deadline, a 500, an HTML page. */
function injectFaults(emulator: Emulator, endpoint: EndpointName, rate: number, slowMs: number): void {
  const share = rate / 3;
  const errorBody = endpoint.endsWith('token') ? '{"error":"server_error","error_description":"emulated failure"}' : endpoint.startsWith('kakao') ? '{"msg":"emulated failure","code":-1}' : '{"resultcode":"500","message":"emulated failure"}';
  const faults: Fault[] = [
    { latencyMs: slowMs },
    { status: 500, body: errorBody, contentType: 'application/json;charset=UTF-8' },
    { status: 200, body: '<!DOCTYPE html><html><body><h1>Service temporarily unavailable</h1></body></html>' },
  ];
  // Each fault sees only the answers the ones before it let through: its probability is its share of what is left.
  let left = 1;
  for (const fault of faults) {
    emulator.injectFault(endpoint, { ...fault, probability: Math.min(1, share / left) });
    left -= share;
  }
}

const FAULTED_ENDPOINTS: readonly EndpointName[] = ['kakao.token', 'kakao.me', 'naver.token', 'naver.me'];

/** Runs the burst, the soak and the fault run. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const log = options.log ?? (() => undefined);
  const users = testUsers(options.extraUsers);
  const callbackPattern = (provider: string) => new RegExp(`^http://127\\.0\\.0\\.1:\\d+/auth/${provider}(-[\\w-]+)?/callback$`);
  const emulator = await startEmulator({
    kakao: { clients: [{ ...DEFAULT_KAKAO_CLIENT, redirectUris: [callbackPattern('kakao')] }], users: users.kakao },
    naver: { clients: [{ ...DEFAULT_NAVER_CLIENT, redirectUris: [callbackPattern('naver')] }], users: users.naver },
    faultSeed: options.seed,
  });
  const info: EmulatorInfo = {
    url: emulator.url,
    kakao: { clientID: emulator.kakao.clientID, clientSecret: emulator.kakao.clientSecret ?? '' },
    naver: { clientID: emulator.naver.clientID, clientSecret: emulator.naver.clientSecret },
  };
  const random = seeded(options.seed);
  const apps: Array<Child<{ port: number }>> = [];
  try {
    const app = await startChild<{ port: number }>('load-app.js', [JSON.stringify(info), '10000', '20000'], ['--expose-gc']);
    apps.push(app);
    const setup: Setup = { appURL: `http://127.0.0.1:${app.info.port}`, emulator, users, random };

    log(`warm-up: ${options.warmup} logins`);
    await runLogins(setup, options.warmup, 50);
    log(`burst: ${options.concurrent} logins at once`);
    const burst = await runLogins(setup, options.concurrent, options.concurrent);
    log(`  ${burst.succeeded}/${burst.logins} ok, ${burst.mixUps} mix-ups, p50 ${burst.p50.toFixed(0)} ms, p99 ${burst.p99.toFixed(0)} ms`);

    const soakStart = await snapshot(setup, options.quiesceMs);
    const cpuBefore = (await appStats(setup.appURL, '')).cpuMicros;
    log(`soak: ${options.soak} logins, ${options.soakConcurrency} at a time; heap ${soakStart.heapMB.toFixed(2)} MB`);
    const soakRun = await runLogins(setup, options.soak, options.soakConcurrency);
    const cpuAfter = (await appStats(setup.appURL, '')).cpuMicros;
    const soakEnd = await snapshot(setup, options.quiesceMs);
    log(`  ${soakRun.succeeded}/${soakRun.logins} ok, ${soakRun.mixUps} mix-ups; heap ${soakEnd.heapMB.toFixed(2)} MB`);
    await app.stop();
    apps.pop();

    // The fault run: its own app, with short deadlines.
    const slowMs = options.faultLoginTimeout + 500;
    const faultApp = await startChild<{ port: number }>('load-app.js', [JSON.stringify(info), String(options.faultTimeout), String(options.faultLoginTimeout)], ['--expose-gc']);
    apps.push(faultApp);
    const faultSetup: Setup = { ...setup, appURL: `http://127.0.0.1:${faultApp.info.port}` };
    await runLogins(faultSetup, Math.min(options.warmup, 200), 20);
    const faultStart = await snapshot(faultSetup, options.quiesceMs);
    await appStats(faultSetup.appURL, 'reset');
    emulator.resetRequestCounts();
    for (const endpoint of FAULTED_ENDPOINTS) injectFaults(emulator, endpoint, options.faultRate, slowMs);
    log(`faults: ${options.faults} logins, ${options.faultConcurrency} at a time, ${(options.faultRate * 100).toFixed(0)}% of token and profile answers faulted`);
    const faultRun = await runLogins(faultSetup, options.faults, options.faultConcurrency);
    const counts = emulator.requestCounts();
    emulator.clearFaults();
    const appSide = await appStats(faultSetup.appURL, 'reset');
    // The slow answers the app gave up on finish at the emulator; then the app is at rest.
    await new Promise((resolve) => setTimeout(resolve, slowMs));
    const faultEnd = await snapshot(faultSetup, options.quiesceMs);
    const providerAnswers = FAULTED_ENDPOINTS.reduce((sum, endpoint) => sum + (counts[endpoint] ?? 0), 0);
    const failed = faultRun.logins - faultRun.succeeded;
    log(`  ${faultRun.succeeded}/${faultRun.logins} ok, ${failed} failed (${faultRun.unexplained} unexplained), longest callback ${appSide.maxCallbackMs.toFixed(0)} ms`);

    return {
      options,
      users: { kakao: users.kakao.length, naver: users.naver.length },
      burst,
      soak: { ...soakRun, start: soakStart, end: soakEnd, cpuMsPerLogin: (cpuAfter - cpuBefore) / 1000 / Math.max(soakRun.logins, 1) },
      faults: {
        ...faultRun,
        start: faultStart,
        end: faultEnd,
        providerAnswers,
        appMaxCallbackMs: appSide.maxCallbackMs,
        timeout: options.faultTimeout,
        loginTimeout: options.faultLoginTimeout,
      },
    };
  } finally {
    for (const app of apps) await app.stop();
    await emulator.close();
  }
}

const fixed = (value: number, digits = 0) => value.toFixed(digits);
const failuresText = (failures: Record<string, number>) =>
  Object.keys(failures).length === 0 ? 'none' : Object.entries(failures).sort((a, b) => b[1] - a[1]).map(([name, count]) => `${name} × ${count}`).join(', ');
const resourcesText = (resources: Record<string, number>) => Object.entries(resources).sort().map(([type, count]) => `${type} ${count}`).join(', ');

/** The Markdown report. */
export function loadReport(result: LoadResult): string {
  const { burst, soak, faults, options } = result;
  const types = [...new Set([...Object.keys(soak.start.resources), ...Object.keys(soak.end.resources)])].sort();
  const phaseRow = (name: string, p: PhaseResult) =>
    `| ${name} | ${p.logins} | ${p.succeeded} | ${p.mixUps} | ${p.unexplained} | ${fixed(p.loginsPerSecond)} | ${fixed(p.p50)} | ${fixed(p.p99)} | ${fixed(p.callbackP50)} | ${fixed(p.callbackP99)} | ${failuresText(p.failures)} |`;
  return [
    '# Load, soak and faults: complete logins through the emulator',
    '',
    `- Machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${fixed(totalmem() / 2 ** 30, 1)} GiB; the app (its own process), the emulator and the simulated browsers share it.`,
    `- Node ${process.version}. Strategies: ${LOAD_STRATEGIES.map((s) => s.name).join(', ')} (Kakao with state + PKCE, OIDC with nonce and the JWKS; Naver with state; two of them keep state in a CookieStateStore cookie), chosen in turn.`,
    `- Users: ${result.users.kakao} Kakao and ${result.users.naver} Naver test users; each login picks one at random and agrees on the consent page as them; the session must then hold exactly that user's id (a mix-up otherwise).`,
    `- A login: the app's redirect, the consent page, Agree, the callback (code exchange, profile or id_token, session), then \`/me\` and \`/logout\` to check and end the session. "login ms" runs from the first request to the callback's answer; "callback ms" is the callback alone. ${options.warmup} unrecorded warm-up logins first. Seed ${options.seed}.`,
    '',
    '| run | logins | ok | mix-ups | unexplained failures | logins/s | login p50 ms | login p99 ms | callback p50 ms | callback p99 ms | failures by class:code |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
    phaseRow(`burst: ${options.concurrent} at once`, burst),
    phaseRow(`soak: ${options.soakConcurrency} at a time`, soak),
    phaseRow(`faults: ${options.faultConcurrency} at a time`, faults),
    '',
    '## Soak',
    '',
    `${soak.logins} logins (${Object.entries(soak.byStrategy).map(([s, n]) => `${s} ${n}`).join(', ')}); app CPU ${fixed(soak.cpuMsPerLogin, 2)} ms per login. The app at rest before and after (browsers' sockets closed, up to ${fixed(options.quiesceMs / 1000, 1)} s for idle keep-alive sockets to close, then a forced GC):`,
    '',
    '| | start (after warm-up and burst) | end | difference |',
    '|---|---:|---:|---:|',
    `| heap used after GC, MB | ${fixed(soak.start.heapMB, 2)} | ${fixed(soak.end.heapMB, 2)} | ${fixed(soak.end.heapMB - soak.start.heapMB, 2)} |`,
    `| RSS, MB | ${fixed(soak.start.rssMB, 1)} | ${fixed(soak.end.rssMB, 1)} | ${fixed(soak.end.rssMB - soak.start.rssMB, 1)} |`,
    `| JWKS fetches (emulator count since start) | ${soak.start.jwksFetches} | ${soak.end.jwksFetches} | ${soak.end.jwksFetches - soak.start.jwksFetches} |`,
    ...types.map((type) => `| active ${type} | ${soak.start.resources[type] ?? 0} | ${soak.end.resources[type] ?? 0} | ${(soak.end.resources[type] ?? 0) - (soak.start.resources[type] ?? 0)} |`),
    '',
    '## Faults',
    '',
    `${fixed(options.faultRate * 100)}% of the token and profile answers of both providers faulted (${FAULTED_ENDPOINTS.join(', ')}), a third each: slow (${faults.loginTimeout + 500} ms, past the deadline), HTTP 500 with the provider's error shape, HTML with 200. Strategy \`timeout\` ${faults.timeout} ms, \`loginTimeout\` ${faults.loginTimeout} ms. ${faults.providerAnswers} provider answers, ${faults.logins - faults.succeeded} logins failed, each with a typed error (${faults.unexplained} unexplained).`,
    '',
    `- Longest callback: ${fixed(faults.appMaxCallbackMs)} ms in the app (request in to response end), ${fixed(faults.callbackMaxMs)} ms at the browser; \`loginTimeout\` is ${faults.loginTimeout} ms.`,
    `- Heap used after GC: ${fixed(faults.start.heapMB, 2)} MB before, ${fixed(faults.end.heapMB, 2)} MB after (${fixed(faults.end.heapMB - faults.start.heapMB, 2)} MB).`,
    `- Active handles before: ${resourcesText(faults.start.resources)}; after: ${resourcesText(faults.end.resources)}.`,
    '',
  ].join('\n');
}

/** The full run's shape, and the small one `pnpm test` runs. */
export const FULL_LOAD: Omit<LoadOptions, 'log'> = {
  concurrent: 1000, soak: 20_000, soakConcurrency: 50, faults: 4000, faultConcurrency: 100, faultRate: 0.05,
  warmup: 500, extraUsers: 12, faultTimeout: 1000, faultLoginTimeout: 1500, quiesceMs: 7000, seed: 17,
};
export const SMALL_LOAD: Omit<LoadOptions, 'log'> = {
  concurrent: 100, soak: 500, soakConcurrency: 25, faults: 200, faultConcurrency: 25, faultRate: 0.05,
  warmup: 40, extraUsers: 4, faultTimeout: 400, faultLoginTimeout: 600, quiesceMs: 0, seed: 17,
};

const isMain = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  const { values } = parseArgs({
    options: {
      concurrent: { type: 'string' },
      soak: { type: 'string' },
      'soak-concurrency': { type: 'string' },
      faults: { type: 'string' },
      seed: { type: 'string' },
      small: { type: 'boolean', default: false },
    },
  });
  const base = values.small ? SMALL_LOAD : FULL_LOAD;
  const number = (text: string | undefined, fallback: number) => (text === undefined ? fallback : Number(text));
  const options: LoadOptions = {
    ...base,
    concurrent: number(values.concurrent, base.concurrent),
    soak: number(values.soak, base.soak),
    soakConcurrency: number(values['soak-concurrency'], base.soakConcurrency),
    faults: number(values.faults, base.faults),
    seed: number(values.seed, base.seed),
    log: console.log,
  };
  const result = await runLoad(options);
  const markdown = loadReport(result);
  console.log(`\n${markdown}`);
  if (!values.small) {
    mkdirSync(join(benchRoot(), 'results'), { recursive: true });
    writeFileSync(join(benchRoot(), 'results', 'load.md'), `${markdown}\n`);
    console.log('Written to bench/results/load.md');
  }
  const broken = [result.burst, result.soak, result.faults].reduce((sum, p) => sum + p.mixUps + p.unexplained, 0) + result.burst.logins - result.burst.succeeded + result.soak.logins - result.soak.succeeded;
  if (broken > 0) process.exitCode = 1;
}
