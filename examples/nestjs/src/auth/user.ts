import type { ProviderName } from '../config.js';

/** The provider's tokens, kept sealed inside the app's session JWT (see session.service.ts); never sent to the page. */
export interface ProviderTokens {
  accessToken: string;
  refreshToken: string;
  /** When the access token expires, in seconds since the epoch. */
  expiresAt: number;
}

/** Who is signed in: what `validate()` returns after a login, and what the JWT guard puts on `req.user`. */
export interface AppUser {
  provider: ProviderName;
  /** The provider's user id (a decimal string for Kakao, exact above 2^53). */
  id: string;
  displayName: string;
  /** Kakao's granted consent items (`scope` of the token response); Naver has none. */
  scopes: string[] | undefined;
  /** When the refresh token expires (Kakao's `refresh_token_expires_in`), in seconds since the epoch. */
  refreshTokenExpiresAt: number | undefined;
  /** When the person last authenticated at Kakao (`auth_time` of the verified id_token, OIDC only). */
  authTime: number | undefined;
  tokens: ProviderTokens;
}

declare global {
  namespace Express {
    // Passport's `req.user` is this app's user.
    interface User extends AppUser {}
  }
}

/** Seconds since the epoch, `seconds` from now. */
export function secondsFromNow(seconds: number): number {
  return Math.floor(Date.now() / 1000) + seconds;
}
