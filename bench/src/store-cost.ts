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

const isMain = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  const cost = await storeCost();
  console.log(`CPU per login (seal + open), Node ${process.version}:`);
  console.log(`  CookieStateStore store + verify      ${cost.cookieStore.toFixed(1)} µs`);
  console.log(`  jose EncryptJWT + jwtDecrypt         ${cost.jose.toFixed(1)} µs`);
  console.log(`  WebCrypto AES-GCM encrypt + decrypt  ${cost.webCrypto.toFixed(1)} µs`);
  console.log(`  node:crypto AES-GCM (comparison)     ${cost.nodeCrypto.toFixed(1)} µs`);
}
