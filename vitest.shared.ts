import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';
import type { UserWorkspaceConfig } from 'vitest/config';

const internal = (path: string) => fileURLToPath(new URL(`./packages/internal/${path}`, import.meta.url));

/** Resolves `@passport-korea/internal` (and its testing helpers) to source, so tests need no build of it. */
export const internalAliases = [
  { find: /^@passport-korea\/internal$/, replacement: internal('src/index.ts') },
  { find: /^@passport-korea\/internal\/testing$/, replacement: internal('testing/index.ts') },
];

/**
 * One workspace package's test project. Tests run against `@passport-korea/internal`'s source, so its lines count in
 * coverage and it needs no build.
 */
export function packageProject(name: string, test: UserWorkspaceConfig['test'] = {}): UserWorkspaceConfig {
  return defineProject({
    resolve: { alias: internalAliases },
    test: { name, include: ['test/**/*.test.ts'], environment: 'node', testTimeout: 20_000, ...test },
  });
}
