import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startEmulator } from 'kakao-naver-emulator';
import type { Emulator, EmulatorOptions } from 'kakao-naver-emulator';
import { createApp } from '../src/app.js';
import type { AppConfig } from '../src/config.js';
import { configFromEnv } from '../src/config.js';

/** The example app on the emulator, as `pnpm start` wires it, on free ports. */
export interface Harness {
  emulator: Emulator;
  app: ReturnType<typeof createApp>;
  config: AppConfig;
  /** Set by {@link listen}. */
  url: string;
  listen(): Promise<string>;
  close(): Promise<void>;
}

export async function startHarness(options: EmulatorOptions = {}, env: NodeJS.ProcessEnv = {}): Promise<Harness> {
  const emulator = await startEmulator(options);
  const config = configFromEnv(env, emulator, 'test-session-secret');
  const app = createApp(config);
  let server: Server | undefined;
  const harness: Harness = {
    emulator,
    app,
    config,
    url: '',
    async listen() {
      server = await new Promise<Server>((resolve) => {
        const s = app.listen(0, '127.0.0.1', () => resolve(s));
      });
      harness.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      return harness.url;
    },
    async close() {
      if (server) {
        server.closeAllConnections();
        await new Promise((resolve) => server!.close(resolve));
      }
      await emulator.close();
    },
  };
  return harness;
}
