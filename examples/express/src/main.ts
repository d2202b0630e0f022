/**
 * Starting the example, as a function the tests can call: checks the settings, starts the emulator for providers
 * without keys (never in production), opens the session store, then listens.
 */
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startEmulator } from 'kakao-naver-emulator';
import type { Emulator } from 'kakao-naver-emulator';
import { createApp } from './app.js';
import { ConfigError, appConfig, needsEmulator, readSettings } from './config.js';
import type { AppConfig } from './config.js';
import { createSessionStore } from './sessions.js';
import type { SessionStore } from './sessions.js';

/** A started example. */
export interface Running {
  /** The port actually bound (PORT=0 picks one). */
  port: number;
  config: AppConfig;
  emulator: Emulator | undefined;
  sessions: SessionStore;
  close(): Promise<void>;
}

async function startEmulatorOnPreferredPort(preferred: number): Promise<Emulator> {
  try {
    return await startEmulator({ port: preferred });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    return startEmulator({ port: 0 });
  }
}

function listen(app: ReturnType<typeof createApp>, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port);
    server.once('listening', () => resolve(server));
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' || error.code === 'EACCES'
        ? new ConfigError(`cannot listen on port ${port} (${error.code}): set PORT to another port`)
        : error);
    });
  });
}

/**
 * Starts the example from `env`. Throws {@link ConfigError} (one line, no secret in it) when the settings are wrong,
 * the port is taken or Redis is unreachable, having stopped whatever it had started.
 */
export async function start(env: NodeJS.ProcessEnv, log: (line: string) => void = console.log): Promise<Running> {
  const settings = readSettings(env);
  const emulator = needsEmulator(settings) ? await startEmulatorOnPreferredPort(settings.emulatorPort) : undefined;
  let sessions: SessionStore | undefined;
  try {
    const config = appConfig(settings, emulator, settings.sessionSecret ?? randomBytes(32).toString('hex'));
    sessions = await createSessionStore(config.session);
    const server = await listen(createApp(config, { sessionStore: sessions.store }), settings.port);
    const port = (server.address() as AddressInfo).port;
    const where = (mode: AppConfig['kakao']['mode']) => (mode === 'emulator' ? `emulator at ${emulator?.url}` : mode === 'real' ? 'real service' : 'off (no keys)');
    log(`Example app listening on http://localhost:${port}${config.publicOrigin ? ` (public origin ${config.publicOrigin})` : ''}`);
    log(`  Kakao: ${where(config.kakao.mode)}`);
    log(`  Naver: ${where(config.naver.mode)}`);
    log(`  Sessions: ${sessions.kind === 'redis' ? 'Redis (REDIS_URL), shared by every instance' : 'in this process (memorystore); set REDIS_URL to run more than one instance'}`);
    const opened = sessions;
    return {
      port,
      config,
      emulator,
      sessions: opened,
      async close() {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
        await opened.close();
        await emulator?.close();
      },
    };
  } catch (error) {
    await sessions?.close();
    await emulator?.close();
    throw error;
  }
}
