import type { ConfigService } from '@nestjs/config';
import { CookieStateStore } from 'passport-kakao-ts';
import type { AppConfig, ProviderName } from '../config.js';

/** What both strategies take from the settings: where the provider sends the browser back, and the login cookie store. */
export function loginSettings(config: ConfigService<AppConfig, true>, provider: ProviderName): { callbackURL: string; store: CookieStateStore } {
  const origin = config.get('publicOrigin', { infer: true });
  return {
    // With PUBLIC_ORIGIN, absolute (never built from the Host header); without, relative: resolved against the host the
    // browser used, so that the login cookie comes back with the callback.
    callbackURL: `${origin ?? ''}/auth/${provider}/callback`,
    // No express-session: the login's transaction (state, PKCE verifier, nonce) travels in a sealed cookie, `Secure`
    // whenever the app's own cookies are (and, by default, when the request or the callback URL is https).
    store: new CookieStateStore({ secret: config.get('loginCookieSecret', { infer: true }), ...(config.get('secureCookies', { infer: true }) ? { secure: true } : {}) }),
  };
}
