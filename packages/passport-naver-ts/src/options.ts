import {
  assertOidcKeepsState,
  assertScopeSeparator,
  assertStrategyArguments,
  joinList,
  requireStringOption,
  resolveProfileFromIdToken,
  resolveTimeout,
  resolveVerifyForm,
  withOpenid,
} from '@passport-korea/internal';
import type { IdTokenVerifierOptions, ProviderStrategyConfig, ProviderStrategyOptions } from '@passport-korea/internal';
import { resolveNaverEndpoints } from './endpoints.js';
import { resolveNaverIdTokenChecks } from './oidc.js';
import { normalizeNaverTokenResponse } from './token-response.js';
import type { NaverStrategyOptionsAny } from './types.js';

export const STRATEGY = 'NaverStrategy';

/** Everything the strategy's constructor needs, checked and with defaults applied. */
export interface ResolvedNaverOptions {
  /** For passport-oauth2 (through the shared base class). */
  oauth2: ProviderStrategyOptions;
  config: ProviderStrategyConfig;
  /** OpenID Connect on for every login. */
  oidc: boolean;
  /** Build the profile from the id_token instead of `/v1/nid/me`. */
  profileFromIdToken: boolean;
  /** Refuse an id_token without the login's nonce. */
  requireNonce: boolean;
  /** `/v1/nid/me`. */
  profileURL: string;
  idTokens: IdTokenVerifierOptions;
}

/** Checks the options (a `TypeError` naming the option for anything wrong) and resolves every default. */
export function resolveNaverOptions(options: NaverStrategyOptionsAny, verify: unknown): ResolvedNaverOptions {
  assertStrategyArguments(options, verify, STRATEGY);
  const clientID = requireStringOption(options.clientID, 'clientID', STRATEGY);
  const clientSecret = requireStringOption(options.clientSecret, 'clientSecret', STRATEGY);
  const timeout = resolveTimeout(options.timeout, STRATEGY);
  assertScopeSeparator(options.scopeSeparator, ' ', STRATEGY, 'Naver reads the OpenID Connect scope separated by spaces');
  const profileFromIdToken = resolveProfileFromIdToken(options.profileFrom, options.oidc, STRATEGY);
  const oidc = options.oidc ?? profileFromIdToken;
  const endpoints = resolveNaverEndpoints(options, STRATEGY, oidc);
  // QUIRK (docs/providers/naver.md B1, B6.3; Naver Login API docs): `state` is required, and naver/passport-naver does not
  // set it by default. On unless the app turns it off.
  const state = options.store ? undefined : (options.state ?? true);
  assertOidcKeepsState(oidc, state, STRATEGY);
  // QUIRK (docs/providers/naver.md B5 ⚠): PKCE is documented only on the OIDC paths, so it is on by default only there.
  const pkce = options.pkce ?? oidc;
  if (!oidc && options.requireNonce === true) throw new TypeError(`${STRATEGY}: requireNonce needs OpenID Connect (oidc: true)`);
  // Without PKCE, the nonce is what ties Naver's answer to this login: then it is required unless the app says not.
  const requireNonce = oidc && (options.requireNonce ?? !pkce);
  const scope = options.scope === undefined ? undefined : joinList(options.scope, ' ');

  return {
    oauth2: {
      clientID,
      clientSecret,
      authorizationURL: endpoints.authorizationURL,
      tokenURL: endpoints.tokenURL,
      callbackURL: options.callbackURL,
      // QUIRK (docs/providers/naver.md B5): `scope=openid` is required on /oauth2/authorize. The legacy login takes no scope
      // (B6.7: the console chooses the fields), so the option is for OIDC only.
      scope: oidc ? withOpenid(scope).join(' ') : undefined,
      scopeSeparator: ' ',
      state,
      pkce,
      sessionKey: options.sessionKey ?? 'oauth2:nid.naver.com',
      store: options.store,
      skipUserProfile: profileFromIdToken || (options.skipUserProfile ?? false),
      proxy: options.proxy,
      agent: options.agent,
      customHeaders: options.customHeaders,
      insecureAllowLoginCSRF: options.insecureAllowLoginCSRF,
    },
    config: {
      provider: 'naver',
      owner: STRATEGY,
      timeout,
      loginTimeout: resolveTimeout(options.loginTimeout, STRATEGY, 'loginTimeout', timeout),
      verifyForm: resolveVerifyForm(options, verify as (...args: never[]) => unknown, STRATEGY),
      normalizeTokenResponse: normalizeNaverTokenResponse,
    },
    oidc,
    profileFromIdToken,
    requireNonce,
    profileURL: endpoints.profileURL,
    idTokens: resolveNaverIdTokenChecks(options, STRATEGY, { jwksURL: endpoints.jwksURL, audience: clientID, timeout }),
  };
}
