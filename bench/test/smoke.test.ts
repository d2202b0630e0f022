/**
 * The benchmark's smoke mode, inside `pnpm test` so the benchmark can't rot: every variant must complete real logins
 * against the emulator in both latency conditions, with no errors. Timing is never checked.
 */
import { describe, expect, it } from 'vitest';
import { report, runBenchmark } from '../src/run.js';
import type { BenchOptions } from '../src/run.js';
import { VARIANTS } from '../src/variants.js';

describe('benchmark smoke run', () => {
  it('completes real logins for every variant, with and without provider latency', async () => {
    const options: BenchOptions = { rounds: 1, logins: { 0: 8, 50: 8 }, slices: 1, connections: { 0: 4, 50: 4 }, warmupLogins: 2, warmupRounds: 1, leadInLogins: 0, footprint: false };
    const result = await runBenchmark(options);
    expect(result.results.map((r) => `${r.latencyMs} ${r.variant.name}`).sort()).toEqual(
      [0, 50].flatMap((latency) => VARIANTS.map((v) => `${latency} ${v.name}`)).sort(),
    );
    for (const r of result.results) {
      expect({ variant: r.variant.name, latency: r.latencyMs, logins: r.rounds[0]!.logins, errors: r.rounds[0]!.errors })
        .toEqual({ variant: r.variant.name, latency: r.latencyMs, logins: 8, errors: 0 });
    }
    for (const r of result.results) {
      // Every round has its CPU figure and its ratio to the floor measured in that round.
      expect(r.rounds).toHaveLength(1);
      expect(r.rounds[0]!.callbackCpuMsPerLogin).toBeGreaterThan(0);
      // The login's figure adds the first request's CPU to the callback's.
      expect(r.rounds[0]!.cpuMsPerLogin).toBeGreaterThan(r.rounds[0]!.callbackCpuMsPerLogin);
      expect(r.rounds[0]!.cpuRatioToFloor).toBeGreaterThan(0);
      if (r.variant.name === r.variant.floor) expect([r.rounds[0]!.cpuRatioToFloor, r.rounds[0]!.callbackCpuRatioToFloor]).toEqual([1, 1]);
    }
    const markdown = report(result, options);
    expect(markdown).toContain('## App CPU per login');
    expect(markdown).toContain('| variant | app CPU ms/login | × floor | target | × floor, 95 % CI | spread (max − min) / median | RSD | × floor per round | CPU ms/login per round | callback alone: CPU ms/login | × floor |');
    expect(markdown).toContain('## Throughput and latency, provider latency 50 ms');
    expect(markdown).toContain('| ours-kakao-idtoken (');
  });
});
