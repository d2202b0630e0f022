import { defineConfig } from 'vitest/config';
import projects from './vitest.workspace.ts';

export default defineConfig({
  test: {
    projects,
    coverage: {
      provider: 'v8',
      include: ['packages/*/src/**/*.ts'],
      // Type declarations and re-export barrels hold no statements to cover.
      exclude: ['packages/*/src/types.ts', 'packages/*/src/index.ts'],
      reporter: ['text-summary', 'text', 'json-summary'],
    },
  },
});
