import { optionalStringOption } from '@passport-korea/internal';

/** Kakao's OAuth host (authorize, token, account logout, OIDC). */
export const KAKAO_AUTH_ORIGIN = 'https://kauth.kakao.com';
/** Kakao's API host (user info, token info, logout, unlink). */
export const KAKAO_API_ORIGIN = 'https://kapi.kakao.com';

/** Endpoint options shared by the strategy and {@link KakaoAuthClient}. */
export interface KakaoEndpointOptions {
  /**
   * One origin that serves both Kakao hosts' paths (`/oauth/*` of kauth.kakao.com, `/v1/*` and `/v2/*` of
   * kapi.kakao.com), such as the local emulator. Explicit endpoint options win over it.
   */
  baseURL?: string | undefined;
  /** Default `https://kauth.kakao.com/oauth/authorize`. */
  authorizationURL?: string | undefined;
  /** Default `https://kauth.kakao.com/oauth/token`. */
  tokenURL?: string | undefined;
  /** Default `https://kapi.kakao.com/v2/user/me`. */
  profileURL?: string | undefined;
  /** Default `https://kapi.kakao.com/v1/user/access_token_info`. */
  tokenInfoURL?: string | undefined;
  /** Default `https://kapi.kakao.com/v1/user/logout`. */
  logoutURL?: string | undefined;
  /** Default `https://kapi.kakao.com/v1/user/unlink`. */
  unlinkURL?: string | undefined;
  /** Default `https://kauth.kakao.com/oauth/logout` (Kakao Account logout). */
  accountLogoutURL?: string | undefined;
  /** Kakao's OIDC keys. Default `https://kauth.kakao.com/.well-known/jwks.json`. */
  jwksURL?: string | undefined;
}

/** Every endpoint, resolved. */
export type KakaoEndpoints = { readonly [K in Exclude<keyof KakaoEndpointOptions, 'baseURL'>]-?: string };

/** Applies `baseURL` and the defaults, checking each given option is a non-empty string. */
export function resolveKakaoEndpoints(options: KakaoEndpointOptions, owner: string): KakaoEndpoints {
  const base = optionalStringOption(options.baseURL, 'baseURL', owner)?.replace(/\/+$/, '');
  const auth = base ?? KAKAO_AUTH_ORIGIN;
  const api = base ?? KAKAO_API_ORIGIN;
  const pick = (key: keyof KakaoEndpoints, fallback: string) => optionalStringOption(options[key], key, owner) ?? fallback;
  return {
    authorizationURL: pick('authorizationURL', `${auth}/oauth/authorize`),
    tokenURL: pick('tokenURL', `${auth}/oauth/token`),
    profileURL: pick('profileURL', `${api}/v2/user/me`),
    tokenInfoURL: pick('tokenInfoURL', `${api}/v1/user/access_token_info`),
    logoutURL: pick('logoutURL', `${api}/v1/user/logout`),
    unlinkURL: pick('unlinkURL', `${api}/v1/user/unlink`),
    accountLogoutURL: pick('accountLogoutURL', `${auth}/oauth/logout`),
    jwksURL: pick('jwksURL', `${auth}/.well-known/jwks.json`),
  };
}
