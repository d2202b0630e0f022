/**
 * Type-level tests of the public surface: `tsc -b` (run by `pnpm build`) fails if an expectation or a
 * `@ts-expect-error` stops holding; vitest runs the same file so the calls are exercised too.
 */
import type { Request } from 'express';
import passport from 'passport';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { PassportStrategy } from '@nestjs/passport';
import { CookieStateStore, Strategy } from '../src/index.js';
import type { KakaoAuthenticateOptions, KakaoProfile, KakaoTokenResponse, KakaoVerifyCallback } from '../src/index.js';

describe('public types', () => {
  it('types the 4- and 5-argument verify callbacks', () => {
    new Strategy({ clientID: 'k' }, (accessToken, refreshToken, profile, done) => {
      expectTypeOf(accessToken).toEqualTypeOf<string>();
      expectTypeOf(refreshToken).toEqualTypeOf<string>();
      expectTypeOf(profile).toEqualTypeOf<KakaoProfile>();
      expectTypeOf(done).toEqualTypeOf<KakaoVerifyCallback>();
    });
    new Strategy({ clientID: 'k' }, (_accessToken: string, _refreshToken: string, params: KakaoTokenResponse, profile: KakaoProfile, _done: KakaoVerifyCallback) => {
      expectTypeOf(params).toEqualTypeOf<KakaoTokenResponse>();
      expectTypeOf(params.expires_in).toEqualTypeOf<number>();
      expectTypeOf(params.id_token).toEqualTypeOf<string | undefined>();
      expectTypeOf(params.id_token_claims?.sub).toEqualTypeOf<string | undefined>();
      expectTypeOf(params.id_token_claims?.nonce).toEqualTypeOf<string | undefined>();
      expectTypeOf(profile.id).toEqualTypeOf<string>();
    });
  });

  it('infers every parameter of an unannotated callback in each form chosen with passTokenResponse', () => {
    new Strategy({ clientID: 'k', passTokenResponse: true }, (accessToken, refreshToken, params, profile, done) => {
      expectTypeOf(accessToken).toEqualTypeOf<string>();
      expectTypeOf(refreshToken).toEqualTypeOf<string>();
      expectTypeOf(params).toEqualTypeOf<KakaoTokenResponse>();
      expectTypeOf(params.refresh_token_expires_in).toEqualTypeOf<number | undefined>();
      expectTypeOf(profile).toEqualTypeOf<KakaoProfile>();
      expectTypeOf(done).toEqualTypeOf<KakaoVerifyCallback>();
    });
    new Strategy({ clientID: 'k', passReqToCallback: true, passTokenResponse: true }, (req, _a, _r, params, profile, _done) => {
      expectTypeOf(req).toEqualTypeOf<Request>();
      expectTypeOf(params).toEqualTypeOf<KakaoTokenResponse>();
      expectTypeOf(profile).toEqualTypeOf<KakaoProfile>();
    });
    new Strategy({ clientID: 'k', passTokenResponse: false }, (_a, _r, profile, _done) => {
      expectTypeOf(profile).toEqualTypeOf<KakaoProfile>();
    });
    // An async callback is accepted in every form.
    new Strategy({ clientID: 'k', passTokenResponse: true }, async (_a, _r, params) => {
      expectTypeOf(params.id_token_claims?.sub).toEqualTypeOf<string | undefined>();
    });
    // @ts-expect-error with passTokenResponse: true the third parameter is the token response, not the profile
    new Strategy({ clientID: 'k', passTokenResponse: true }, (_a: string, _r: string, _p: KakaoProfile, _d: KakaoVerifyCallback) => undefined);
  });

  it('type-checks a NestJS PassportStrategy subclass whose validate receives the token response', () => {
    class KakaoStrategy extends PassportStrategy(Strategy, 'kakao') {
      constructor() {
        super({ clientID: 'k', callbackURL: '/auth/kakao/callback', passTokenResponse: true, store: new CookieStateStore({ secret: 'x'.repeat(32) }) });
      }

      validate(accessToken: string, _refreshToken: string, params: KakaoTokenResponse, profile: KakaoProfile): { id: string; expiresIn: number; token: string } {
        return { id: profile.id, expiresIn: params.expires_in, token: accessToken };
      }
    }
    const strategy = new KakaoStrategy();
    expectTypeOf(strategy).toMatchTypeOf<Strategy>();
    expect(strategy.name).toBe('kakao');
  });

  it('types the request-first overload', () => {
    new Strategy({ clientID: 'k', passReqToCallback: true }, (req, _accessToken, _refreshToken, profile, _done) => {
      expectTypeOf(req).toEqualTypeOf<Request>();
      expectTypeOf(profile).toEqualTypeOf<KakaoProfile>();
    });
    new Strategy(
      { clientID: 'k', passReqToCallback: true },
      (_req: Request, _a: string, _r: string, params: KakaoTokenResponse, _p: KakaoProfile, _d: KakaoVerifyCallback) => {
        expectTypeOf(params.scope).toEqualTypeOf<string | undefined>();
      },
    );
  });

  it('rejects inconsistent or wrong options', () => {
    const verify4 = (_a: string, _r: string, _p: KakaoProfile, _d: KakaoVerifyCallback) => undefined;
    // @ts-expect-error clientID is required
    expect(() => new Strategy({}, verify4)).toThrow(TypeError);
    // @ts-expect-error timeout is a number of milliseconds
    expect(() => new Strategy({ clientID: 'k', timeout: '10s' }, verify4)).toThrow(TypeError);
    // @ts-expect-error passReqToCallback: true needs a verify that takes req first
    expectTypeOf(new Strategy({ clientID: 'k', passReqToCallback: true }, verify4)).toEqualTypeOf<Strategy>();
    // @ts-expect-error the 5-argument form's third parameter is the token response, not the profile
    new Strategy({ clientID: 'k' }, (_a: string, _r: string, _p: KakaoProfile, _q: KakaoProfile, _d: KakaoVerifyCallback) => undefined);
  });

  it('types per-request options and lets passport.authenticate accept them', () => {
    const options: KakaoAuthenticateOptions = { prompt: 'login,select_account', loginHint: 'a@b.c', serviceTerms: ['t'], scope: ['account_email'] };
    passport.authenticate('kakao', options);
    passport.authenticate('kakao', { loginHint: 'a@b.c', serviceTerms: 'terms' });
    // @ts-expect-error unknown prompt value
    const bad: KakaoAuthenticateOptions = { prompt: 'consent' };
    expectTypeOf(bad).toEqualTypeOf<KakaoAuthenticateOptions>();
  });

  it('keeps public types free of any', () => {
    expectTypeOf<KakaoProfile['_json']['id']>().toEqualTypeOf<number>();
    expectTypeOf<KakaoProfile['emails']>().toEqualTypeOf<Array<{ value: string; verified: boolean }> | undefined>();
  });
});
