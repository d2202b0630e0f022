import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-naver-ts';
import type { NaverProfile, NaverTokenResponse } from 'passport-naver-ts';
import type { AppConfig } from '../config.js';
import { loginSettings } from './login-settings.js';
import { secondsFromNow } from './user.js';
import type { AppUser } from './user.js';

/** Naver Login as a NestJS strategy, registered with Passport as `'naver'`. */
@Injectable()
export class NaverStrategy extends PassportStrategy(Strategy, 'naver') {
  constructor(@Inject(ConfigService) config: ConfigService<AppConfig, true>) {
    const naver = config.get('naver', { infer: true });
    super({
      clientID: naver.clientID,
      clientSecret: naver.clientSecret ?? '',
      baseURL: naver.baseURL,
      ...loginSettings(config, 'naver'),
      timeout: config.get('providerTimeoutMs', { infer: true }),
      passTokenResponse: true,
    });
  }

  /** `params.expires_in` is a number here, although Naver sends a string. */
  async validate(accessToken: string, refreshToken: string, params: NaverTokenResponse, profile: NaverProfile): Promise<AppUser> {
    return {
      provider: 'naver',
      id: profile.id,
      displayName: profile.displayName,
      scopes: undefined,
      refreshTokenExpiresAt: undefined,
      authTime: undefined,
      tokens: { accessToken, refreshToken, expiresAt: secondsFromNow(params.expires_in) },
    };
  }
}
