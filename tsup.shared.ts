import { defineConfig } from 'tsup';

/**
 * The build of each published strategy: ESM and CommonJS with types, and the private `@passport-korea/internal` code
 * bundled in (its types too, through `paths` in tsconfig.build.json), so each package installs and runs on its own.
 */
export default defineConfig({
  entry: ['src/index.ts'],
  tsconfig: 'tsconfig.build.json',
  format: ['esm', 'cjs'],
  target: 'node20',
  platform: 'node',
  dts: { resolve: [/^@passport-korea\/internal/] },
  noExternal: [/^@passport-korea\/internal/],
  clean: true,
  sourcemap: false,
  splitting: false,
  treeshake: true,
});
