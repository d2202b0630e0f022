import type { Emulator } from '../src/index.js';

export const KAKAO_CALLBACK = 'http://localhost:3000/auth/kakao/callback';
export const NAVER_CALLBACK = 'http://localhost:3000/auth/naver/callback';

/** GET without following redirects. */
export function get(url: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { redirect: 'manual', headers });
}

/** POST a form without following redirects. */
export function postForm(url: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded;charset=utf-8', ...headers },
    body: new URLSearchParams(form).toString(),
  });
}

/** The Location of a 302, as a URL. */
export function location(response: Response): URL {
  if (response.status !== 302) throw new Error(`expected a redirect, got ${response.status}`);
  return new URL(response.headers.get('location')!);
}

/** Authorizes at Kakao (auto-approved as `user`) and returns the code. */
export async function kakaoCode(emulator: Emulator, user: string, extra: Record<string, string> = {}): Promise<string> {
  emulator.setAutoApprove({ kakao: user });
  const query = new URLSearchParams({ client_id: emulator.kakao.clientID, redirect_uri: KAKAO_CALLBACK, response_type: 'code', ...extra });
  const code = location(await get(`${emulator.kakao.authorizationURL}?${query}`)).searchParams.get('code');
  if (!code) throw new Error('no code');
  return code;
}

/** Exchanges a Kakao code; returns the response. */
export function kakaoToken(emulator: Emulator, code: string, extra: Record<string, string> = {}): Promise<Response> {
  return postForm(emulator.kakao.tokenURL, {
    grant_type: 'authorization_code',
    client_id: emulator.kakao.clientID,
    client_secret: emulator.kakao.clientSecret!,
    redirect_uri: KAKAO_CALLBACK,
    code,
    ...extra,
  });
}

/** A full Kakao login as `user`: the token response body. */
export async function kakaoLogin(emulator: Emulator, user: string, extra: Record<string, string> = {}): Promise<Record<string, unknown>> {
  const response = await kakaoToken(emulator, await kakaoCode(emulator, user, extra));
  if (response.status !== 200) throw new Error(`token: ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}

/** Authorizes at Naver (auto-approved as `user`) and returns the code and state. */
export async function naverCode(emulator: Emulator, user: string, state = 'naver-state'): Promise<string> {
  emulator.setAutoApprove({ naver: user });
  const query = new URLSearchParams({ client_id: emulator.naver.clientID, redirect_uri: NAVER_CALLBACK, response_type: 'code', state });
  const url = location(await get(`${emulator.naver.authorizationURL}?${query}`));
  return url.searchParams.get('code')!;
}

/** A full Naver login as `user`: the token response body. */
export async function naverLogin(emulator: Emulator, user: string): Promise<Record<string, string>> {
  const code = await naverCode(emulator, user);
  const response = await postForm(emulator.naver.tokenURL, {
    grant_type: 'authorization_code', client_id: emulator.naver.clientID, client_secret: emulator.naver.clientSecret, code, state: 'naver-state',
  });
  return (await response.json()) as Record<string, string>;
}

/** `Authorization: Bearer` for `token`. */
export const bearer = (token: unknown) => ({ Authorization: `Bearer ${String(token)}` });
