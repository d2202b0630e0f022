#!/usr/bin/env node
/**
 * `kakao-naver-emulator [--port 4000] [--host 127.0.0.1] [--auto-approve-kakao USER] [--auto-approve-naver USER]
 *                       [--latency MS] [--log]`: starts the emulator and prints its URLs and test credentials.
 */
import { parseArgs } from 'node:util';
import { startEmulator } from './emulator.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env['EMULATOR_PORT'] ?? '4000' },
    host: { type: 'string', default: '127.0.0.1' },
    'public-origin': { type: 'string' },
    'auto-approve-kakao': { type: 'string' },
    'auto-approve-naver': { type: 'string' },
    latency: { type: 'string', default: '0' },
    log: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log('Usage: kakao-naver-emulator [--port 4000] [--host 127.0.0.1] [--auto-approve-kakao USER] [--auto-approve-naver USER] [--latency MS] [--log]');
  process.exit(0);
}

const emulator = await startEmulator({
  port: Number(values.port),
  host: values.host,
  ...(values['public-origin'] ? { publicOrigin: values['public-origin'] } : {}),
  latencyMs: Number(values.latency),
  log: values.log,
  autoApprove: { kakao: values['auto-approve-kakao'], naver: values['auto-approve-naver'] },
});

console.log(`Kakao + Naver emulator listening on ${emulator.url}

Kakao (pass baseURL to passport-kakao-ts)
  baseURL        ${emulator.kakao.baseURL}
  authorize      ${emulator.kakao.authorizationURL}
  token          ${emulator.kakao.tokenURL}
  user info      ${emulator.kakao.profileURL}
  OIDC discovery ${emulator.kakao.discoveryURL}
  OIDC issuer    ${emulator.kakao.issuer} (strict OIDC clients must use this origin)
  clientID       ${emulator.kakao.clientID}
  clientSecret   ${emulator.kakao.clientSecret ?? '(none)'}
  redirect URIs  http://localhost:<port>/auth/kakao/callback, http://127.0.0.1:<port>/auth/kakao/callback
  test users     ${emulator.users.kakao.map((u) => u.key).join(', ')}

Naver (pass baseURL to passport-naver-ts)
  baseURL        ${emulator.naver.baseURL}
  authorize      ${emulator.naver.authorizationURL}
  token          ${emulator.naver.tokenURL}
  profile        ${emulator.naver.profileURL}
  clientID       ${emulator.naver.clientID}
  clientSecret   ${emulator.naver.clientSecret}
  callback URLs  http://localhost:<port>/auth/naver/callback, http://127.0.0.1:<port>/auth/naver/callback
  test users     ${emulator.users.naver.map((u) => u.key).join(', ')}

Press Ctrl+C to stop.`);

const stop = () => {
  void emulator.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
