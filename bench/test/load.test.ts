/**
 * The load run (`src/load.ts`) small enough for `pnpm test`: 100 logins at once, a 500-login soak and 200 logins with 5%
 * of provider answers faulted. Only correctness is checked: no mix-up, no failure in the burst and the soak, only typed
 * failures under faults, each within `loginTimeout` plus a margin. Timing and memory have generous bounds only, which
 * a leak per login would still cross.
 */
import { describe, expect, it } from 'vitest';
import { SMALL_LOAD, loadReport, runLoad } from '../src/load.js';
import type { LoadResult } from '../src/load.js';

/** Typed failures the faults may cause: timeouts, HTML or empty answers, and the providers' own error bodies. */
const TYPED_FAILURE = /^(ProviderRequestError:(TIMEOUT|INVALID_RESPONSE)|KakaoTokenError:server_error|NaverTokenError:server_error|KakaoAPIError:-1|NaverAPIError:500)$/;

describe('load, soak and faults (small)', () => {
  let result: LoadResult;

  it('runs 100 logins at once and a 500-login soak with no failure and no mix-up, 200 under faults', async () => {
    result = await runLoad({ ...SMALL_LOAD });
    for (const phase of [result.burst, result.soak]) {
      expect({ logins: phase.logins, succeeded: phase.succeeded, mixUps: phase.mixUps, unexplained: phase.unexplained, failures: phase.failures })
        .toEqual({ logins: phase.logins, succeeded: phase.logins, mixUps: 0, unexplained: 0, failures: {} });
    }
    expect(result.burst.logins).toBe(100);
    expect(result.soak.logins).toBe(500);
    expect(result.soak.byStrategy).toEqual({ kakao: 125, 'kakao-oidc-cookie': 125, naver: 125, 'naver-cookie': 125 });
  }, 60_000);

  it('keeps the JWKS fetch count, the handles and the heap flat over the soak', () => {
    const { start, end } = result.soak;
    expect(end.jwksFetches).toBe(start.jwksFetches);
    expect(start.jwksFetches).toBeGreaterThan(0);
    for (const type of new Set([...Object.keys(start.resources), ...Object.keys(end.resources)])) {
      // A handle left per login would add hundreds; a few idle sockets may come and go.
      expect({ type, growth: (end.resources[type] ?? 0) - (start.resources[type] ?? 0) <= 5 }).toEqual({ type, growth: true });
    }
    expect(end.heapMB - start.heapMB).toBeLessThan(20);
  });

  it('ends every faulted login with a typed failure within loginTimeout plus a margin', () => {
    const { faults } = result;
    expect({ logins: faults.logins, mixUps: faults.mixUps, unexplained: faults.unexplained }).toEqual({ logins: 200, mixUps: 0, unexplained: 0 });
    const failed = Object.values(faults.failures).reduce((sum, n) => sum + n, 0);
    expect(faults.succeeded + failed).toBe(200);
    // 5% of about 400 token and profile answers: about 20 faulted; none at all would mean the faults were not applied.
    expect(failed).toBeGreaterThan(0);
    for (const failure of Object.keys(faults.failures)) expect(failure).toMatch(TYPED_FAILURE);
    expect(faults.appMaxCallbackMs).toBeLessThan(faults.loginTimeout + 1000);
    expect(faults.callbackMaxMs).toBeLessThan(faults.loginTimeout + 2000);
    expect(faults.end.heapMB - faults.start.heapMB).toBeLessThan(20);
  });

  it('reports every figure in Markdown', () => {
    const markdown = loadReport(result);
    expect(markdown).toContain('| burst: 100 at once | 100 | 100 | 0 | 0 |');
    expect(markdown).toContain('| heap used after GC, MB |');
    expect(markdown).toContain('| JWKS fetches (emulator count since start) |');
    expect(markdown).toContain('## Faults');
  });
});
