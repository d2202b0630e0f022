// How many token + profile pairs per second the emulator serves (a login's provider-side work), over keep-alive
// connections from this process. Prints figures; asserts nothing. Run after `pnpm build`:
//   node packages/emulator/scripts/throughput.mjs [seconds=5] [concurrency=32]
import http from 'node:http';
import { startEmulator } from '../dist/index.js';

const seconds = Number(process.argv[2] ?? 5);
const concurrency = Number(process.argv[3] ?? 32);
const emulator = await startEmulator({ autoApprove: { kakao: 'kakao-full', naver: 'naver-full' } });
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const callback = 'http://localhost:3000/auth/kakao/callback';

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

async function kakaoPair() {
  const authorize = await send('GET', `${emulator.kakao.authorizationURL}?client_id=${emulator.kakao.clientID}&redirect_uri=${encodeURIComponent(callback)}&response_type=code`);
  const code = new URL(authorize.headers.location).searchParams.get('code');
  const form = new URLSearchParams({ grant_type: 'authorization_code', client_id: emulator.kakao.clientID, client_secret: emulator.kakao.clientSecret, redirect_uri: callback, code }).toString();
  const started = performance.now();
  const token = await send('POST', emulator.kakao.tokenURL, { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(form) }, form);
  const { access_token } = JSON.parse(token.body);
  const me = await send('GET', `${emulator.kakao.profileURL}?secure_resource=true`, { Authorization: `Bearer ${access_token}` });
  if (me.status !== 200) throw new Error(`profile ${me.status}`);
  return performance.now() - started;
}

let pairs = 0;
const latencies = [];
const deadline = performance.now() + seconds * 1000;
await Promise.all(Array.from({ length: concurrency }, async () => {
  while (performance.now() < deadline) {
    latencies.push(await kakaoPair());
    pairs += 1;
  }
}));
latencies.sort((a, b) => a - b);
const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))].toFixed(2);
console.log(`emulator throughput (Kakao token + profile pair, ${concurrency} concurrent, ${seconds}s, node ${process.version})`);
console.log(`  pairs/s: ${(pairs / seconds).toFixed(0)}   requests/s (token+profile): ${((2 * pairs) / seconds).toFixed(0)}   pair p50 ${pct(50)} ms  p99 ${pct(99)} ms`);
console.log('  (each pair also needs an authorize request to mint its code, not counted in the figures)');
agent.destroy();
await emulator.close();
