// Heap per login in a long-running emulator: what N logins leave behind while their tokens live, and after emulator
// time has moved past every lifetime (codes 10 min, Kakao refresh 2 months, Naver refresh 1 year). Prints figures;
// asserts nothing (test/memory.test.ts asserts the bound). Run after `pnpm build`:
//   node --expose-gc packages/emulator/scripts/memory.mjs [logins=20000]
// Each login: authorize (auto-approved), token, profile; half Kakao, half Naver. One authorize in ten is abandoned
// (its code is never exchanged), as a browser that never comes back.
import http from 'node:http';
import { startEmulator } from '../dist/index.js';

if (typeof globalThis.gc !== 'function') {
  console.error('run with node --expose-gc');
  process.exit(2);
}
const logins = Number(process.argv[2] ?? 20000);
const emulator = await startEmulator({ autoApprove: { kakao: 'kakao-full', naver: 'naver-full' } });
const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

function send(method, url, headers = {}, body) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, agent, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(body);
  });
}
const form = (fields) => {
  const body = new URLSearchParams(fields).toString();
  return [{ 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body) }, body];
};

async function login(i) {
  const kakao = i % 2 === 0;
  const provider = kakao ? emulator.kakao : emulator.naver;
  const callback = `http://localhost:3000/auth/${kakao ? 'kakao' : 'naver'}/callback`;
  const query = new URLSearchParams({ client_id: provider.clientID, redirect_uri: callback, response_type: 'code', state: `s${i}` });
  const authorize = await send('GET', `${provider.authorizationURL}?${query}`);
  const code = new URL(authorize.headers.location).searchParams.get('code');
  if (!code) throw new Error(`authorize: ${authorize.status} ${authorize.headers.location}`);
  if (i % 10 === 9) return; // abandoned: the code is never exchanged
  const [headers, body] = form({
    grant_type: 'authorization_code', client_id: provider.clientID, client_secret: provider.clientSecret, redirect_uri: callback, code, state: `s${i}`,
  });
  const token = JSON.parse((await send('POST', provider.tokenURL, headers, body)).body);
  if (!token.access_token) throw new Error(`token: ${JSON.stringify(token)}`);
  const me = await send('GET', provider.profileURL, { Authorization: `Bearer ${token.access_token}` });
  if (me.status !== 200) throw new Error(`profile ${me.status}`);
}

async function run(count, offset) {
  let next = 0;
  await Promise.all(Array.from({ length: 16 }, async () => {
    while (next < count) await login(offset + next++);
  }));
}

function heap() {
  for (let i = 0; i < 4; i += 1) globalThis.gc();
  return process.memoryUsage().heapUsed;
}

await run(2000, 0); // warm-up: JIT, sockets, one-off allocations
const base = heap();
await run(logins, 2000);
const live = heap();
emulator.advanceTime(400 * 24 * 3600 * 1000); // past every code and token lifetime
await run(2, logins + 2000); // one Kakao and one Naver login after the jump
const expired = heap();
const mib = (bytes) => `${bytes < 0 ? '' : '+'}${(bytes / 1024 / 1024).toFixed(1)} MiB (${(bytes / logins).toFixed(0)} B/login)`;
console.log(`emulator heap over the warmed-up baseline, ${logins} logins (node ${process.version})`);
console.log(`  while the tokens live:           ${mib(live - base)}`);
console.log(`  after every lifetime has passed: ${mib(expired - base)}  (below zero: the warm-up's tokens went too)`);
agent.destroy();
await emulator.close();
