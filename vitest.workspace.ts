/** The test projects, one per workspace package. `vitest.config.ts` imports this list (Vitest 4 reads only the config). */
export default [
  'packages/passport-kakao-ts',
  'packages/passport-naver-ts',
  'packages/emulator',
  'examples/express',
  'examples/nestjs',
  'bench',
  // The project's protocol notes: every tag the code cites resolves to a heading there, and nothing points outside.
  { test: { name: 'docs', include: ['docs/test/**/*.test.ts'], environment: 'node' } },
];
