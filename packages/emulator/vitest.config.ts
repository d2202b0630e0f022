import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: {
    // Tests run against the internal package's source, so its lines count in coverage and need no build.
    alias: [
      { find: /^@passport-korea\/internal$/, replacement: fileURLToPath(new URL('../internal/src/index.ts', import.meta.url)) },
      { find: /^@passport-korea\/internal\/testing$/, replacement: fileURLToPath(new URL('../internal/testing/index.ts', import.meta.url)) },
    ],
  },
  test: {
    name: 'kakao-naver-emulator',
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
  },
});
