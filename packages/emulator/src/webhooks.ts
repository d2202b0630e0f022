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
  const fields = naverDeauthorizeFields(clientId, client.clientSecret, naverUserId(clientId, core.naver.users.get(userKey)!), Math.floor(Date.now() / 1000));
  return deliver('naver', clientId, client.deauthorizeCallbackURL, client.deauthorizeCallbackURL, {
    method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ ...fields }).toString(),
  }, (status) => status >= 200 && status < 300);
}

/** The four fields of Naver's deauthorize callback (B7). Exported for the emulator's tests. */
export function naverDeauthorizeFields(
  clientId: string,
  clientSecret: string,
  userId: string,
  timestamp: number,
  iv: Buffer = randomBytes(16),
): { clientId: string; encryptUniqueId: string; timestamp: string; signature: string } {
  const key = createHash('md5').update(clientSecret, 'utf8').digest().subarray(0, 16);
  const cipher = createCipheriv('aes-128-cbc', key, iv);
  const encryptUniqueId = Buffer.concat([iv, cipher.update(userId, 'utf8'), cipher.final()]).toString('base64url');
  const stamp = String(timestamp);
  const signature = createHmac('sha256', key).update(`clientId=${clientId}&encryptUniqueId=${encryptUniqueId}&timestamp=${stamp}`, 'utf8').digest('base64url');
  return { clientId, encryptUniqueId, timestamp: stamp, signature };
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
