/**
 * The app of the load and soak run (`load.ts`), in its own process so that its heap, handles and CPU are its own:
 * `node --expose-gc load-app.js <emulator-json> <timeout-ms> <login-timeout-ms>`. Sends `{ port }` once listening.
 *
 * One Express app with four strategies, each under its own name and callback (`/auth/<name>`, `/auth/<name>/callback`):
 * Kakao OAuth (session store), Kakao OIDC (id_token verified against the JWKS, then profile; cookie store), Naver
 * (session store) and Naver with the cookie store. A finished login keeps `{ strategy, id }` in the session, which
 * `/me` shows; `/logout` destroys the session, as an app's logout does (so the memory store does not grow by design).
 */
import express from 'express';
import session from 'express-session';
import passport from 'passport';
import type { Strategy as PassportStrategy } from 'passport';
import * as kakaoPackage from 'passport-kakao-ts';
import * as naverPackage from 'passport-naver-ts';
import { BENCH_COOKIE_SECRET } from './variants.js';
import type { EmulatorInfo } from './variants.js';

/** The strategies the load run logs in with, and the provider each belongs to. */
export const LOAD_STRATEGIES = [
  { name: 'kakao', provider: 'kakao' },
  { name: 'kakao-oidc-cookie', provider: 'kakao' },
  { name: 'naver', provider: 'naver' },
  { name: 'naver-cookie', provider: 'naver' },
] as const;
export type LoadStrategyName = (typeof LOAD_STRATEGIES)[number]['name'];

/** What a failed callback answers: the error's class name and code, never its message. */
export interface FailureBody {
  failure: string;
  /** The error is one of the packages' exported error classes (a typed failure). */
  typed: boolean;
  /** Passport's 401/403 failure (state refused, access denied), not an error. */
  status: number;
}

/** What `/__stats` answers. */
export interface AppStats {
  heapUsedBytes: number;
  rssBytes: number;
  cpuMicros: number;
  /** `process.getActiveResourcesInfo()` counted by type. */
  resources: Record<string, number>;
  /** Callbacks handled, and the longest one from request to response end (ms), since the last reset. */
  callbacks: number;
  maxCallbackMs: number;
}

/** Every error class the two packages export: a failure of one of these is a typed one. */
const TYPED_ERRORS: ReadonlyArray<new (...args: never[]) => Error> = [...Object.entries(kakaoPackage), ...Object.entries(naverPackage)]
  .filter(([name, value]) => name.endsWith('Error') && typeof value === 'function')
  .map(([, value]) => value as new (...args: never[]) => Error);

const isMain = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  const [emulatorJSON, timeoutText, loginTimeoutText] = process.argv.slice(2);
  if (!emulatorJSON) throw new Error('usage: load-app <emulator-json> <timeout-ms> <login-timeout-ms>');
  const e = JSON.parse(emulatorJSON) as EmulatorInfo;
  const timeout = Number(timeoutText ?? 10_000);
  const loginTimeout = Number(loginTimeoutText ?? 20_000);
  type Done = (err: unknown, user?: Express.User | false) => void;
  const verifyAs = (name: string) => (_accessToken: string, _refreshToken: string, profile: { id: string | number }, done: Done) =>
    done(null, { strategy: name, id: String(profile.id) });
  const callbackURL = (name: string) => `/auth/${name}/callback`;
  const kakao = { clientID: e.kakao.clientID, clientSecret: e.kakao.clientSecret, baseURL: e.url, pkce: true, timeout, loginTimeout };
  const naver = { clientID: e.naver.clientID, clientSecret: e.naver.clientSecret, baseURL: e.url, timeout, loginTimeout };
  const strategies: Record<LoadStrategyName, PassportStrategy> = {
    kakao: new kakaoPackage.Strategy({ ...kakao, callbackURL: callbackURL('kakao') }, verifyAs('kakao')),
    'kakao-oidc-cookie': new kakaoPackage.Strategy(
      { ...kakao, callbackURL: callbackURL('kakao-oidc-cookie'), oidc: true, store: new kakaoPackage.CookieStateStore({ secret: BENCH_COOKIE_SECRET }) },
      verifyAs('kakao-oidc-cookie'),
    ),
    naver: new naverPackage.Strategy({ ...naver, callbackURL: callbackURL('naver') }, verifyAs('naver')),
    'naver-cookie': new naverPackage.Strategy(
      { ...naver, callbackURL: callbackURL('naver-cookie'), store: new naverPackage.CookieStateStore({ secret: BENCH_COOKIE_SECRET }) },
      verifyAs('naver-cookie'),
    ),
  };

  const authenticator = new passport.Passport();
  for (const [name, strategy] of Object.entries(strategies)) authenticator.use(name, strategy);
  authenticator.serializeUser((user, done) => done(null, JSON.stringify(user)));
  authenticator.deserializeUser((text: string, done) => done(null, JSON.parse(text) as Express.User));

  let callbacks = 0;
  let maxCallbackMs = 0;
  const app = express();
  app.use(session({ secret: 'bench-load', resave: false, saveUninitialized: false }));
  app.use(authenticator.session());
  for (const { name } of LOAD_STRATEGIES) {
    app.get(`/auth/${name}`, authenticator.authenticate(name));
    app.get(
      `/auth/${name}/callback`,
      (_req, res, next) => {
        const started = performance.now();
        res.once('finish', () => {
          callbacks += 1;
          maxCallbackMs = Math.max(maxCallbackMs, performance.now() - started);
        });
        next();
      },
      authenticator.authenticate(name, { failWithError: true }),
      (_req, res) => {
        res.status(200).end('ok');
      },
    );
  }
  app.get('/me', (req, res) => {
    res.json(req.user ?? null);
  });
  app.post('/logout', (req, res, next) => {
    req.session.destroy((error) => (error ? next(error) : res.status(204).end()));
  });
  app.get('/__stats', (req, res) => {
    if (req.query['gc'] !== undefined) {
      const gc = (globalThis as { gc?: () => void }).gc;
      if (!gc) throw new Error('load-app needs node --expose-gc');
      for (let i = 0; i < 4; i += 1) gc();
    }
    const resources: Record<string, number> = {};
    for (const type of process.getActiveResourcesInfo()) resources[type] = (resources[type] ?? 0) + 1;
    const cpu = process.cpuUsage();
    const memory = process.memoryUsage();
    const stats: AppStats = { heapUsedBytes: memory.heapUsed, rssBytes: memory.rss, cpuMicros: cpu.user + cpu.system, resources, callbacks, maxCallbackMs };
    if (req.query['reset'] !== undefined) {
      callbacks = 0;
      maxCallbackMs = 0;
    }
    res.json(stats);
  });
  app.use((error: Error & { status?: number; code?: unknown; error?: unknown; apiCode?: unknown; resultcode?: unknown }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    const status = error.status && error.status < 500 ? error.status : 500;
    // The provider's own code where the error has one (OAuth's error, Kakao's negative code, Naver's resultcode).
    const detail = error.apiCode ?? error.resultcode ?? error.error ?? error.code;
    const code = typeof detail === 'string' || typeof detail === 'number' ? `:${detail}` : '';
    const body: FailureBody = { failure: `${error.name}${code}`, typed: TYPED_ERRORS.some((type) => error instanceof type), status };
    res.status(status).json(body);
  });

  const server = app.listen(0, '127.0.0.1', () => {
    const address = server.address() as { port: number };
    process.send?.({ port: address.port });
  });
  process.on('disconnect', () => process.exit(0));
}
