import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const internal = (path: string) => fileURLToPath(new URL(`./packages/internal/${path}`, import.meta.url));

/**
 * The tests Stryker runs for its mutation pass (`pnpm mutation`): the unit tests of the two strategies' profile, error
 * and token-response code, without the packing, browser and emulator tests, so a pass takes minutes.
 */
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@passport-korea\/internal$/, replacement: internal('src/index.ts') },
      { find: /^@passport-korea\/internal\/testing$/, replacement: internal('testing/index.ts') },
    ],
  },
  test: {
    include: [
      'packages/passport-kakao-ts/test/{profile,errors,strategy,client,oidc,verify}.test.ts',
      'packages/passport-naver-ts/test/{profile,errors,strategy,client,verify}.test.ts',
    ],
    environment: 'node',
    testTimeout: 20_000,
  },
});
