#!/usr/bin/env node
/**
 * `kakao-naver-emulator`: starts the emulator and prints its URLs and test credentials. `--help` lists the flags.
 * Mistakes (an unknown flag, an unknown test user, a port in use) end with one line on stderr and a non-zero exit code:
 * 2 for a wrong command line, 1 when the emulator cannot start.
 */
import { parseArgs } from 'node:util';
import { startEmulator } from './emulator.js';
import type { Emulator } from './emulator.js';
import {
  DEFAULT_KAKAO_BASIC_CLIENT,
  DEFAULT_KAKAO_CLIENT,
  DEFAULT_KAKAO_OTHER_CLIENT,
  DEFAULT_KAKAO_USERS,
  DEFAULT_NAVER_CLIENT,
  DEFAULT_NAVER_OTHER_CLIENT,
  DEFAULT_NAVER_USERS,
} from './users.js';

const HELP = `Usage: kakao-naver-emulator [options]

A local emulator of Kakao Login and Naver Login. Prints its URLs, the built-in apps' credentials and the test users.

Options:
  --port N                   Port to listen on (default 4000, or EMULATOR_PORT; 0 picks a free one)
  --host ADDRESS             Address to listen on (default 127.0.0.1)
  --public-origin ORIGIN     The origin clients reach it at, e.g. http://localhost:4000: the OIDC issuer and every URL
                             it hands out (default the address it listens on, as printed)
  --auto-approve-kakao USER  Approve Kakao logins as USER without a page (${DEFAULT_KAKAO_USERS.map((u) => u.key).join(', ')})
  --auto-approve-naver USER  Approve Naver logins as USER without a page (${DEFAULT_NAVER_USERS.map((u) => u.key).join(', ')})
  --kakao-redirect-uri URI   Register another redirect URI on the built-in Kakao apps (repeatable)
  --naver-redirect-uri URI   Register another callback URL on the built-in Naver apps (repeatable)
  --latency MS               Add MS milliseconds to every answer (default 0)
  --log                      Print one line per request to stderr
  --strict                   Refuse what the providers' guides forbid though the real services accept it (a Naver
                             authorize without state)
  --help                     Show this help and exit

Exit codes: 0 stopped by Ctrl+C or SIGTERM; 1 could not start (e.g. the port is in use); 2 wrong command line.`;

/** Ends the process with one line on stderr. */
function fail(message: string, code: 1 | 2): never {
  process.stderr.write(`kakao-naver-emulator: ${message}\n`);
  process.exit(code);
}

function readArgs() {
  try {
    return parseArgs({
      options: {
        port: { type: 'string', default: process.env['EMULATOR_PORT'] ?? '4000' },
        host: { type: 'string', default: '127.0.0.1' },
        'public-origin': { type: 'string' },
        'auto-approve-kakao': { type: 'string' },
        'auto-approve-naver': { type: 'string' },
        'kakao-redirect-uri': { type: 'string', multiple: true, default: [] },
        'naver-redirect-uri': { type: 'string', multiple: true, default: [] },
        latency: { type: 'string', default: '0' },
        log: { type: 'boolean', default: false },
        strict: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }).values;
  } catch (error) {
    return fail(`${(error as Error).message.split('\n')[0]} (see --help)`, 2);
  }
}

const values = readArgs();
if (values.help) {
  console.log(HELP);
  process.exit(0);
}

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be a port number, got ${values.port}`, 2);
const latencyMs = Number(values.latency);
if (!Number.isFinite(latencyMs) || latencyMs < 0) fail(`--latency must be a number of milliseconds, got ${values.latency}`, 2);
for (const [flag, users] of [['kakao', DEFAULT_KAKAO_USERS], ['naver', DEFAULT_NAVER_USERS]] as const) {
  const key = values[`auto-approve-${flag}`];
  if (key !== undefined && !users.some((u) => u.key === key)) {
    fail(`unknown ${flag === 'kakao' ? 'Kakao' : 'Naver'} test user "${key}" for --auto-approve-${flag}; the test users are ${users.map((u) => u.key).join(', ')}`, 2);
  }
}
for (const uri of [...values['kakao-redirect-uri'], ...values['naver-redirect-uri']]) {
  if (!URL.canParse(uri)) fail(`a redirect URI must be an absolute URL, got ${uri}`, 2);
}

let emulator: Emulator;
try {
  emulator = await startEmulator({
    port,
    host: values.host,
    ...(values['public-origin'] ? { publicOrigin: values['public-origin'] } : {}),
    latencyMs,
    log: values.log,
    autoApprove: { kakao: values['auto-approve-kakao'], naver: values['auto-approve-naver'] },
    kakao: {
      clients: [DEFAULT_KAKAO_CLIENT, DEFAULT_KAKAO_BASIC_CLIENT, DEFAULT_KAKAO_OTHER_CLIENT].map((client) => ({ ...client, redirectUris: [...client.redirectUris, ...values['kakao-redirect-uri']] })),
    },
    naver: {
      requireState: values.strict,
      clients: [DEFAULT_NAVER_CLIENT, DEFAULT_NAVER_OTHER_CLIENT].map((client) => ({ ...client, redirectUris: [...client.redirectUris, ...values['naver-redirect-uri']] })),
    },
  });
} catch (error) {
  // startEmulator refuses bad options (e.g. --public-origin with a path) with a TypeError: a wrong command line.
  if (error instanceof TypeError) fail(error.message, 2);
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') fail(`port ${port} on ${values.host} is already in use; stop what is using it or choose another with --port`, 1);
  if (code === 'EACCES') fail(`not allowed to listen on port ${port} on ${values.host}; choose another with --port`, 1);
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') fail(`cannot listen on ${values.host}: no such local address`, 1);
  fail((error as Error).message, 1);
}

const extra = (uris: string[]) => (uris.length > 0 ? `, ${uris.join(', ')}` : '');
console.log(`Kakao + Naver emulator listening on ${emulator.listenURL}${emulator.url === emulator.listenURL ? '' : ` (public origin ${emulator.url})`}

Kakao (pass baseURL to passport-kakao-ts)
  baseURL        ${emulator.kakao.baseURL}
  authorize      ${emulator.kakao.authorizationURL}
  token          ${emulator.kakao.tokenURL}
  user info      ${emulator.kakao.profileURL}
  OIDC discovery ${emulator.kakao.discoveryURL}
  OIDC issuer    ${emulator.kakao.issuer} (strict OIDC clients must use this origin)
  clientID       ${emulator.kakao.clientID}
  clientSecret   ${emulator.kakao.clientSecret ?? '(none)'}
  second app     ${DEFAULT_KAKAO_BASIC_CLIENT.clientId} (not Biz, no OIDC, no secret: shows KOE205)
  redirect URIs  http://localhost:<port>/auth/kakao/callback, http://127.0.0.1:<port>/auth/kakao/callback${extra(values['kakao-redirect-uri'])}
  test users     ${emulator.users.kakao.map((u) => u.key).join(', ')}

Naver (pass baseURL to passport-naver-ts)
  baseURL        ${emulator.naver.baseURL}
  authorize      ${emulator.naver.authorizationURL}
  token          ${emulator.naver.tokenURL}
  profile        ${emulator.naver.profileURL}
  clientID       ${emulator.naver.clientID}
  clientSecret   ${emulator.naver.clientSecret}
  callback URLs  http://localhost:<port>/auth/naver/callback, http://127.0.0.1:<port>/auth/naver/callback${extra(values['naver-redirect-uri'])}
  test users     ${emulator.users.naver.map((u) => u.key).join(', ')}

Account pages (unlink an app, delete an account): ${emulator.url}/__emulator/account?provider=kakao, ?provider=naver

Press Ctrl+C to stop.`);

const stop = () => {
  void emulator.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
