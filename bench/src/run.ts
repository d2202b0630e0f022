/**
 * `pnpm bench`: complete logins per second of each variant against the emulator, interleaved over rounds, with no added
 * provider latency and with 50 ms per request; then each package's footprint. Prints a Markdown report and writes it
 * to bench/results/latest.md. Figures are reported, never asserted.
 *
 *   node dist/src/run.js [--rounds 3] [--logins 600] [--smoke]
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
  /** Logins per measurement, per latency condition. */
  logins: { 0: number; 50: number };
  /** Concurrent connections per latency condition. */
  connections: { 0: number; 50: number };
  /** Unrecorded logins per app before the first round. */
  warmupLogins: number;
  /** Variants to run (default: all). */
  variants?: readonly string[];
  footprint: boolean;
  log?: (line: string) => void;
}

/** One variant's measurements in one latency condition, a measurement per round. */
export interface VariantResult {
  variant: Variant;
  latencyMs: 0 | 50;
  rounds: Array<Measurement & { ratioToFloor: number }>;
}

export interface BenchResult {
  results: VariantResult[];
  footprints: Footprint[];
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** Runs the benchmark. Each variant's app and the emulator run in their own processes. */
export async function runBenchmark(options: BenchOptions): Promise<BenchResult> {
  const log = options.log ?? (() => undefined);
  const variants = VARIANTS.filter((v) => !options.variants || options.variants.includes(v.name) || v.name === v.floor);
  const results: VariantResult[] = [];
  for (const latencyMs of [0, 50] as const) {
    const emulator = await startChild<EmulatorInfo>('emulator-server.js', [String(latencyMs)]);
    const apps = new Map<string, Child<{ port: number }>>();
    try {
      for (const variant of variants) apps.set(variant.name, await startChild('app-server.js', [variant.name, JSON.stringify(emulator.info)]));
      // Warm-up, not recorded: each app's first logins run cold (JIT, connection pools, JWKS), which only round 1 would pay.
      for (const variant of variants) {
        const appURL = `http://127.0.0.1:${apps.get(variant.name)!.info.port}`;
        await measure(appURL, await prepareLogins(appURL, variant.provider, options.warmupLogins), options.connections[latencyMs]);
      }
      const byVariant = new Map(variants.map((v) => [v.name, { variant: v, latencyMs, rounds: [] as Array<Measurement & { ratioToFloor: number }> }]));
      for (let round = 0; round < options.rounds; round += 1) {
        // Interleaved: every variant once per round, starting at a different one each round.
        const order = variants.map((_, i) => variants[(i + round) % variants.length]!);
        const measured = new Map<string, Measurement>();
        for (const variant of order) {
          const appURL = `http://127.0.0.1:${apps.get(variant.name)!.info.port}`;
          const prepared = await prepareLogins(appURL, variant.provider, options.logins[latencyMs]);
          const m = await measure(appURL, prepared, options.connections[latencyMs]);
          measured.set(variant.name, m);
          log(`  ${latencyMs} ms, round ${round + 1}: ${variant.name.padEnd(20)} ${m.loginsPerSecond.toFixed(0).padStart(6)} logins/s  p50 ${m.p50} ms  errors ${m.errors}`);
        }
        for (const [name, m] of measured) {
          const floor = measured.get(byVariant.get(name)!.variant.floor)!;
          byVariant.get(name)!.rounds.push({ ...m, ratioToFloor: m.loginsPerSecond / floor.loginsPerSecond });
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
    `- Node ${process.version}; ${options.warmupLogins} unrecorded warm-up logins per app, then ${options.rounds} interleaved rounds; ${options.logins[0]} logins per measurement at 0 ms (${options.connections[0]} connections), ${options.logins[50]} at 50 ms (${options.connections[50]} connections).`,
    `- Packages: passport-oauth2 ${version('passport-oauth2')}, passport-kakao ${version('passport-kakao')}, passport-naver-v2 ${version('passport-naver-v2')}, passport-kakao-ts ${version('passport-kakao-ts')}, passport-naver-ts ${version('passport-naver-ts')}, express ${version('express')}, autocannon ${version('autocannon')}.`,
    '- A login is the callback request: token exchange and profile fetch (or id_token verification), verify callback, session. Figures are medians over rounds; "× floor" is the ratio to bare passport-oauth2 for the same provider measured in the same round.',
    '',
  ];
  for (const latencyMs of [0, 50] as const) {
    lines.push(`## Provider latency ${latencyMs} ms`, '', '| variant | logins/s | × floor | p50 ms | p99 ms | errors | app CPU ms/login | app RSS MB |', '|---|---:|---:|---:|---:|---:|---:|---:|');
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
      rounds: { type: 'string', default: '3' },
      logins: { type: 'string', default: '2000' },
      smoke: { type: 'boolean', default: false },
    },
  });
  const smoke = values.smoke;
  const logins = Number(values.logins);
  const options: BenchOptions = smoke
    ? { rounds: 1, logins: { 0: 10, 50: 10 }, connections: { 0: 4, 50: 4 }, warmupLogins: 2, footprint: false, log: console.log }
    // At 50 ms, 16 connections keep the run latency-bound (round trips dominate) rather than CPU-bound on 2 cores.
    : { rounds: Number(values.rounds), logins: { 0: logins, 50: Math.ceil(logins / 3) }, connections: { 0: 16, 50: 16 }, warmupLogins: 500, footprint: true, log: console.log };
  const result = await runBenchmark(options);
  const markdown = report(result, options);
  console.log(`\n${markdown}`);
  if (!smoke) {
    mkdirSync(join(benchRoot(), 'results'), { recursive: true });
    writeFileSync(join(benchRoot(), 'results', 'latest.md'), `${markdown}\n`);
    console.log('Written to bench/results/latest.md');
  }
}
