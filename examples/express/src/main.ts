/**
 * Starting the example, as a function the tests can call: checks the settings, starts the emulator for providers
 * without keys (never in production), opens the session store, then listens.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { RequestListener, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_KAKAO_BASIC_CLIENT, DEFAULT_KAKAO_CLIENT, DEFAULT_KAKAO_OTHER_CLIENT, DEFAULT_NAVER_CLIENT, DEFAULT_NAVER_OTHER_CLIENT, startEmulator } from 'kakao-naver-emulator';
import type { Emulator, EmulatorOptions } from 'kakao-naver-emulator';
import { createApp } from './app.js';
import { ConfigError, EMULATOR_KAKAO_ADMIN_KEY, appConfig, needsEmulator, readSettings } from './config.js';
import type { AppConfig, Settings } from './config.js';
import { TOKEN_PATHS, tokenRoutesEnabled } from './sdk-tokens.js';
import { createSessionStore } from './sessions.js';
import type { SessionStore } from './sessions.js';
import { WEBHOOK_PATHS, webhooksEnabled } from './webhooks.js';

/** A started example. */
export interface Running {
  /** The port actually bound (PORT=0 picks one). */
  port: number;
  config: AppConfig;
  emulator: Emulator | undefined;
  sessions: SessionStore;
  close(): Promise<void>;
}

/**
 * The emulator's built-in apps, with this app's webhook URLs registered on the ones it uses (what an app's developer
 * does in the Kakao and Naver consoles), so that unlinking on the emulator's account page calls this app.
 */
function emulatorApps(settings: Settings, appOrigin: string): Pick<EmulatorOptions, 'kakao' | 'naver'> {
  return {
    kakao: {
      clients: [
        settings.kakao ? DEFAULT_KAKAO_CLIENT : { ...DEFAULT_KAKAO_CLIENT, webhook: { url: `${appOrigin}${WEBHOOK_PATHS.kakao}`, adminKey: EMULATOR_KAKAO_ADMIN_KEY } },
        DEFAULT_KAKAO_BASIC_CLIENT,
        DEFAULT_KAKAO_OTHER_CLIENT,
      ],
    },
    naver: {
      clients: [settings.naver ? DEFAULT_NAVER_CLIENT : { ...DEFAULT_NAVER_CLIENT, deauthorizeCallbackURL: `${appOrigin}${WEBHOOK_PATHS.naver}` }, DEFAULT_NAVER_OTHER_CLIENT],
    },
  };
}

async function startEmulatorOnPreferredPort(preferred: number, apps: Pick<EmulatorOptions, 'kakao' | 'naver'>): Promise<Emulator> {
  try {
    return await startEmulator({ port: preferred, ...apps });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    return startEmulator({ port: 0, ...apps });
  }
}

/** Listens with a handler that can be set later (the emulator needs the port for the webhook URLs before the app exists). */
function listen(handler: { current: RequestListener }, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer((req, res) => handler.current(req, res));
    server.listen(port);
    server.once('listening', () => resolve(server));
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' || error.code === 'EACCES'
        ? new ConfigError(`cannot listen on port ${port} (${error.code}): set PORT to another port`)
        : error);
    });
  });
}

/**
 * Starts the example from `env`: start lines go to `log`, refused webhook calls to `warn`. Throws {@link ConfigError}
 * (one line, no secret in it) when the settings are wrong, the port is taken or Redis is unreachable, having stopped
 * whatever it had started. The port is bound first: the emulator, when it runs, is given this app's webhook URLs.
 */
export async function start(env: NodeJS.ProcessEnv, log: (line: string) => void = console.log, warn: (line: string) => void = console.warn): Promise<Running> {
  const settings = readSettings(env);
  // Until the app is ready (a few ms), requests get a 503.
  const handler: { current: RequestListener } = { current: (_req, res) => void res.writeHead(503, { 'Retry-After': '1' }).end() };
  const server = await listen(handler, settings.port);
  const port = (server.address() as AddressInfo).port;
  const closeServer = async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  let emulator: Emulator | undefined;
  let sessions: SessionStore | undefined;
  try {
    emulator = needsEmulator(settings) ? await startEmulatorOnPreferredPort(settings.emulatorPort, emulatorApps(settings, `http://127.0.0.1:${port}`)) : undefined;
    const config = appConfig(settings, emulator, settings.sessionSecret ?? randomBytes(32).toString('hex'));
    sessions = await createSessionStore(config.session);
    handler.current = createApp(config, { sessionStore: sessions.store, log: warn });
    const where = (mode: AppConfig['kakao']['mode']) => (mode === 'emulator' ? `emulator at ${emulator?.url}` : mode === 'real' ? 'real service' : 'off (no keys)');
    log(`Example app listening on http://localhost:${port}${config.publicOrigin ? ` (public origin ${config.publicOrigin})` : ''}`);
    log(`  Kakao: ${where(config.kakao.mode)}`);
    log(`  Naver: ${where(config.naver.mode)}`);
    log(`  Sessions: ${sessions.kind === 'redis' ? 'Redis (REDIS_URL), shared by every instance' : 'in this process (memorystore); set REDIS_URL to run more than one instance'}`);
    log(`  Login state: ${config.loginState.kind === 'cookie'
      ? `sealed cookie (LOGIN_STATE=cookie, secret from ${settings.loginStateSecret ? 'LOGIN_STATE_SECRET' : settings.sessionSecret ? 'SESSION_SECRET' : 'a random per-start secret: one instance only'})`
      : 'in the session'}`);
    for (const line of featureLines(config, emulator !== undefined)) log(line);
    const opened = sessions;
    const started = emulator;
    return {
      port,
      config,
      emulator,
      sessions: opened,
      async close() {
        await closeServer();
        await opened.close();
        await started?.close();
      },
    };
  } catch (error) {
    await closeServer();
    await sessions?.close();
    await emulator?.close();
    throw error;
  }
}

/** The start lines for the webhooks and the SDK-token routes: what is on, and why what is off is off. */
function featureLines(config: AppConfig, emulatorStarted: boolean): string[] {
  const webhooks = webhooksEnabled(config);
  const tokens = tokenRoutesEnabled(config);
  const registered = (provider: 'kakao' | 'naver') => (emulatorStarted && config[provider].mode === 'emulator' ? ' (registered with the emulator)' : '');
  const kakaoWebhook = config.kakao.mode === 'off' ? 'off (no keys)'
    : webhooks.kakao ? `${WEBHOOK_PATHS.kakao}, GET and POST${registered('kakao')}`
      : 'off: set KAKAO_APP_ID and KAKAO_ADMIN_KEY to verify Kakao\'s calls';
  const naverWebhook = webhooks.naver ? `${WEBHOOK_PATHS.naver}${registered('naver')}` : 'off (no keys)';
  const kakaoToken = config.kakao.mode === 'off' ? 'off (no keys)' : tokens.kakao ? `POST ${TOKEN_PATHS.kakao}` : 'off: set KAKAO_APP_ID (a token of another app must be refused)';
  const naverToken = tokens.naver ? `POST ${TOKEN_PATHS.naver}` : 'off (no keys)';
  return [
    `  Kakao unlink webhook: ${kakaoWebhook}`,
    `  Naver deauthorize callback: ${naverWebhook}`,
    `  SDK-token sign-in: Kakao ${kakaoToken}; Naver ${naverToken}`,
  ];
}
