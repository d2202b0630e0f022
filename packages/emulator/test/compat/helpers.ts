/** Shared by the compatibility suite: each client library logging in against the emulator as its users would. */
import type { Emulator } from '../../src/index.js';

/** The fetch of the platform, kept before any test replaces the global one. */
const realFetch = globalThis.fetch;

/** The real providers' hosts, which clients with hard-coded endpoints (arctic, Auth.js, passport-*) call. */
const PROVIDER_HOSTS = ['https://kauth.kakao.com', 'https://kapi.kakao.com', 'https://nid.naver.com', 'https://openapi.naver.com'];

/** `url` with a real provider's origin replaced by the emulator's. */
export function toEmulator(emulator: Emulator, url: string): string {
  for (const host of PROVIDER_HOSTS) if (url.startsWith(host)) return emulator.url + url.slice(host.length);
  return url;
}

/** A fetch that sends requests for the real providers to the emulator instead, recording each request and answer. */
export function emulatorFetch(emulator: Emulator, log: Array<{ url: string; request: Request; body: string }> = []): typeof fetch {
  return async (input, init) => {
    const original = new Request(input, init);
    const request = new Request(toEmulator(emulator, original.url), original);
    const response = await realFetch(request.clone());
    log.push({ url: request.url, request, body: await response.clone().text() });
    return response;
  };
}

/** Opens an authorization URL at the emulator (auto-approved) and returns where it sends the browser back. */
export async function authorizeAt(emulator: Emulator, url: URL | string): Promise<URL> {
  const response = await realFetch(toEmulator(emulator, url.toString()), { redirect: 'manual' });
  if (response.status !== 302) throw new Error(`authorize answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
  return new URL(response.headers.get('location')!);
}
