/**
 * One variant's app, in its own process so that its CPU time and memory are its own:
 * `node app-server.js <variant> <emulator-json>`. Sends `{ port }` to the parent once listening.
 */
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

const app = express();
app.use(session({ secret: 'bench', resave: false, saveUninitialized: false }));
app.use(authenticator.session());
app.get(`/auth/${variant.provider}`, authenticator.authenticate(variant.provider));
// A complete login answers 200; a failure 401 and an error 500, which the load generator counts as errors.
app.get(`/auth/${variant.provider}/callback`, authenticator.authenticate(variant.provider, { failWithError: true }), (_req, res) => {
  res.status(200).end('ok');
});
app.get('/__stats', (_req, res) => {
  const cpu = process.cpuUsage();
  res.json({ cpuMicros: cpu.user + cpu.system, rss: process.memoryUsage().rss });
});
app.use((error: Error & { status?: number }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
  res.status(error.status && error.status < 500 ? error.status : 500).end(error.name);
});

const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address() as { port: number };
  process.send?.({ port: address.port });
});
process.on('disconnect', () => process.exit(0));
