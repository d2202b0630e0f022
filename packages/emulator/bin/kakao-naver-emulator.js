#!/usr/bin/env node
// The `kakao-naver-emulator` command. A committed file, so that `pnpm install` can link the bin before the package is
// built; the command itself is dist/cli.js, made by `pnpm build`.
try {
  await import('../dist/cli.js');
} catch (error) {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/cli.js')) {
    process.stderr.write('kakao-naver-emulator: not built yet; run `pnpm --filter kakao-naver-emulator build` first\n');
    process.exit(1);
  }
  throw error;
}
