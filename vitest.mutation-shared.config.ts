import { defineConfig } from 'vitest/config';
import { internalAliases } from './vitest.shared.ts';

/**
 * The tests Stryker runs for the mutation pass over the shared login code (`pnpm mutation:shared`): the base strategy
 * and the cookie store, through both strategies' strategy, verify, OIDC, error and cookie-store tests.
 */
export default defineConfig({
  resolve: { alias: internalAliases },
  test: {
    include: [
      'packages/passport-kakao-ts/test/{strategy,errors,verify,oidc,cookie-store}.test.ts',
      'packages/passport-naver-ts/test/{strategy,verify,cookie-store}.test.ts',
    ],
    environment: 'node',
    testTimeout: 20_000,
  },
});
