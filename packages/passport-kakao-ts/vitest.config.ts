import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: {
    // Tests run against the internal package's source, so its lines count in coverage and need no build.
    alias: { '@passport-korea/internal': fileURLToPath(new URL('../internal/src/index.ts', import.meta.url)) },
  },
  test: {
    name: 'passport-kakao-ts',
    include: ['test/**/*.test.ts'],
    environment: 'node',
  },
});
