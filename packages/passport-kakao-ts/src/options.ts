import {
  assertOidcKeepsState,
  assertScopeSeparator,
  assertStrategyArguments,
  optionalStringOption,
  requireStringOption,
  resolveProfileFromIdToken,
  resolveTimeout,
  resolveVerifyForm,
  scopeList,
  withOpenid,
} from '@passport-korea/internal';
import type { IdTokenVerifierOptions, ProviderStrategyConfig, ProviderStrategyOptions } from '@passport-korea/internal';
import { resolveKakaoEndpoints } from './endpoints.js';
import { kakaoProfileURL } from './kapi.js';
import { resolveKakaoIdTokenChecks } from './oidc.js';
import type { KakaoStrategyOptionsAny } from './types.js';

export const STRATEGY = 'KakaoStrategy';

/**
 * The `scope` parameter as Kakao reads it, `openid` added with OIDC on; `undefined` when empty. A string is split on
 * spaces and commas like a list, so every form reaches Kakao alike.
 */
export function kakaoScope(scope: string | readonly string[] | undefined, oidc: boolean): string | undefined {
  const list = oidc ? withOpenid(scope) : scopeList(scope);
  // QUIRK (docs/providers/kakao.md A1, A7.6; Kakao REST API "Request authorization code"): scope ids are comma-separated.
  return list.length > 0 ? list.join(',') : undefined;
}

/** Everything the strategy's constructor needs, checked and with defaults applied. */
export interface ResolvedKakaoOptions {
  /** For passport-oauth2 (through the shared base class). */
  oauth2: ProviderStrategyOptions;
  config: ProviderStrategyConfig;
  /** OpenID Connect on for every login. */
  oidc: boolean;
  /** Build the profile from the id_token instead of `/v2/user/me`. */
  profileFromIdToken: boolean;
  /** `/v2/user/me`, with `secure_resource=true` unless turned off. */
  profileURL: string;
  idTokens: IdTokenVerifierOptions;
}


/** Checks the options (a `TypeError` naming the option for anything wrong) and resolves every default. */
export function resolveKakaoOptions(options: KakaoStrategyOptionsAny, verify: unknown): ResolvedKakaoOptions {
  assertStrategyArguments(options, verify, STRATEGY);
  const clientID = requireStringOption(options.clientID, 'clientID', STRATEGY);
  const clientSecret = optionalStringOption(options.clientSecret, 'clientSecret', STRATEGY);
  const timeout = resolveTimeout(options.timeout, STRATEGY);
  assertScopeSeparator(options.scopeSeparator, ',', STRATEGY, 'Kakao reads scope ids separated by commas');
  const loginTimeout = resolveTimeout(options.loginTimeout, STRATEGY, 'loginTimeout', timeout);
  const endpoints = resolveKakaoEndpoints(options, STRATEGY);
  const profileFromIdToken = resolveProfileFromIdToken(options.profileFrom, options.oidc, STRATEGY);
  const oidc = options.oidc ?? (profileFromIdToken || scopeList(options.scope).includes('openid'));
  const state = options.store ? undefined : (options.state ?? true);
  assertOidcKeepsState(oidc, state, STRATEGY);
  if (options.pkce === undefined && state === false) {
    throw new TypeError(`${STRATEGY}: PKCE is on by default and needs somewhere to keep its verifier; with state: false, say pkce: false too`);
  }

  return {
    oauth2: {
      clientID,
      // QUIRK (docs/providers/kakao.md A7.4; passport-kakao src/Strategy.ts): passport-kakao defaults this to the literal
      // 'kakao'. Kakao apps may have no secret; passing undefined makes the token exchange leave client_secret out.
      clientSecret: clientSecret as string,
      authorizationURL: endpoints.authorizationURL,
      tokenURL: endpoints.tokenURL,
      callbackURL: options.callbackURL,
      scope: kakaoScope(options.scope, oidc),
      scopeSeparator: ',',
      state,
      // Kakao's OIDC discovery lists code_challenge_methods_supported ["S256"] (docs/providers/kakao.md A1, A6).
      pkce: options.pkce ?? true,
      // passport-oauth2 derives the key from the authorize host; keep Kakao's own even when endpoints point elsewhere.
      sessionKey: options.sessionKey ?? 'oauth2:kauth.kakao.com',
      store: options.store,
      skipUserProfile: profileFromIdToken || (options.skipUserProfile ?? false),
      proxy: options.proxy,
      agent: options.agent,
      customHeaders: options.customHeaders,
      insecureAllowLoginCSRF: options.insecureAllowLoginCSRF,
    },
    config: {
      provider: 'kakao',
      owner: STRATEGY,
      timeout,
      loginTimeout,
      verifyForm: resolveVerifyForm(options, verify as (...args: never[]) => unknown, STRATEGY),
    },
    oidc,
    profileFromIdToken,
    profileURL: kakaoProfileURL(endpoints.profileURL, options.secureResource),
    idTokens: resolveKakaoIdTokenChecks(options, STRATEGY, { jwksURL: endpoints.jwksURL, audience: clientID, timeout }),
  };
}
