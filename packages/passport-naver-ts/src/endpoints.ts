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
  /** Default `https://nid.naver.com/oauth2.0/authorize`; with `oidc`, `https://nid.naver.com/oauth2/authorize`. */
  authorizationURL?: string | undefined;
  /** Default `https://nid.naver.com/oauth2.0/token`; with `oidc`, `https://nid.naver.com/oauth2/token`. */
  tokenURL?: string | undefined;
  /** Default `https://openapi.naver.com/v1/nid/me`. */
  profileURL?: string | undefined;
  /** Default `https://nid.naver.com/oauth2.0/revoke`. */
  revokeURL?: string | undefined;
  /** Default `https://openapi.naver.com/v1/nid/verify`. */
  verifyURL?: string | undefined;
  /** Naver's id_token signing keys (OpenID Connect). Default `https://nid.naver.com/oauth2/jwks`. */
  jwksURL?: string | undefined;
}

/** Every endpoint, resolved. */
export type NaverEndpoints = { readonly [K in Exclude<keyof NaverEndpointOptions, 'baseURL'>]-?: string };

/**
 * Applies `baseURL` and the defaults, checking each given option is a non-empty string.
 * @param oidc - OpenID Connect: authorize and token on the `/oauth2/*` paths.
 */
export function resolveNaverEndpoints(options: NaverEndpointOptions, owner: string, oidc = false): NaverEndpoints {
  const base = optionalStringOption(options.baseURL, 'baseURL', owner)?.replace(/\/+$/, '');
  const auth = base ?? NAVER_AUTH_ORIGIN;
  const api = base ?? NAVER_API_ORIGIN;
  const pick = (key: keyof NaverEndpoints, fallback: string) => optionalStringOption(options[key], key, owner) ?? fallback;
  // QUIRK (docs/providers/naver.md B5): OpenID Connect has paths of its own, `/oauth2/*` beside the legacy `/oauth2.0/*`;
  // only they take PKCE and answer an id_token. Revoke and the profile stay where they are.
  const flow = oidc ? 'oauth2' : 'oauth2.0';
  return {
    authorizationURL: pick('authorizationURL', `${auth}/${flow}/authorize`),
    tokenURL: pick('tokenURL', `${auth}/${flow}/token`),
    profileURL: pick('profileURL', `${api}/v1/nid/me`),
    revokeURL: pick('revokeURL', `${auth}/oauth2.0/revoke`),
    verifyURL: pick('verifyURL', `${api}/v1/nid/verify`),
    jwksURL: pick('jwksURL', `${auth}/oauth2/jwks`),
  };
}
