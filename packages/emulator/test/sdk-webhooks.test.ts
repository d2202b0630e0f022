/**
 * Issue 15's emulator part: SDK-style tokens (an "other" app for token substitution, id_tokens with the JavaScript or
 * native key as `aud`), and the providers' calls to the app when a person unlinks it or deletes their account.
 */
import { createDecipheriv, createHash, createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_KAKAO_CLIENT, DEFAULT_KAKAO_OTHER_CLIENT, DEFAULT_NAVER_CLIENT, DEFAULT_NAVER_OTHER_CLIENT, naverUserId, startEmulator } from '../src/index.js';
import type { Emulator } from '../src/index.js';
import { bearer, get, kakaoLogin, naverLogin, postForm } from './helpers.js';

/** An app's webhook endpoint: records each call and answers with `status`. */
interface Received { method: string; url: string; headers: Record<string, string | string[] | undefined>; body: string }
const received: Received[] = [];
let answer = 200;
const app = createServer((req, res) => {
  let body = '';
  req.on('data', (chunk: Buffer) => (body += chunk.toString()));
  req.on('end', () => {
    received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
    res.writeHead(answer).end();
  });
});
let appURL = '';
let emulator: Emulator;
beforeAll(async () => {
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  appURL = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
  emulator = await startEmulator({
    kakao: {
      clients: [
        { ...DEFAULT_KAKAO_CLIENT, webhook: { url: `${appURL}/kakao/unlink`, adminKey: 'admin-key-1' } },
        { ...DEFAULT_KAKAO_OTHER_CLIENT, webhook: { url: `${appURL}/kakao/other?x=1`, adminKey: 'admin-key-2', method: 'GET' } },
      ],
    },
    naver: { clients: [{ ...DEFAULT_NAVER_CLIENT, deauthorizeCallbackURL: `${appURL}/naver/deauthorize` }, DEFAULT_NAVER_OTHER_CLIENT] },
  });
});
afterAll(async () => {
  await emulator.close();
  app.closeAllConnections();
  await new Promise((resolve) => app.close(resolve));
});

describe('SDK-style tokens', () => {
  it('issues Kakao tokens to an app\'s JavaScript or native SDK: its lifetime, and an id_token with that key as aud', async () => {
    const js = await emulator.issueSDKTokens({ provider: 'kakao', user: 'kakao-full', platform: 'javascript', nonce: 'n1' });
    expect(js.expiresIn).toBe(7199);
    expect(decodeJwt(js.idToken!)).toMatchObject({ aud: 'emulator-kakao-javascript-key', sub: '4012345678', nonce: 'n1', iss: emulator.url });
    const native = await emulator.issueSDKTokens({ provider: 'kakao', user: 'kakao-full' });
    expect(native.expiresIn).toBe(43199);
    expect(decodeJwt(native.idToken!).aud).toBe('emulator-kakao-native-key');
    const info = (await (await get(emulator.kakao.tokenInfoURL, bearer(native.accessToken))).json()) as { app_id: number; expires_in: number };
    expect(info.app_id).toBe(100001);
    expect(info.expires_in).toBeGreaterThan(43190);
  });

  it('issues tokens of somebody else\'s app: Kakao reports its app_id, Naver a different pairwise id', async () => {
    const other = await emulator.issueSDKTokens({ provider: 'kakao', user: 'kakao-full', clientId: DEFAULT_KAKAO_OTHER_CLIENT.clientId, platform: 'javascript' });
    expect(decodeJwt(other.idToken!).aud).toBe('emulator-kakao-other-javascript-key');
    expect(((await (await get(emulator.kakao.tokenInfoURL, bearer(other.accessToken))).json()) as { app_id: number }).app_id).toBe(200001);
    // The profile API answers a token of any app, which is why the app must check app_id (A10).
    expect((await get(emulator.kakao.profileURL, bearer(other.accessToken))).status).toBe(200);
    const mine = await emulator.issueSDKTokens({ provider: 'naver', user: 'naver-full' });
    const theirs = await emulator.issueSDKTokens({ provider: 'naver', user: 'naver-full', clientId: DEFAULT_NAVER_OTHER_CLIENT.clientId });
    const id = async (token: string) => ((await (await get(emulator.naver.profileURL, bearer(token))).json()) as { response: { id: string } }).response.id;
    expect(await id(mine.accessToken)).toBe(naverUserId(DEFAULT_NAVER_CLIENT.clientId, emulator.users.naver[0]!));
    expect(await id(theirs.accessToken)).toBe(naverUserId(DEFAULT_NAVER_OTHER_CLIENT.clientId, emulator.users.naver[0]!));
    expect(await id(theirs.accessToken)).not.toBe(await id(mine.accessToken));
    await expect(emulator.issueSDKTokens({ provider: 'kakao', user: 'nobody' })).rejects.toThrow('Unknown Kakao test user "nobody"');
  });
});

describe('unlink webhooks', () => {
  it('calls Kakao\'s webhook with KakaoAK and app_id, user_id, referrer_type when a person unlinks the app, and revokes', async () => {
    received.length = 0;
    answer = 200;
    const { access_token } = await kakaoLogin(emulator, 'kakao-bigid');
    const deliveries = await emulator.unlinkApp('kakao', 'kakao-bigid', DEFAULT_KAKAO_CLIENT.clientId);
    expect(deliveries).toEqual([{ provider: 'kakao', clientId: DEFAULT_KAKAO_CLIENT.clientId, url: `${appURL}/kakao/unlink`, status: 200, delivered: true, error: undefined }]);
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ method: 'POST', url: '/kakao/unlink', body: 'app_id=100001&user_id=1376016924426111111&referrer_type=UNLINK_FROM_APPS' });
    expect(received[0]!.headers['authorization']).toBe('KakaoAK admin-key-1');
    expect((await get(emulator.kakao.profileURL, bearer(access_token))).status).toBe(401);
  });

  it('sends ACCOUNT_DELETE to every connected app, by GET where the app registered GET, and reports a non-200 as not delivered', async () => {
    received.length = 0;
    answer = 302;
    await emulator.issueSDKTokens({ provider: 'kakao', user: 'kakao-nickname' });
    await emulator.issueSDKTokens({ provider: 'kakao', user: 'kakao-nickname', clientId: DEFAULT_KAKAO_OTHER_CLIENT.clientId });
    const deliveries = await emulator.deleteAccount('kakao', 'kakao-nickname');
    expect(deliveries.map((d) => [d.clientId, d.status, d.delivered])).toEqual([
      [DEFAULT_KAKAO_CLIENT.clientId, 302, false],
      [DEFAULT_KAKAO_OTHER_CLIENT.clientId, 302, false],
    ]);
    const get = received.find((r) => r.method === 'GET')!;
    expect(get.url).toBe('/kakao/other?x=1&app_id=200001&user_id=3621318900&referrer_type=ACCOUNT_DELETE');
    expect(get.headers['authorization']).toBe('KakaoAK admin-key-2');
  });

  it('calls Naver\'s deauthorize URL with clientId, an encryptUniqueId that decrypts to the id, a timestamp and a valid signature', async () => {
    received.length = 0;
    answer = 204;
    const { access_token } = await naverLogin(emulator, 'naver-name');
    const deliveries = await emulator.unlinkApp('naver', 'naver-name');
    expect(deliveries.map((d) => [d.clientId, d.status, d.delivered])).toEqual([[DEFAULT_NAVER_CLIENT.clientId, 204, true]]);
    const fields = new URLSearchParams(received[0]!.body);
    expect([...fields.keys()]).toEqual(['clientId', 'encryptUniqueId', 'timestamp', 'signature']);
    expect(received[0]!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const key = createHash('md5').update(DEFAULT_NAVER_CLIENT.clientSecret).digest();
    const expected = createHmac('sha256', key).update(`clientId=${fields.get('clientId')}&encryptUniqueId=${fields.get('encryptUniqueId')}&timestamp=${fields.get('timestamp')}`).digest('base64url');
    expect(fields.get('signature')).toBe(expected);
    const raw = Buffer.from(fields.get('encryptUniqueId')!, 'base64url');
    const decipher = createDecipheriv('aes-128-cbc', key, raw.subarray(0, 16));
    const id = Buffer.concat([decipher.update(raw.subarray(16)), decipher.final()]).toString('utf8');
    expect(id).toBe(naverUserId(DEFAULT_NAVER_CLIENT.clientId, emulator.users.naver[1]!));
    expect(Math.abs(Number(fields.get('timestamp')) - Date.now() / 1000)).toBeLessThan(5);
    expect((await get(emulator.naver.profileURL, bearer(access_token))).status).toBe(401);
  });

  it('stamps Naver\'s timestamp with the real clock, whatever advanceTime did (the app checks it against its own)', async () => {
    const moved = await startEmulator({ naver: { clients: [{ ...DEFAULT_NAVER_CLIENT, deauthorizeCallbackURL: `${appURL}/naver/deauthorize` }] } });
    try {
      received.length = 0;
      answer = 204;
      await naverLogin(moved, 'naver-name');
      moved.advanceTime(3_600_000);
      await moved.unlinkApp('naver', 'naver-name');
      expect(Math.abs(Number(new URLSearchParams(received[0]!.body).get('timestamp')) - Date.now() / 1000)).toBeLessThan(5);
    } finally {
      await moved.close();
    }
  });

  it('offers Unlink and Delete account on its account page, and shows what the webhook answered', async () => {
    received.length = 0;
    answer = 200;
    await kakaoLogin(emulator, 'kakao-unverified');
    const page = await (await get(`${emulator.url}/__emulator/account?provider=kakao`)).text();
    expect(page).toContain(`data-testid="unlink-kakao-unverified-${DEFAULT_KAKAO_CLIENT.clientId}"`);
    expect(page).toContain('data-testid="delete-kakao-unverified"');
    expect(page).toContain(`(webhook ${appURL}/kakao/unlink)`);
    const after = await postForm(`${emulator.url}/__emulator/account`, { provider: 'kakao', user: 'kakao-unverified', client: DEFAULT_KAKAO_CLIENT.clientId, action: 'unlink' });
    expect(after.status).toBe(200);
    const html = await after.text();
    expect(html).toContain(`<div class="note" data-testid="result">kakao-unverified unlinked ${DEFAULT_KAKAO_CLIENT.clientId}.<ul><li>${DEFAULT_KAKAO_CLIENT.clientId} → ${appURL}/kakao/unlink: HTTP 200</li></ul></div>`);
    expect(received.map((r) => r.body)).toEqual(['app_id=100001&user_id=3621318901&referrer_type=UNLINK_FROM_APPS']);
    expect(html).not.toContain('data-testid="unlink-kakao-unverified-');
  });
});
