import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { KakaoAuthClient } from 'passport-kakao-ts';
import { NaverAuthClient } from 'passport-naver-ts';
import { AuthController } from './auth/auth.controller.js';
import { JwtAuthGuard } from './auth/guards.js';
import { KakaoStrategy } from './auth/kakao.strategy.js';
import { NaverStrategy } from './auth/naver.strategy.js';
import { SessionService } from './auth/session.service.js';
import type { AppConfig } from './config.js';
import { HomeController } from './home.controller.js';

/** The app. `register(config)` takes the configuration built by `configFromEnv` (see main.ts and the tests). */
@Module({})
export class AppModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        // The settings come in as one typed object; `skipProcessEnv` keeps ConfigService from reading process.env.
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, skipProcessEnv: true, load: [() => ({ ...config })] }),
        PassportModule.register({ session: false }),
        JwtModule.registerAsync({
          inject: [ConfigService],
          useFactory: (settings: ConfigService<AppConfig, true>) => ({
            secret: settings.get('jwtSecret', { infer: true }),
            signOptions: { algorithm: 'HS256' },
            verifyOptions: { algorithms: ['HS256'] },
          }),
        }),
      ],
      controllers: [HomeController, AuthController],
      providers: [
        KakaoStrategy,
        NaverStrategy,
        SessionService,
        JwtAuthGuard,
        {
          provide: KakaoAuthClient,
          inject: [ConfigService],
          useFactory: (settings: ConfigService<AppConfig, true>) => {
            const kakao = settings.get('kakao', { infer: true });
            return new KakaoAuthClient({ clientID: kakao.clientID, clientSecret: kakao.clientSecret, baseURL: kakao.baseURL, timeout: settings.get('providerTimeoutMs', { infer: true }) });
          },
        },
        {
          provide: NaverAuthClient,
          inject: [ConfigService],
          useFactory: (settings: ConfigService<AppConfig, true>) => {
            const naver = settings.get('naver', { infer: true });
            return new NaverAuthClient({ clientID: naver.clientID, clientSecret: naver.clientSecret ?? '', baseURL: naver.baseURL, timeout: settings.get('providerTimeoutMs', { infer: true }) });
          },
        },
      ],
    };
  }
}
