import { cpuPerCall } from './dist/src/store-cost.js';
import { CookieStateStore } from 'passport-kakao-ts';
const META = { authorizationURL: 'http://127.0.0.1:40000/oauth/authorize', tokenURL: 'http://127.0.0.1:40000/oauth/token', clientID: 'kakao-bench-client-id', callbackURL: 'http://127.0.0.1:40001/auth/kakao/callback' };
function response(headers) { const res = { getHeader: (n) => headers[n.toLowerCase()], setHeader: (n, v) => { headers[n.toLowerCase()] = typeof v === 'object' ? [...v] : String(v); return res; } }; return res; }
const store = new CookieStateStore({ secret: 'x'.repeat(40) });
const verifier = 'v'.repeat(43);
const work = () => new Promise((resolve, reject) => { const started = {}; store.store({ headers: {}, res: response(started) }, verifier, undefined, META, (e, h) => { const cookie = String(started['set-cookie'][0]).split(';')[0]; store.verify({ headers: { cookie }, res: response({}) }, h, META, (err, ok) => err || ok !== verifier ? reject(err ?? new Error('x')) : resolve()); }); });
console.log((await cpuPerCall(work, 60000)).toFixed(1));
