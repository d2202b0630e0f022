/**
 * `pnpm bench`: complete logins per second of each variant against the emulator, interleaved over rounds, with no added
 * provider latency and with 50 ms per request; then each package's footprint. Prints a Markdown report and writes it
 * to bench/results/latest.md. Figures are reported, never asserted.
 *
 * The headline is the app's CPU time per login (its own process's `process.cpuUsage()` around the measured callbacks):
 * the figure least moved by the load generator and the emulator sharing the cores. Logins/s and latency follow.
 *
 *   node dist/src/run.js [--rounds 5] [--logins 3000] [--variants ours-kakao,ours-naver] [--latency 0] [--profile ours-kakao] [--smoke]
 *
 * With `--variants` (their floors always run too) or `--latency`, the report is printed but not written.
 *
 * `--profile <variant>[,…]` records those apps' CPU profiles of each measured window (the callbacks only) into
 * bench/results/profiles (open them in Chrome DevTools or speedscope).
 */
import { cpus, totalmem } from 'node:os';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { benchRoot, startChild } from './children.js';
import type { Child } from './children.js';
import { footprint } from './footprint.js';
import type { Footprint } from './footprint.js';
import { closeAgent, measure, prepareLogins } from './measure.js';
import type { Measurement } from './measure.js';
import { VARIANTS } from './variants.js';
import type { EmulatorInfo, Variant } from './variants.js';

/** How a run is shaped. */
export interface BenchOptions {
  rounds: number;
  /** Logins per variant per round, per latency condition (split into `slices`). */
  logins: { 0: number; 50: number };
  /** Measurements per variant per round, interleaved; the round's figure is their trimmed mean. */
  slices: number;
  /** Concurrent connections per latency condition. */
  connections: { 0: number; 50: number };
  /** Unrecorded logins per app before the first round. */
  warmupLogins: number;
  /**
   * Unrecorded rounds, shaped as the recorded ones, before them: after the warm-up logins alone, the first recorded
   * round still came out 5–10 % above the others for most variants (one app after another had just been warmed).
   */
  warmupRounds: number;
  /** Unrecorded logins right before each measured slice (at most as many as the slice has). */
  leadInLogins: number;
  /** Provider latency conditions to run (default both: 0 and 50 ms). */
  latencies?: ReadonlyArray<0 | 50> | undefined;
  /** Variants to run (default: all). */
  variants?: readonly string[] | undefined;
  footprint: boolean;
  /** Profile these variants' apps during each measurement (V8's CPU profiler), profiles written to this folder. */
  profile?: { variants: readonly string[]; dir: string } | undefined;
  log?: (line: string) => void;
}

/** One variant's measurements in one latency condition, a measurement per round. */
export interface VariantResult {
  variant: Variant;
  latencyMs: 0 | 50;
  rounds: RoundMeasurement[];
}

/** One round's measurement, with the ratios to the same provider's floor measured in the same round. */
export type RoundMeasurement = Measurement & { ratioToFloor: number; cpuRatioToFloor: number; callbackCpuRatioToFloor: number };

export interface BenchResult {
  results: VariantResult[];
  footprints: Footprint[];
}

export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/**
 * Node flags of the variants' apps. `--no-memory-reducer`: an app waits through the other variants' slices, and after
 * some seconds idle V8's memory reducer shrinks its heap; the first logins after that cost up to twice as much CPU (on
 * the main thread and V8's background threads), which made the slices swing by a third. A loaded server never idles
 * that long. `BENCH_APP_FLAGS` replaces them (e.g. `BENCH_APP_FLAGS= pnpm bench` for V8's defaults).
 */
const APP_FLAGS = (process.env['BENCH_APP_FLAGS'] ?? '--no-memory-reducer').split(' ').filter(Boolean);

/** The mean without the lowest and the highest value (when there are more than three). */
export const trimmedMean = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const kept = sorted.length > 3 ? sorted.slice(1, -1) : sorted;
  return kept.reduce((sum, x) => sum + x, 0) / kept.length;
};

/** The relative standard deviation (sample standard deviation / mean). */
export const relativeStdDev = (values: number[]) => {
  if (values.length < 2) return 0;
  const mean = values.reduce((sum, x) => sum + x, 0) / values.length;
  const variance = values.reduce((sum, x) => sum + (x - mean) ** 2, 0) / (values.length - 1);
  return Math.sqrt(variance) / mean;
};

/**
 * A round's measurement from its slices: counts summed; CPU and logins/s the trimmed mean of the slices (a slice hit
 * by a burst of outside load drops out); latency percentiles the median; RSS the last.
 */
function combineSlices(list: Measurement[]): Measurement {
  const trimmed = (key: keyof Measurement) => trimmedMean(list.map((m) => m[key]));
  const mid = (key: keyof Measurement) => median(list.map((m) => m[key]));
  return {
    logins: list.reduce((sum, m) => sum + m.logins, 0),
    errors: list.reduce((sum, m) => sum + m.errors, 0),
    loginsPerSecond: trimmed('loginsPerSecond'),
    p50: mid('p50'),
    p99: mid('p99'),
    cpuMsPerLogin: trimmed('cpuMsPerLogin'),
    callbackCpuMsPerLogin: trimmed('callbackCpuMsPerLogin'),
    mainThreadCpuMsPerLogin: trimmed('mainThreadCpuMsPerLogin'),
    rssMB: list.at(-1)!.rssMB,
  };
}

/**
 * One round: `slices` passes over every variant, each pass starting at a different one, so that every variant's round
 * spans the same stretch of time. A variant's figure is the trimmed mean of its slices, which a burst of load from
 * outside (other processes on the cores) moves little unless it lasts.
 */
async function runRound(round: number, latencyMs: 0 | 50, variants: readonly Variant[], apps: Map<string, Child<{ port: number }>>, options: BenchOptions): Promise<Map<string, Measurement>> {
  const slices = new Map<string, Measurement[]>(variants.map((v) => [v.name, []]));
  const perSlice = Math.ceil(options.logins[latencyMs] / options.slices);
  const offset = round + options.warmupRounds;
  for (let slice = 0; slice < options.slices; slice += 1) {
    const order = variants.map((_, i) => variants[(i + offset + slice) % variants.length]!);
    for (const variant of order) {
      const appURL = `http://127.0.0.1:${apps.get(variant.name)!.info.port}`;
      // A lead-in of unrecorded logins first: after waiting through the other variants' slices, an app has had its
      // idle keep-alive sockets to the emulator closed and its caches taken by the other processes.
      const leadIn = Math.min(options.leadInLogins, perSlice);
      if (leadIn > 0) await measure(appURL, await prepareLogins(appURL, variant.provider, leadIn), options.connections[latencyMs]);
      const prepared = await prepareLogins(appURL, variant.provider, perSlice);
      const profileTo =
        options.profile?.variants.includes(variant.name) && round >= 0
          ? join(options.profile.dir, `${variant.name}-${latencyMs}ms-round${round + 1}-slice${slice + 1}.cpuprofile`)
          : undefined;
      slices.get(variant.name)!.push(await measure(appURL, prepared, options.connections[latencyMs], profileTo));
    }
  }
  return new Map([...slices].map(([name, list]) => [name, combineSlices(list)]));
}

/** Runs the benchmark. Each variant's app and the emulator run in their own processes. */
export async function runBenchmark(options: BenchOptions): Promise<BenchResult> {
  const log = options.log ?? (() => undefined);
  const variants = VARIANTS.filter((v) => !options.variants || options.variants.includes(v.name) || v.name === v.floor);
  const results: VariantResult[] = [];
  for (const latencyMs of options.latencies ?? ([0, 50] as const)) {
    const emulator = await startChild<EmulatorInfo>('emulator-server.js', [String(latencyMs)]);
    const apps = new Map<string, Child<{ port: number }>>();
    try {
      for (const variant of variants) apps.set(variant.name, await startChild('app-server.js', [variant.name, JSON.stringify(emulator.info)], APP_FLAGS));
      // Warm-up, not recorded: each app's first logins run cold (JIT, connection pools, JWKS), which only round 1 would pay.
      for (const variant of variants) {
        const appURL = `http://127.0.0.1:${apps.get(variant.name)!.info.port}`;
        await measure(appURL, await prepareLogins(appURL, variant.provider, options.warmupLogins), options.connections[latencyMs]);
      }
      const byVariant = new Map(variants.map((v) => [v.name, { variant: v, latencyMs, rounds: [] as RoundMeasurement[] }]));
      for (let round = -options.warmupRounds; round < options.rounds; round += 1) {
        const measured = await runRound(round, latencyMs, variants, apps, options);
        const label = round < 0 ? 'warm-up round' : `round ${round + 1}`;
        for (const variant of variants) {
          const m = measured.get(variant.name)!;
          log(`  ${latencyMs} ms, ${label}: ${variant.name.padEnd(22)} ${m.cpuMsPerLogin.toFixed(3)} CPU ms/login (callback ${m.callbackCpuMsPerLogin.toFixed(3)}, main thread ${m.mainThreadCpuMsPerLogin.toFixed(3)})  ${m.loginsPerSecond.toFixed(0).padStart(6)} logins/s  p50 ${m.p50} ms  errors ${m.errors}`);
        }
        if (round < 0) continue;
        for (const [name, m] of measured) {
          const floor = measured.get(byVariant.get(name)!.variant.floor)!;
          byVariant.get(name)!.rounds.push({
            ...m,
            ratioToFloor: m.loginsPerSecond / floor.loginsPerSecond,
            cpuRatioToFloor: m.cpuMsPerLogin / floor.cpuMsPerLogin,
            callbackCpuRatioToFloor: m.callbackCpuMsPerLogin / floor.callbackCpuMsPerLogin,
          });
        }
      }
      results.push(...byVariant.values());
    } finally {
      for (const app of apps.values()) await app.stop();
      await emulator.stop();
    }
  }
  closeAgent();
  const footprints = options.footprint
    ? [...new Set(variants.map((v) => v.packageName))].map((name) => footprint(name, benchRoot()))
    : [];
  return { results, footprints };
}

const fixed = (value: number, digits = 0) => value.toFixed(digits);

/** Student's t for a two-sided 95 % interval, by degrees of freedom 1–30 (beyond, the normal 1.96). */
const T95 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

/**
 * The 95 % confidence interval of the mean of per-round figures (Student's t, rounds taken as independent), or
 * `undefined` with fewer than two: how far the true figure may lie from what five rounds show.
 */
export const confidenceInterval95 = (values: number[]): [number, number] | undefined => {
  if (values.length < 2) return undefined;
  const mean = values.reduce((sum, x) => sum + x, 0) / values.length;
  const sd = Math.sqrt(values.reduce((sum, x) => sum + (x - mean) ** 2, 0) / (values.length - 1));
  const half = (T95[values.length - 2] ?? 1.96) * (sd / Math.sqrt(values.length));
  return [mean - half, mean + half];
};

/** The spread of a figure over rounds: (max − min) / median. */
export const spread = (values: number[]) => (values.length === 0 ? 0 : (Math.max(...values) - Math.min(...values)) / median(values));

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;

/** The headline: app CPU ms per login per variant, one table per latency condition. */
function cpuTable(result: BenchResult, latencyMs: 0 | 50): string[] {
  const lines = [
    '| variant | app CPU ms/login | × floor | target | × floor, 95 % CI | spread (max − min) / median | RSD | × floor per round | CPU ms/login per round | callback alone: CPU ms/login | × floor |',
    '|---|---:|---:|---|---|---:|---:|---|---|---:|---:|',
  ];
  for (const r of result.results.filter((x) => x.latencyMs === latencyMs)) {
    const cpu = r.rounds.map((x) => x.cpuMsPerLogin);
    const ratio = median(r.rounds.map((x) => x.cpuRatioToFloor));
    const target = r.variant.cpuTarget === undefined ? '' : `≤ ${fixed(r.variant.cpuTarget, 2)}× ${ratio <= r.variant.cpuTarget ? 'met' : '**not met**'}`;
    const ratios = r.rounds.map((x) => x.cpuRatioToFloor);
    const interval = r.variant.name === r.variant.floor ? undefined : confidenceInterval95(ratios);
    lines.push(
      `| ${r.variant.name} | ${fixed(median(cpu), 3)} | ${fixed(ratio, 3)} | ${target} | ${interval ? `${fixed(interval[0], 3)}–${fixed(interval[1], 3)}` : ''} | ${percent(spread(cpu))} | ${percent(relativeStdDev(cpu))} | ${ratios.map((x) => fixed(x, 3)).join(', ')} | ${cpu.map((x) => fixed(x, 3)).join(', ')} | ${fixed(median(r.rounds.map((x) => x.callbackCpuMsPerLogin)), 3)} | ${fixed(median(r.rounds.map((x) => x.callbackCpuRatioToFloor)), 3)} |`,
    );
  }
  return lines;
}

/** The Markdown report: machine and versions on top, a table per latency condition, then the footprint. */
export function report(result: BenchResult, options: BenchOptions): string {
  const root = benchRoot();
  const version = (name: string) => {
    try {
      return (JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
    } catch {
      return '?';
    }
  };
  const lines = [
    '# Benchmark: complete logins against the local emulator',
    '',
    `- Machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${fixed(totalmem() / 2 ** 30, 1)} GiB; the app, the emulator and autocannon share it.`,
    `- Node ${process.version}; ${options.warmupLogins} unrecorded warm-up logins per app and ${options.warmupRounds} unrecorded warm-up round(s), then ${options.rounds} rounds; per variant and round ${options.logins[0]} logins at 0 ms (${options.connections[0]} connections), ${options.logins[50]} at 50 ms (${options.connections[50]} connections), in ${options.slices} slices interleaved with the other variants' (a round's figure is the trimmed mean of its slices; latency percentiles their median).`,
    `- Packages: passport-oauth2 ${version('passport-oauth2')}, passport-kakao ${version('passport-kakao')}, passport-naver-v2 ${version('passport-naver-v2')}, passport-kakao-ts ${version('passport-kakao-ts')}, passport-naver-ts ${version('passport-naver-ts')}, express ${version('express')}, autocannon ${version('autocannon')}.`,
    '- A login is both its requests to the app: the first (`/auth/<provider>`: state, PKCE, nonce, kept in the session or sealed in a cookie) and the callback (state check, token exchange and profile fetch or id_token verification, verify callback, session). Logins/s and latency are the callbacks\'. Figures are medians over rounds; "× floor" is the median over rounds of the ratio to bare passport-oauth2 for the same provider measured in the same round.',
    '',
    '## App CPU per login',
    '',
    "The app process's CPU time (user + system, `process.cpuUsage()`, all its threads) over both requests of each login, divided by the logins: the figure least moved by the load generator and the emulator sharing the cores. A state store works on both requests (a session's state is written on the first and read on the callback; a sealed cookie is sealed on the first and opened on the callback), so both are counted; the callback alone is given last. Each round's figure is the trimmed mean of its slices (lowest and highest dropped); the table gives the median over rounds, and the median of the per-round ratios to the same provider's floor. Spread = (max − min) / median of the per-round figures; RSD = their sample standard deviation / mean; the 95 % CI is that of the mean of the per-round ratios (Student's t over the rounds): a target is met for sure when the interval's top is under it. The app forgets its sessions after each measurement.",
    '',
  ];
  for (const latencyMs of [0, 50] as const) {
    if (!result.results.some((r) => r.latencyMs === latencyMs)) continue;
    lines.push(`### Provider latency ${latencyMs} ms`, '', ...cpuTable(result, latencyMs), '');
  }
  for (const latencyMs of [0, 50] as const) {
    if (!result.results.some((r) => r.latencyMs === latencyMs)) continue;
    lines.push(`## Throughput and latency, provider latency ${latencyMs} ms`, '', '| variant | logins/s | × floor | p50 ms | p99 ms | errors | app CPU ms/login | app RSS MB |', '|---|---:|---:|---:|---:|---:|---:|---:|');
    for (const r of result.results.filter((x) => x.latencyMs === latencyMs)) {
      const m = (key: keyof Measurement) => median(r.rounds.map((x) => x[key]));
      lines.push(
        `| ${r.variant.name} (${r.variant.description}) | ${fixed(m('loginsPerSecond'))} | ${fixed(median(r.rounds.map((x) => x.ratioToFloor)), 2)} | ${fixed(m('p50'))} | ${fixed(m('p99'))} | ${r.rounds.reduce((sum, x) => sum + x.errors, 0)} | ${fixed(m('cpuMsPerLogin'), 2)} | ${fixed(m('rssMB'))} |`,
      );
    }
    lines.push('');
  }
  if (result.footprints.length > 0) {
    lines.push('## Footprint', '', '| package | version | cold require ms | production dependencies (transitive) | packed KB |', '|---|---|---:|---:|---:|');
    for (const f of result.footprints) {
      lines.push(`| ${f.packageName} | ${f.version} | ${fixed(f.coldRequireMs, 1)} | ${f.dependencies}${f.typeDependencies ? ` (${f.typeDependencies} of them @types)` : ''} | ${fixed(f.packedBytes / 1024, 1)} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

const isMain = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '5' },
      'warmup-rounds': { type: 'string', default: '1' },
      logins: { type: 'string', default: '4000' },
      slices: { type: 'string', default: '8' },
      variants: { type: 'string' },
      latency: { type: 'string' },
      profile: { type: 'string' },
      smoke: { type: 'boolean', default: false },
    },
  });
  const only = values.variants?.split(',').filter(Boolean);
  const latencies = values.latency === undefined ? undefined : values.latency.split(',').map((x) => (Number(x) === 50 ? 50 : 0) as 0 | 50);
  const profile = values.profile ? { variants: values.profile.split(','), dir: join(benchRoot(), 'results', 'profiles') } : undefined;
  if (profile) mkdirSync(profile.dir, { recursive: true });
  const smoke = values.smoke;
  const logins = Number(values.logins);
  const options: BenchOptions = smoke
    ? { rounds: 1, logins: { 0: 10, 50: 10 }, slices: 1, connections: { 0: 4, 50: 4 }, warmupLogins: 2, warmupRounds: 0, leadInLogins: 0, footprint: false, variants: only, latencies, profile, log: console.log }
    // At 50 ms, 32 connections keep the run latency-bound (round trips dominate) rather than CPU-bound on 2 cores.
    : { rounds: Number(values.rounds), logins: { 0: logins, 50: Math.ceil(logins / 8) }, slices: Number(values.slices), connections: { 0: 16, 50: 32 }, warmupLogins: 3000, warmupRounds: Number(values['warmup-rounds']), leadInLogins: 200, footprint: !only && !latencies, variants: only, latencies, profile, log: console.log };
  const result = await runBenchmark(options);
  const markdown = report(result, options);
  console.log(`\n${markdown}`);
  if (!smoke && !only && !latencies) {
    mkdirSync(join(benchRoot(), 'results'), { recursive: true });
    writeFileSync(join(benchRoot(), 'results', 'latest.md'), `${markdown}\n`);
    console.log('Written to bench/results/latest.md');
  }
}
