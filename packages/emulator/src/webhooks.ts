/**
 * The providers calling the app back when a person unlinks it or deletes their account: Kakao's unlink webhook
 * (docs/providers/kakao.md A9) and Naver's deauthorize callback (docs/providers/naver.md B7). Triggered from the emulator's account page and by
 * {@link Emulator.unlinkApp} / {@link Emulator.deleteAccount}.
 */
import { createCipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import type { EmulatorCore } from './core.js';
import { naverUserId } from './naver.js';

/** A9: why Kakao calls the webhook (the ones the emulator can trigger). */
export type KakaoReferrerType = 'UNLINK_FROM_APPS' | 'ACCOUNT_DELETE';

/** One call of an app's webhook, as it went. */
export interface WebhookDelivery {
  provider: 'kakao' | 'naver';
  clientId: string;
  url: string;
  /** The app's HTTP status; undefined when the call failed (`error`). */
  status: number | undefined;
  /** A9: only a 200 counts at Kakao (a 3xx is a failure); B7: Naver expects 204 (any 2xx counts here). */
  delivered: boolean;
  error: string | undefined;
}

/** A9: Kakao waits 3 seconds for the app. ⚠ B7 gives Naver's no timeout: the same here. */
const WEBHOOK_TIMEOUT_MS = 3000;

/**
 * A person unlinks `clientId` (or, with `reason: 'ACCOUNT_DELETE'`, every app they are connected to) at `provider`:
 * their tokens and consent for the app go, and each app's registered webhook is called.
 */
export async function unlinkByPerson(
  core: EmulatorCore,
  provider: 'kakao' | 'naver',
  userKey: string,
  clientId: string | undefined,
  reason: KakaoReferrerType,
): Promise<WebhookDelivery[]> {
  const state = provider === 'kakao' ? core.kakao : core.naver;
  if (!state.users.has(userKey)) throw new TypeError(`Unknown ${provider === 'kakao' ? 'Kakao' : 'Naver'} test user "${userKey}"; the test users are ${[...state.users.keys()].join(', ')}`);
  if (clientId !== undefined && !state.clients.has(clientId)) throw new TypeError(`Unknown ${provider === 'kakao' ? 'Kakao' : 'Naver'} app ${clientId}`);
  const connected = [...state.clients.keys()].filter((id) => state.grants.has(state.grantKey(id, userKey)));
  const targets = clientId !== undefined ? [clientId] : connected;
  const deliveries: Array<Promise<WebhookDelivery | undefined>> = [];
  for (const id of targets) {
    state.revokeAll(id, userKey);
    deliveries.push(provider === 'kakao' ? callKakao(core, id, userKey, reason) : callNaver(core, id, userKey));
  }
  return (await Promise.all(deliveries)).filter((d): d is WebhookDelivery => d !== undefined);
}

/** A9: `Authorization: KakaoAK {admin key}`, `app_id`, `user_id`, `referrer_type`, in a form body (POST) or the query. */
async function callKakao(core: EmulatorCore, clientId: string, userKey: string, reason: KakaoReferrerType): Promise<WebhookDelivery | undefined> {
  const client = core.kakao.clients.get(clientId)!;
  if (!client.webhook) return undefined;
  const params = new URLSearchParams({ app_id: String(client.appId ?? 0), user_id: core.kakao.users.get(userKey)!.id, referrer_type: reason });
  const method = client.webhook.method ?? 'POST';
  const url = method === 'GET' ? `${client.webhook.url}${client.webhook.url.includes('?') ? '&' : '?'}${params}` : client.webhook.url;
  const headers: Record<string, string> = { Authorization: `KakaoAK ${client.webhook.adminKey}` };
  if (method === 'POST') headers['Content-Type'] = 'application/x-www-form-urlencoded;charset=utf-8';
  // A9: only a 200 counts as delivered.
  return deliver('kakao', clientId, client.webhook.url, url, { method, headers, ...(method === 'POST' ? { body: params.toString() } : {}) }, (status) => status === 200);
}

/**
 * B7: a form POST of `clientId`, `encryptUniqueId` (URL-safe base64 of IV ‖ AES-128-CBC of the user's `/v1/nid/me` id),
 * `timestamp` (epoch seconds) and `signature` (URL-safe base64 of HMAC-SHA256 over
 * `clientId=…&encryptUniqueId=…&timestamp=…`), keyed with the first 16 bytes of MD5(client secret). MD5, CBC and the
 * key derivation are Naver's construction, fixed by Naver. The timestamp is the real clock's, not emulator time: the
 * app checks it against its own clock, which `advanceTime` does not move, so a moved emulator clock would make every
 * delivery look stale or from the future.
 */
async function callNaver(core: EmulatorCore, clientId: string, userKey: string): Promise<WebhookDelivery | undefined> {
  const client = core.naver.clients.get(clientId)!;
  if (!client.deauthorizeCallbackURL) return undefined;
  const fields = signNaverDeauthorizeCallback({ clientID: clientId, clientSecret: client.clientSecret, userId: naverUserId(clientId, core.naver.users.get(userKey)!) });
  return deliver('naver', clientId, client.deauthorizeCallbackURL, client.deauthorizeCallbackURL, {
    method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ ...fields }).toString(),
  }, (status) => status >= 200 && status < 300);
}

/** Input of {@link signNaverDeauthorizeCallback}: the app's credentials, as the strategy takes them, and the user. */
export interface NaverDeauthorizeSignInput {
  clientID: string;
  clientSecret: string;
  /** The user's Naver id to encrypt. */
  userId: string;
  /** When the callback is sent: a `Date` or epoch **seconds**. Default now. */
  timestamp?: Date | number | undefined;
  /** The 16-byte IV; default random. Give one only for known-answer tests. */
  iv?: Uint8Array | undefined;
}

/** The four fields of a deauthorize callback, as Naver sends them (form-encode them: `new URLSearchParams({ ...fields })`). */
export interface NaverDeauthorizeFields {
  clientId: string;
  encryptUniqueId: string;
  /** Epoch seconds, as a decimal string. */
  timestamp: string;
  signature: string;
}

/**
 * Signs a Naver deauthorize callback (B7) as Naver does: the key is the MD5 of the client secret (16 bytes), the user
 * id is AES-128-CBC encrypted under it with a random IV (IV first, base64url), and `signature` is the HMAC-SHA256 of
 * `clientId=…&encryptUniqueId=…&timestamp=…`. The emulator's own deliveries use it; so can an app's tests, of any
 * stack, to send a forged or stale callback at its handler.
 *
 * @example
 * ```ts
 * const fields = signNaverDeauthorizeCallback({ clientID, clientSecret, userId: 'abc123' });
 * await fetch(callbackURL, { method: 'POST', body: new URLSearchParams({ ...fields }) });
 * ```
 */
export function signNaverDeauthorizeCallback(input: NaverDeauthorizeSignInput): NaverDeauthorizeFields {
  const owner = 'signNaverDeauthorizeCallback';
  if (typeof input !== 'object' || input === null) throw new TypeError(`${owner} requires an input object`);
  const text = (value: unknown, name: string): string => {
    if (typeof value !== 'string' || value.length === 0) throw new TypeError(`${owner} requires ${name} (a non-empty string)`);
    return value;
  };
  const clientId = text(input.clientID, 'clientID');
  const key = createHash('md5').update(text(input.clientSecret, 'clientSecret'), 'utf8').digest().subarray(0, 16);
  const userId = text(input.userId, 'userId');
  const iv = input.iv ?? randomBytes(16);
  if (!(iv instanceof Uint8Array) || iv.byteLength !== 16) throw new TypeError(`${owner}: the iv must be 16 bytes`);
  const seconds = input.timestamp === undefined ? Math.floor(Date.now() / 1000) : input.timestamp instanceof Date ? Math.floor(input.timestamp.getTime() / 1000) : input.timestamp;
  if (!Number.isSafeInteger(seconds) || seconds < 0) throw new TypeError(`${owner}: the timestamp must be a Date or whole epoch seconds`);
  const cipher = createCipheriv('aes-128-cbc', key, iv);
  const encryptUniqueId = Buffer.concat([iv, cipher.update(userId, 'utf8'), cipher.final()]).toString('base64url');
  const timestamp = String(seconds);
  const signature = createHmac('sha256', key).update(`clientId=${clientId}&encryptUniqueId=${encryptUniqueId}&timestamp=${timestamp}`, 'utf8').digest('base64url');
  return { clientId, encryptUniqueId, timestamp, signature };
}

async function deliver(
  provider: 'kakao' | 'naver',
  clientId: string,
  registered: string,
  url: string,
  init: RequestInit,
  ok: (status: number) => boolean,
): Promise<WebhookDelivery> {
  try {
    const response = await fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS) });
    await response.body?.cancel();
    return { provider, clientId, url: registered, status: response.status, delivered: ok(response.status), error: undefined };
  } catch (error) {
    return { provider, clientId, url: registered, status: undefined, delivered: false, error: (error as Error).message };
  }
}
