import { defineConfig } from 'vitest/config';
import projects from './vitest.workspace.ts';

export default defineConfig({
  test: {
    projects,
    coverage: {
      provider: 'v8',
      include: ['packages/*/src/**/*.ts'],
      // Type declarations and re-export barrels hold no statements to cover.
      // The emulator's command runs in a child process (test/cli.test.ts), where in-process coverage can't see it.
      exclude: ['packages/*/src/types.ts', 'packages/*/src/index.ts', 'packages/emulator/src/cli.ts'],
      reporter: ['text-summary', 'text', 'json-summary'],
    },
  },
});
