/**
 * Type-level tests of the public surface: `tsc -b` (run by `pnpm build`) fails if an expectation or a
 * `@ts-expect-error` stops holding; vitest runs the same file so the calls are exercised too.
 */
import type { Request } from 'express';
import passport from 'passport';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { PassportStrategy } from '@nestjs/passport';
import { CookieStateStore, Strategy } from '../src/index.js';
import type { NaverAuthenticateOptions, NaverIdTokenClaims, NaverProfile, NaverTokenResponse, NaverVerifyCallback } from '../src/index.js';

const credentials = { clientID: 'id', clientSecret: 'secret' };

describe('public types', () => {
  it('infers an unannotated callback with the token response when passTokenResponse is true', () => {
    new Strategy({ ...credentials, passTokenResponse: true }, (_a, _r, params, profile, done) => {
      expectTypeOf(params).toEqualTypeOf<NaverTokenResponse>();
      expectTypeOf(params.expires_in).toEqualTypeOf<number>();
      expectTypeOf(profile).toEqualTypeOf<NaverProfile>();
      expectTypeOf(done).toEqualTypeOf<NaverVerifyCallback>();
    });
    new Strategy({ ...credentials, passReqToCallback: true, passTokenResponse: true }, (req, _a, _r, params) => {
      expectTypeOf(req).toEqualTypeOf<Request>();
      expectTypeOf(params).toEqualTypeOf<NaverTokenResponse>();
    });
  });

  it('accepts a verify callback that takes profile: NaverProfile | undefined, as skipUserProfile: true calls it', () => {
    const strategy = new Strategy({ ...credentials, skipUserProfile: true, state: false }, (_a: string, _r: string, profile: NaverProfile | undefined, done: NaverVerifyCallback) => {
      done(null, { id: profile?.id ?? 'unknown' });
    });
    expect(strategy.name).toBe('naver');
  });

  it('types the OpenID Connect options and the verified claims in the token response', () => {
    new Strategy({ ...credentials, oidc: true, profileFrom: 'idToken', scope: ['profile'], requireNonce: true, passTokenResponse: true }, (_a, _r, params) => {
      expectTypeOf(params.id_token_claims).toEqualTypeOf<NaverIdTokenClaims | undefined>();
      expectTypeOf(params.id_token_claims!.sub).toEqualTypeOf<string>();
      expectTypeOf(params.id_token).toEqualTypeOf<string | undefined>();
    });
    // @ts-expect-error profileFrom takes 'userinfo' or 'idToken'
    expect(() => new Strategy({ ...credentials, profileFrom: 'claims' }, (_a, _r, p, d) => d(null, p))).toThrow(TypeError);
  });

  it('type-checks a NestJS PassportStrategy subclass whose validate receives the token response', () => {
    class NaverStrategy extends PassportStrategy(Strategy, 'naver') {
      constructor() {
        super({ ...credentials, callbackURL: '/auth/naver/callback', passTokenResponse: true, store: new CookieStateStore({ secret: 'y'.repeat(32) }) });
      }

      async validate(_accessToken: string, _refreshToken: string, params: NaverTokenResponse, profile: NaverProfile): Promise<{ id: string; expiresIn: number }> {
        return { id: profile.id, expiresIn: params.expires_in };
      }
    }
    expect(new NaverStrategy().name).toBe('naver');
  });

  it('types the verify callbacks', () => {
    new Strategy(credentials, (accessToken, refreshToken, profile, done) => {
      expectTypeOf(accessToken).toEqualTypeOf<string>();
      expectTypeOf(refreshToken).toEqualTypeOf<string>();
      expectTypeOf(profile).toEqualTypeOf<NaverProfile>();
      expectTypeOf(done).toEqualTypeOf<NaverVerifyCallback>();
    });
    new Strategy(credentials, (_a: string, _r: string, params: NaverTokenResponse, _p: NaverProfile, _d: NaverVerifyCallback) => {
      expectTypeOf(params.expires_in).toEqualTypeOf<number>();
    });
    new Strategy({ ...credentials, passReqToCallback: true }, (req, _a, _r, profile, _d) => {
      expectTypeOf(req).toEqualTypeOf<Request>();
      expectTypeOf(profile.gender).toEqualTypeOf<'F' | 'M' | 'U' | undefined>();
    });
  });

  it('rejects missing credentials and inconsistent options', () => {
    const verify4 = (_a: string, _r: string, _p: NaverProfile, _d: NaverVerifyCallback) => undefined;
    // @ts-expect-error clientSecret is required for Naver
    expect(() => new Strategy({ clientID: 'id' }, verify4)).toThrow(TypeError);
    // @ts-expect-error passReqToCallback: true needs a verify that takes req first
    expectTypeOf(new Strategy({ ...credentials, passReqToCallback: true }, verify4)).toEqualTypeOf<Strategy>();
  });

  it('types per-request options and lets passport.authenticate accept them', () => {
    passport.authenticate('naver', { authType: 'reprompt', failureRedirect: '/login' });
    // @ts-expect-error Naver's auth_type values are reprompt, reauthenticate and autologin
    const bad: NaverAuthenticateOptions = { authType: 'auto_login' };
    expectTypeOf(bad).toEqualTypeOf<NaverAuthenticateOptions>();
  });
});
