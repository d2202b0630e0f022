/**
 * Starts the example: loads `.env` if present, starts the emulator in this process for any provider without keys,
 * then the Nest app (port 3001 by default, `PORT`).
 */
import { existsSync } from 'node:fs';
import { startEmulator } from 'kakao-naver-emulator';
import type { Emulator } from 'kakao-naver-emulator';
import { createApp } from './bootstrap.js';
import { ConfigError, configFromEnv, hasRealKeys } from './config.js';

async function startEmulatorOnPreferredPort(preferred: number): Promise<Emulator> {
  try {
    return await startEmulator({ port: preferred });
  } catch (error) {
    if (!(error instanceof Error && 'code' in error && error.code === 'EADDRINUSE')) throw error;
    return startEmulator({ port: 0 });
  }
}

async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const env = process.env;
  const port = Number(env['PORT'] || 3001);
  const needsEmulator = env['NODE_ENV'] !== 'production' && (!hasRealKeys(env, 'kakao') || !hasRealKeys(env, 'naver'));
  const emulator = needsEmulator ? await startEmulatorOnPreferredPort(Number(env['EMULATOR_PORT'] || 4000)) : undefined;
  const config = configFromEnv(env, emulator);
  const app = await createApp(config);
  try {
    await app.listen(port);
  } catch (error) {
    console.error(`Could not listen on port ${port}: ${error instanceof Error ? error.message : 'unknown error'}. Set PORT to another port.`);
    process.exit(1);
  }
  console.log(`NestJS example listening on http://localhost:${port}`);
  console.log(`  Kakao: ${config.kakao.mode === 'emulator' ? `emulator at ${emulator?.url}` : 'real service'}${config.kakao.oidc ? ' (OpenID Connect)' : ''}`);
  console.log(`  Naver: ${config.naver.mode === 'emulator' ? `emulator at ${emulator?.url}` : 'real service'}`);
  console.log('Press Ctrl+C to stop.');
  const stop = () => {
    void app
      .close()
      .then(() => emulator?.close())
      .finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  // A ConfigError's message names the variable, never its value; anything else is reported by name and code only.
  const code = error instanceof Error && 'code' in error && typeof error.code === 'string' ? ` (${error.code})` : '';
  console.error(error instanceof ConfigError ? `Configuration: ${error.message}` : `Could not start: ${error instanceof Error ? error.name : 'unknown error'}${code}`);
  process.exit(1);
});
