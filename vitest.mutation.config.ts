import { defineConfig } from 'vitest/config';
import { internalAliases } from './vitest.shared.ts';

/**
 * The tests Stryker runs for its mutation pass (`pnpm mutation`): the unit tests of the two strategies' profile, error
 * and token-response code, without the packing, browser and emulator tests, so a pass takes minutes.
 */
export default defineConfig({
  resolve: { alias: internalAliases },
  test: {
    include: [
      'packages/passport-kakao-ts/test/{profile,errors,strategy,client,oidc,verify}.test.ts',
      'packages/passport-naver-ts/test/{profile,errors,strategy,client,verify}.test.ts',
    ],
    environment: 'node',
    testTimeout: 20_000,
  },
});
