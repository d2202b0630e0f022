import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';
import type { UserWorkspaceConfig } from 'vitest/config';

const internal = (path: string) => fileURLToPath(new URL(`./packages/internal/${path}`, import.meta.url));

/**
 * One workspace package's test project. Tests run against `@passport-korea/internal`'s source, so its lines count in
 * coverage and it needs no build.
 */
export function packageProject(name: string, test: UserWorkspaceConfig['test'] = {}): UserWorkspaceConfig {
  return defineProject({
    resolve: {
      alias: [
        { find: /^@passport-korea\/internal$/, replacement: internal('src/index.ts') },
        { find: /^@passport-korea\/internal\/testing$/, replacement: internal('testing/index.ts') },
      ],
    },
    test: { name, include: ['test/**/*.test.ts'], environment: 'node', testTimeout: 20_000, ...test },
  });
}
