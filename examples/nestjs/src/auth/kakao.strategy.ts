import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-kakao-ts';
import type { KakaoProfile, KakaoTokenResponse } from 'passport-kakao-ts';
import type { AppConfig } from '../config.js';
import { loginSettings } from './login-settings.js';
import { secondsFromNow } from './user.js';
import type { AppUser } from './user.js';

/**
 * Kakao Login as a NestJS strategy, registered with Passport as `'kakao'`. Settings come from `ConfigService`;
 * `passTokenResponse: true` makes `validate` receive Kakao's token response between the refresh token and the profile.
 */
@Injectable()
export class KakaoStrategy extends PassportStrategy(Strategy, 'kakao') {
  // `@Inject(ConfigService)` names the token explicitly, so DI works without decorator metadata (Vitest's transform).
  constructor(@Inject(ConfigService) config: ConfigService<AppConfig, true>) {
    const kakao = config.get('kakao', { infer: true });
    super({
      clientID: kakao.clientID,
      clientSecret: kakao.clientSecret,
      baseURL: kakao.baseURL,
      ...loginSettings(config, 'kakao'),
      oidc: kakao.oidc,
      timeout: config.get('providerTimeoutMs', { infer: true }),
      passTokenResponse: true,
    });
  }

  /** Runs after Kakao answered and the id_token (OIDC) was verified. It may throw: the callback's filter shows it. */
  async validate(accessToken: string, refreshToken: string, params: KakaoTokenResponse, profile: KakaoProfile): Promise<AppUser> {
    return {
      provider: 'kakao',
      id: profile.id,
      displayName: profile.displayName,
      scopes: params.scope ? params.scope.split(' ') : [],
      refreshTokenExpiresAt: params.refresh_token_expires_in === undefined ? undefined : secondsFromNow(params.refresh_token_expires_in),
      authTime: params.id_token_claims?.auth_time,
      tokens: { accessToken, refreshToken, expiresAt: secondsFromNow(params.expires_in) },
    };
  }
}
