import { Controller, Get, Header, Inject, Query, Req, UseGuards } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Request } from 'express';
import { JwtAuthGuard } from './auth/guards.js';
import { SessionService } from './auth/session.service.js';
import type { AppUser } from './auth/user.js';
import type { AppConfig, ProviderName } from './config.js';
import { homePage } from './views.js';

/** Fixed notices, picked by key: nothing from the URL is echoed. */
const NOTICES: Record<string, string> = {
  'kakao-deleted': 'Your account is deleted: the app is unlinked from your Kakao account, and you are signed out.',
  'naver-deleted': 'Your account is deleted: the app\'s Naver tokens are revoked, and you are signed out.',
  'logged-out': 'You are signed out of this app.',
};

/** What `/me` shows of the session: never the provider's tokens. */
export interface MeView {
  provider: ProviderName;
  id: string;
  displayName: string;
  scopes: string[] | undefined;
  accessTokenExpiresAt: string;
  refreshTokenExpiresAt: string | undefined;
  authTime: string | undefined;
}

const iso = (seconds: number | undefined) => (seconds === undefined ? undefined : new Date(seconds * 1000).toISOString());

@Controller()
export class HomeController {
  constructor(
    @Inject(SessionService) private readonly sessions: SessionService,
    @Inject(ConfigService) private readonly config: ConfigService<AppConfig, true>,
  ) {}

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  async home(@Req() req: Request, @Query('notice') notice: unknown): Promise<string> {
    const user = await this.sessions.read(req);
    return homePage({
      modes: { kakao: this.config.get('kakao', { infer: true }).mode, naver: this.config.get('naver', { infer: true }).mode },
      user,
      // Own keys only: `constructor` or `__proto__` must not reach the page.
      notice: typeof notice === 'string' && Object.hasOwn(NOTICES, notice) ? NOTICES[notice] : undefined,
    });
  }

  /** The signed-in user, from the app's JWT (401 JSON without one: this is the API's view). */
  @Get('me')
  @UseGuards(JwtAuthGuard)
  me(@Req() req: Request): MeView {
    const user: AppUser | undefined = req.user;
    if (!user) throw new Error('JwtAuthGuard sets req.user');
    return {
      provider: user.provider,
      id: user.id,
      displayName: user.displayName,
      scopes: user.scopes,
      accessTokenExpiresAt: new Date(user.tokens.expiresAt * 1000).toISOString(),
      refreshTokenExpiresAt: iso(user.refreshTokenExpiresAt),
      authTime: iso(user.authTime),
    };
  }
}
