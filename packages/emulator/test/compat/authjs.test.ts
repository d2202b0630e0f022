/**
 * @auth/core (Auth.js): its Kakao and Naver providers as shipped, the whole sign-in through Auth() (CSRF token, sign-in
 * POST, provider redirect, callback), the providers' hosts rewritten to the emulator by a fetch wrapper.
 */
import { Auth } from '@auth/core';
import type { AuthConfig } from '@auth/core';
import Kakao from '@auth/core/providers/kakao';
import Naver from '@auth/core/providers/naver';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_KAKAO_CLIENT, DEFAULT_NAVER_CLIENT, naverUserId, startEmulator } from '../../src/index.js';
import type { Emulator } from '../../src/index.js';
import { authorizeAt, emulatorFetch } from './helpers.js';

const APP = 'http://localhost:3000';
let emulator: Emulator;
const requests: Array<{ url: string; request: Request; body: string }> = [];
beforeAll(async () => {
  emulator = await startEmulator({
    autoApprove: { kakao: 'kakao-full', naver: 'naver-full' },
    kakao: { clients: [{ ...DEFAULT_KAKAO_CLIENT, redirectUris: [`${APP}/auth/callback/kakao`] }] },
    naver: { clients: [{ ...DEFAULT_NAVER_CLIENT, redirectUris: [`${APP}/auth/callback/naver`] }] },
  });
  vi.stubGlobal('fetch', emulatorFetch(emulator, requests));
  // Auth.js logs the refused Naver sign-in below as an error; expected here.
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterAll(async () => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  await emulator.close();
});

/** Signs in with `provider` through Auth() as a browser would; returns the final response and the profile Auth.js made. */
async function signIn(provider: 'kakao' | 'naver', config: Partial<AuthConfig> = {}) {
  let user: unknown;
  const auth: AuthConfig = {
    providers: [
      provider === 'kakao'
        ? Kakao({ clientId: emulator.kakao.clientID, clientSecret: emulator.kakao.clientSecret! })
        : Naver({ clientId: emulator.naver.clientID, clientSecret: emulator.naver.clientSecret }),
    ],
    secret: 'compat-suite-secret-compat-suite-secret',
    trustHost: true,
    basePath: '/auth',
    callbacks: {
      jwt({ token, user: signedIn, account }) {
        // Without a database adapter Auth.js gives the user a random id; the provider's id is the account's.
        if (signedIn) user = { name: signedIn.name, email: signedIn.email, image: signedIn.image, providerAccountId: account?.providerAccountId };
        return token;
      },
    },
    ...config,
  };
  const cookies = new Map<string, string>();
  const remember = (response: Response) => {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const index = pair!.indexOf('=');
      cookies.set(pair!.slice(0, index), pair!.slice(index + 1));
    }
    return response;
  };
  const cookie = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const csrf = remember(await Auth(new Request(`${APP}/auth/csrf`), auth));
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const start = remember(await Auth(new Request(`${APP}/auth/signin/${provider}`, {
    method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookie() }, body: new URLSearchParams({ csrfToken }),
  }), auth));
  const authorize = new URL(start.headers.get('location')!);
  const back = await authorizeAt(emulator, authorize);
  const done = remember(await Auth(new Request(back, { headers: { Cookie: cookie() } }), auth));
  return { authorize, back, done, user, cookies };
}

describe('@auth/core × Kakao', () => {
  it('signs in with the provider as shipped (client_secret_post, PKCE) and maps the profile', async () => {
    const { authorize, done, user, cookies } = await signIn('kakao');
    expect(authorize.origin + authorize.pathname).toBe('https://kauth.kakao.com/oauth/authorize');
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(done.status).toBe(302);
    expect(done.headers.get('location')).toBe(APP);
    expect([...cookies.keys()]).toContain('authjs.session-token');
    expect(user).toEqual({
      providerAccountId: '4012345678', name: '홍길동', email: 'gildong@kakao.example', image: `${emulator.url}/__emulator/avatar/kakao-full.svg?size=640`,
    });
  });
});

describe('@auth/core × Naver', () => {
  it('signs in as shipped, with no state (checks: pkce only), which real Naver accepts though its guide requires it (B1 ⚠)', async () => {
    requests.length = 0;
    const { authorize, back, done, user } = await signIn('naver');
    expect(authorize.searchParams.has('state')).toBe(false);
    expect([...back.searchParams.keys()]).toEqual(['code']);
    expect(done.headers.get('location')).toBe(APP);
    expect(user).toMatchObject({ providerAccountId: naverUserId(emulator.naver.clientID, emulator.users.naver[0]!), name: 'OpenAPI' });
    // The quirk it lives with: expires_in comes as a string (B2, B6.4).
    const token = requests.find((r) => r.url === emulator.naver.tokenURL)!;
    expect(JSON.parse(token.body).expires_in).toBe('3600');
  });

  it('signs in with checks: [\'state\'] (HTTP Basic client auth, accepted ⚠; string expires_in parsed) and maps the profile', async () => {
    requests.length = 0;
    const { done, user } = await signIn('naver', {
      providers: [Naver({ clientId: emulator.naver.clientID, clientSecret: emulator.naver.clientSecret, checks: ['state'] })],
    });
    expect(done.headers.get('location')).toBe(APP);
    expect(user).toEqual({
      providerAccountId: naverUserId(emulator.naver.clientID, emulator.users.naver[0]!), name: 'OpenAPI', email: 'openapi@naver.example',
      image: `${emulator.url}/__emulator/avatar/naver-full.svg`,
    });
    const token = requests.find((r) => r.url === emulator.naver.tokenURL)!;
    expect(token.request.headers.get('authorization')).toMatch(/^Basic /);
    expect(JSON.parse(token.body).expires_in).toBe('3600');
  });
});
