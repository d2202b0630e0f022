/**
 * Starts the example: loads `.env` if present, then `start` (see main.ts). A wrong setting ends the process with one
 * line on stderr and exit code 1, never a stack trace.
 */
import { existsSync } from 'node:fs';
import { ConfigError } from './config.js';
import { start } from './main.js';

if (existsSync('.env')) process.loadEnvFile('.env');

try {
  const running = await start(process.env);
  console.log('Press Ctrl+C to stop.');
  const stop = () => void running.close().finally(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`Cannot start: ${error.message}`);
  process.exit(1);
}
