import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { startEmulator } from 'kakao-naver-emulator';
import type { Emulator, EmulatorOptions } from 'kakao-naver-emulator';
import { createApp } from '../src/bootstrap.js';
import { configFromEnv } from '../src/config.js';
import type { AppConfig } from '../src/config.js';

/** The Nest app on the emulator, as `pnpm start:nestjs` wires it, on free ports of 127.0.0.1. */
export interface Harness {
  emulator: Emulator;
  app: NestExpressApplication;
  config: AppConfig;
  /** The app's origin, e.g. `http://127.0.0.1:40123`. */
  url: string;
  close(): Promise<void>;
}

export async function startHarness(options: EmulatorOptions = {}, env: NodeJS.ProcessEnv = {}): Promise<Harness> {
  // The project's own strategies run against a strict Naver (state required, as its guide says).
  const emulator = await startEmulator({ ...options, naver: { requireState: true, ...options.naver } });
  const config = configFromEnv(env, emulator);
  const app = await createApp(config, false);
  await app.listen(0, '127.0.0.1');
  const server: Server = app.getHttpServer();
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('The app is not listening on a TCP port');
  const { port } = address satisfies AddressInfo;
  return {
    emulator,
    app,
    config,
    url: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await app.close();
      await emulator.close();
    },
  };
}

/** The `Set-Cookie` headers of a response, as a list. */
export function setCookies(headers: Record<string, unknown>): string[] {
  const value = headers['set-cookie'];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return typeof value === 'string' ? [value] : [];
}

/** The one `Set-Cookie` header for cookie `name` (prefix match with `name.` for the per-login cookies). */
export function cookieNamed(headers: Record<string, unknown>, name: string): string | undefined {
  return setCookies(headers).find((cookie) => cookie.startsWith(`${name}=`) || cookie.startsWith(`${name}.`));
}

/** The claims of a JWT, unverified (to look at what the cookie carries). */
export function jwtClaims(jwt: string): Record<string, unknown> {
  const payload = jwt.split('.')[1] ?? '';
  const parsed: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not a JWT payload');
  return Object.fromEntries(Object.entries(parsed));
}
