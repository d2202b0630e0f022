/**
 * The cookie store's cost per login in instructions, which valgrind counts the same on every run (CPU time on this
 * machine's shared cores varies by ±30 % between rounds). One mode per run, the work sequential:
 *
 *   for mode in none store jose; do
 *     valgrind --tool=callgrind --callgrind-out-file=/dev/null node store-instructions.mjs $mode 2000 2>&1 | grep Collected
 *   done
 *
 * Per login: (store − none) / 2000 is CookieStateStore's store + verify, (jose − none) / 2000 is jose's EncryptJWT +
 * jwtDecrypt of the same claims, and their difference the store's own cost above jose. Run after `pnpm build`.
 * Figures are printed by valgrind, never asserted.
 */
const [mode, countText] = process.argv.slice(2);
const count = Number(countText);
const { CookieStateStore } = await import('passport-kakao-ts');
const { EncryptJWT, jwtDecrypt } = await import('jose');
const { webcrypto, randomBytes } = await import('node:crypto');
const META = { authorizationURL: 'http://127.0.0.1:40000/oauth/authorize', tokenURL: 'http://127.0.0.1:40000/oauth/token', clientID: 'kakao-bench-client-id', callbackURL: 'http://127.0.0.1:40001/auth/kakao/callback' };
function response(headers) { const res = { getHeader: (n) => headers[n.toLowerCase()], setHeader: (n, v) => { headers[n.toLowerCase()] = typeof v === 'object' ? [...v] : String(v); return res; } }; return res; }
const store = new CookieStateStore({ secret: 'bench-login-cookie-secret-0123456789abcdef' });
const verifier = randomBytes(32).toString('base64url');
const storeWork = () => new Promise((resolve, reject) => { const started = {}; store.store({ headers: {}, url: '/auth/kakao', res: response(started) }, verifier, undefined, META, (e, h) => { if (e) return reject(e); const cookie = String(started['set-cookie'][0]).split(';')[0]; store.verify({ headers: { cookie }, res: response({}) }, h, META, (err, ok) => err || ok !== verifier ? reject(err ?? new Error('x')) : resolve()); }); });
const key = await webcrypto.subtle.importKey('raw', randomBytes(32), 'AES-GCM', false, ['encrypt', 'decrypt']);
const claims = { h: randomBytes(24).toString('base64url'), b: `${META.clientID} ${META.authorizationURL} ${META.callbackURL}`, v: verifier };
const options = { keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: ['A256GCM'], requiredClaims: ['exp'] };
const joseWork = async () => { const s = await new EncryptJWT(claims).setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid: 'bench' }).setIssuedAt().setExpirationTime('600s').encrypt(key); await jwtDecrypt(s, key, options); };
const work = mode === 'store' ? storeWork : mode === 'jose' ? joseWork : async () => {};
for (let i = 0; i < 50; i += 1) { await storeWork(); await joseWork(); }
for (let i = 0; i < count; i += 1) await work();
