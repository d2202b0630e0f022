import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  tsconfig: 'tsconfig.build.json',
  format: ['esm', 'cjs'],
  target: 'node20',
  platform: 'node',
  dts: { resolve: [/^@passport-korea\/internal/] },
  // The shared internal code is bundled in, so the published package installs and runs on its own.
  noExternal: [/^@passport-korea\/internal/],
  clean: true,
  sourcemap: false,
  splitting: false,
  treeshake: true,
});
