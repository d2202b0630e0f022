/**
 * Starts the example: loads `.env` if present, starts the emulator for any provider without keys, then the app.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { startEmulator } from 'kakao-naver-emulator';
import type { Emulator } from 'kakao-naver-emulator';
import { createApp } from './app.js';
import { configFromEnv, hasRealKeys } from './config.js';

if (existsSync('.env')) process.loadEnvFile('.env');
const env = process.env;
const port = Number(env['PORT'] ?? 3000);

async function startEmulatorOnPreferredPort(preferred: number): Promise<Emulator> {
  try {
    return await startEmulator({ port: preferred });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    return startEmulator({ port: 0 });
  }
}

const needsEmulator = !hasRealKeys(env, 'kakao') || !hasRealKeys(env, 'naver');
const emulator = needsEmulator ? await startEmulatorOnPreferredPort(Number(env['EMULATOR_PORT'] ?? 4000)) : undefined;
const config = configFromEnv(env, emulator, env['SESSION_SECRET'] || randomBytes(32).toString('hex'));
const app = createApp(config);

const server = app.listen(port, () => {
  console.log(`Example app listening on http://localhost:${port}`);
  console.log(`  Kakao: ${config.kakao.mode === 'emulator' ? `emulator at ${emulator?.url}` : 'real service'}`);
  console.log(`  Naver: ${config.naver.mode === 'emulator' ? `emulator at ${emulator?.url}` : 'real service'}`);
  console.log('Press Ctrl+C to stop.');
});
server.on('error', (error) => {
  console.error(`Could not listen on port ${port}: ${error.message}. Set PORT to another port.`);
  process.exit(1);
});

const stop = () => {
  server.close();
  if (emulator) void emulator.close().finally(() => process.exit(0));
  else process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
