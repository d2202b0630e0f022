import { randomFillSync } from 'node:crypto';

/**
 * Bytes of the pool {@link randomToken} draws from: 4 KiB, about 50 logins' state handles, PKCE verifiers and nonces.
 */
const POOL_BYTES = 4096;

const pool = Buffer.alloc(POOL_BYTES);
let next = POOL_BYTES;

/**
 * `bytes` random bytes from the system CSPRNG, base64url: a login's state handle, PKCE verifier or nonce.
 *
 * The bytes come from a pool that one `randomFillSync` call fills, as Node's own `randomUUID` batches its randomness:
 * each `randomBytes` call costs a trip through OpenSSL, which on Node 20 (OpenSSL 3) took 2 µs alone and about 8 µs
 * per call beside the WebCrypto work of a login (`pnpm bench`, `CookieStateStore`). Bytes handed out are zeroed in the
 * pool, so that a token does not stay in memory after its login; the bytes not yet used are there until they are.
 */
export function randomToken(bytes: number): string {
  if (!Number.isInteger(bytes) || bytes <= 0 || bytes > POOL_BYTES) throw new RangeError(`randomToken takes 1 to ${POOL_BYTES} bytes`);
  if (next + bytes > POOL_BYTES) {
    randomFillSync(pool);
    next = 0;
  }
  const token = pool.toString('base64url', next, next + bytes);
  pool.fill(0, next, next + bytes);
  next += bytes;
  return token;
}
