/**
 * One variant's app, in its own process so that its CPU time and memory are its own:
 * `node app-server.js <variant> <emulator-json>`. Sends `{ port }` to the parent once listening.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { Session as InspectorSession } from 'node:inspector';
import express from 'express';
import session from 'express-session';
import passport from 'passport';
import { VARIANTS } from './variants.js';
import type { EmulatorInfo } from './variants.js';

const [name, emulatorJSON] = process.argv.slice(2);
const variant = VARIANTS.find((v) => v.name === name);
if (!variant || !emulatorJSON) throw new Error(`usage: app-server <variant> <emulator-json>; variants: ${VARIANTS.map((v) => v.name).join(', ')}`);
const emulator = JSON.parse(emulatorJSON) as EmulatorInfo;

const authenticator = new passport.Passport();
authenticator.use(variant.provider, variant.create(emulator));
authenticator.serializeUser((user, done) => done(null, (user as { id: string }).id));
authenticator.deserializeUser((id: string, done) => done(null, { id }));

const sessions = new session.MemoryStore();
const withSession = variant.session !== false;
const app = express();
if (withSession) {
  app.use(session({ secret: 'bench', resave: false, saveUninitialized: false, store: sessions }));
  app.use(authenticator.session());
}
app.get(`/auth/${variant.provider}`, authenticator.authenticate(variant.provider, { session: withSession }));
// A complete login answers 200 (an app without sessions would issue its token here); a failure 401 and an error 500,
// which the load generator counts as errors.
app.get(`/auth/${variant.provider}/callback`, authenticator.authenticate(variant.provider, { failWithError: true, session: withSession }), (_req, res) => {
  res.status(200).end('ok');
});
app.get('/__stats', (req, res) => {
  const cpu = process.cpuUsage();
  res.json({ cpuMicros: cpu.user + cpu.system, mainThreadMicros: mainThreadMicros(), rss: process.memoryUsage().rss, threads: req.query['threads'] !== undefined ? threadTicks() : undefined });
});

/** CPU ticks of 10 ms (user, system): the main thread's, and the other threads' together (`?threads`, Linux only). */
function threadTicks(): Record<string, [number, number]> {
  const out: Record<string, [number, number]> = {};
  for (const tid of readdirSync('/proc/self/task')) {
    const text = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    const name = tid === String(process.pid) ? 'main' : 'other';
    const fields = text.split(')').at(-1)!.trim().split(' ');
    const entry = (out[name] ??= [0, 0]);
    entry[0] += Number(fields[11]);
    entry[1] += Number(fields[12]);
  }
  return out;
}

/**
 * The main (JavaScript) thread's CPU time alone, from Linux's /proc (in 10 ms ticks; `undefined` elsewhere): the
 * process's figure also counts V8's GC and compiler threads and libuv's pool (WebCrypto), which it is right to count,
 * but which make it noisier. Reported beside it as a diagnosis.
 */
function mainThreadMicros(): number | undefined {
  try {
    const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(')').at(-1)!.trim().split(' ');
    // After the command: state is field 3, utime 14 and stime 15 (1-based), in clock ticks of 10 ms.
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return undefined;
  }
}
// `run.js --profile`: the V8 CPU profiler on around each measurement only (not the preparation), profile sent back.
const inspector = new InspectorSession();
inspector.connect();
const post = (method: string) =>
  new Promise<unknown>((resolve, reject) => inspector.post(method, (error, result) => (error ? reject(error) : resolve(result))));
app.post('/__profile/start', (_req, res, next) => {
  post('Profiler.enable').then(() => post('Profiler.start')).then(() => res.status(204).end(), next);
});
app.post('/__profile/stop', (_req, res, next) => {
  post('Profiler.stop').then((result) => res.json((result as { profile: unknown }).profile), next);
});
// Between measurements: forget the sessions, so that every round starts with the same heap.
app.post('/__reset', (_req, res, next) => {
  sessions.clear((error) => (error ? next(error) : res.status(204).end()));
});
app.use((error: Error & { status?: number }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
  res.status(error.status && error.status < 500 ? error.status : 500).end(error.name);
});

const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address() as { port: number };
  process.send?.({ port: address.port });
});
process.on('disconnect', () => process.exit(0));

