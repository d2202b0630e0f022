import { optionalStringOption } from '@passport-korea/internal';

/** Naver's OAuth host (authorize, token, revoke). */
export const NAVER_AUTH_ORIGIN = 'https://nid.naver.com';
/** Naver's API host (profile, token check). */
export const NAVER_API_ORIGIN = 'https://openapi.naver.com';

/** Endpoint options shared by the strategy and {@link NaverAuthClient}. */
export interface NaverEndpointOptions {
  /**
   * One origin that serves both Naver hosts' paths (`/oauth2.0/*` of nid.naver.com and `/v1/nid/*` of
   * openapi.naver.com), such as the local emulator. Explicit endpoint options win over it.
   */
  baseURL?: string | undefined;
  /** Default `https://nid.naver.com/oauth2.0/authorize`. */
  authorizationURL?: string | undefined;
  /** Default `https://nid.naver.com/oauth2.0/token`. */
  tokenURL?: string | undefined;
  /** Default `https://openapi.naver.com/v1/nid/me`. */
  profileURL?: string | undefined;
  /** Default `https://nid.naver.com/oauth2.0/revoke`. */
  revokeURL?: string | undefined;
  /** Default `https://openapi.naver.com/v1/nid/verify`. */
  verifyURL?: string | undefined;
}

/** Every endpoint, resolved. */
export type NaverEndpoints = { readonly [K in Exclude<keyof NaverEndpointOptions, 'baseURL'>]-?: string };

/** Applies `baseURL` and the defaults, checking each given option is a non-empty string. */
export function resolveNaverEndpoints(options: NaverEndpointOptions, owner: string): NaverEndpoints {
  const base = optionalStringOption(options.baseURL, 'baseURL', owner)?.replace(/\/+$/, '');
  const auth = base ?? NAVER_AUTH_ORIGIN;
  const api = base ?? NAVER_API_ORIGIN;
  const pick = (key: keyof NaverEndpoints, fallback: string) => optionalStringOption(options[key], key, owner) ?? fallback;
  return {
    authorizationURL: pick('authorizationURL', `${auth}/oauth2.0/authorize`),
    tokenURL: pick('tokenURL', `${auth}/oauth2.0/token`),
    profileURL: pick('profileURL', `${api}/v1/nid/me`),
    revokeURL: pick('revokeURL', `${auth}/oauth2.0/revoke`),
    verifyURL: pick('verifyURL', `${api}/v1/nid/verify`),
  };
}
