/**
 * Where the cookie store's CPU goes, in one process, without HTTP: `node dist/src/store-cost.js` after `pnpm build`.
 * Per login (16 at a time, as the benchmark's connections), the CPU time (`process.cpuUsage()`, every thread) of:
 *
 * - `CookieStateStore` sealing a login (`store`) and opening it on the callback (`verify`), as passport-kakao-ts ships it;
 * - jose alone sealing and opening the same claims (`EncryptJWT` + `jwtDecrypt`, `dir` + `A256GCM`);
 * - WebCrypto's AES-GCM alone, one encryption and one decryption of as many bytes (what jose calls underneath);
 * - node:crypto's synchronous AES-GCM for the same bytes, for comparison only (the project seals with jose).
 *
 * Figures are printed, never asserted.
 */
import { createCipheriv, createDecipheriv, randomBytes, webcrypto } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { EncryptJWT, jwtDecrypt } from 'jose';
import { CookieStateStore } from 'passport-kakao-ts';
import { BENCH_COOKIE_SECRET } from './variants.js';

const META = {
  authorizationURL: 'http://127.0.0.1:40000/oauth/authorize',
  tokenURL: 'http://127.0.0.1:40000/oauth/token',
  clientID: 'kakao-bench-client-id',
  callbackURL: 'http://127.0.0.1:40001/auth/kakao/callback',
};

type Headers = Record<string, string | string[]>;
/** The part of a response the store writes its cookie through, keeping the headers in `headers`. */
function response(headers: Headers): Pick<ServerResponse, 'getHeader' | 'setHeader'> {
  const res = {
    getHeader: (name: string) => headers[name.toLowerCase()],
    setHeader: (name: string, value: string | number | readonly string[]) => {
      headers[name.toLowerCase()] = typeof value === 'object' ? [...value] : String(value);
      return res as unknown as ServerResponse;
    },
  };
  return res;
}

/** CPU microseconds per call of `work`, `count` calls with `concurrency` in flight, after `warmup` calls. */
export async function cpuPerCall(work: () => Promise<unknown>, count = 20_000, concurrency = 16, warmup = 3_000): Promise<number> {
  for (let i = 0; i < warmup; i += 1) await work();
  const before = process.cpuUsage();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        next += 1;
        await work();
      }
    }),
  );
  const used = process.cpuUsage(before);
  return (used.user + used.system) / count;
}

/** The four measurements, CPU µs per login. */
export async function storeCost(count?: number): Promise<Record<'cookieStore' | 'jose' | 'webCrypto' | 'nodeCrypto', number>> {
  const store = new CookieStateStore({ secret: BENCH_COOKIE_SECRET });
  const verifier = randomBytes(32).toString('base64url');
  const cookieStore = () =>
    new Promise<void>((resolve, reject) => {
      const started: Headers = {};
      store.store({ headers: {}, res: response(started) }, verifier, undefined, META, (error, handle) => {
        if (error || !handle) return reject(error ?? new Error('no handle'));
        const cookie = String((started['set-cookie'] as string[])[0]).split(';')[0]!;
        store.verify({ headers: { cookie }, res: response({}) }, handle, META, (err, ok) => (err || ok !== verifier ? reject(err ?? new Error('not verified')) : resolve()));
      });
    });
  const key = await webcrypto.subtle.importKey('raw', randomBytes(32), 'AES-GCM', false, ['encrypt', 'decrypt']);
  const claims = { h: randomBytes(24).toString('base64url'), b: `${META.clientID} ${META.authorizationURL} ${META.callbackURL}`, v: verifier };
  const options = { keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: ['A256GCM'], requiredClaims: ['exp'] };
  const jose = async () => {
    const sealed = await new EncryptJWT(claims).setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid: 'bench' }).setIssuedAt().setExpirationTime('600s').encrypt(key);
    await jwtDecrypt(sealed, key, options);
  };
  const plaintext = Buffer.from(JSON.stringify({ ...claims, iat: 0, exp: 0 }));
  const aad = Buffer.alloc(60);
  const webCrypto = async () => {
    const iv = randomBytes(12);
    const sealed = await webcrypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aad }, key, plaintext);
    await webcrypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData: aad }, key, sealed);
  };
  const rawKey = randomBytes(32);
  const nodeCrypto = async () => {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', rawKey, iv).setAAD(aad);
    const sealed = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    const decipher = createDecipheriv('aes-256-gcm', rawKey, iv).setAAD(aad).setAuthTag(cipher.getAuthTag());
    Buffer.concat([decipher.update(sealed), decipher.final()]);
  };
  return {
    cookieStore: await cpuPerCall(cookieStore, count),
    jose: await cpuPerCall(jose, count),
    webCrypto: await cpuPerCall(webCrypto, count),
    nodeCrypto: await cpuPerCall(nodeCrypto, count),
  };
}

/** The median of a list of numbers. */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const isMain = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  // Interleaved rounds (each measures all four in turn), so that a noisy stretch of the machine weighs on all alike;
  // the store's own cost is its figure less jose's in the same round, and the medians over rounds are printed.
  const rounds = Number(process.env['STORE_COST_ROUNDS'] ?? 5);
  const results: Array<Awaited<ReturnType<typeof storeCost>>> = [];
  for (let round = 0; round < rounds; round += 1) results.push(await storeCost(10_000));
  const pick = (key: keyof Awaited<ReturnType<typeof storeCost>>) => median(results.map((result) => result[key]));
  const own = results.map((result) => result.cookieStore - result.jose);
  console.log(`CPU per login (seal + open), Node ${process.version}, median of ${rounds} interleaved rounds:`);
  console.log(`  CookieStateStore store + verify      ${pick('cookieStore').toFixed(1)} µs`);
  console.log(`  jose EncryptJWT + jwtDecrypt         ${pick('jose').toFixed(1)} µs`);
  console.log(`  the store's own cost above jose      ${median(own).toFixed(1)} µs (rounds: ${own.map((value) => value.toFixed(1)).join(', ')})`);
  console.log(`  WebCrypto AES-GCM encrypt + decrypt  ${pick('webCrypto').toFixed(1)} µs`);
  console.log(`  node:crypto AES-GCM (comparison)     ${pick('nodeCrypto').toFixed(1)} µs`);
}
