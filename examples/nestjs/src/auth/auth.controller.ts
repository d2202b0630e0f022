import { Controller, Get, HttpStatus, Inject, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { KakaoAPIError, KakaoAuthClient, KakaoTokenError } from 'passport-kakao-ts';
import { NaverAuthClient, NaverTokenError } from 'passport-naver-ts';
import { JwtAuthGuard, KakaoLoginGuard, NaverLoginGuard, ReasonedException, SameOriginGuard } from './guards.js';
import { LoginFailureFilter } from './login-failure.filter.js';
import { SessionService } from './session.service.js';
import type { AppUser } from './user.js';

/** Access tokens this close to their expiry are refreshed before an unlink or a revoke. */
const EXPIRY_MARGIN_SECONDS = 60;

/**
 * The provider's word that the link is gone already: Kakao's -401 (token revoked or expired), -101 (user not linked to
 * the app) or KOE322 (refresh token revoked); Naver refusing the refresh token (`invalid_request` or `invalid_grant`,
 * B2: Naver documents no code of its own for it), but not its answer to wrong app credentials (B8), which says
 * nothing about the link. Anything else (an outage, `server_error`) leaves the session for another try.
 */
function linkIsGone(error: unknown): boolean {
  if (error instanceof KakaoAPIError) return error.apiCode === -401 || error.apiCode === -101;
  if (error instanceof KakaoTokenError) return error.errorCode === 'KOE322';
  if (error instanceof NaverTokenError) {
    return (error.error === 'invalid_request' || error.error === 'invalid_grant') && error.errorDescription !== NAVER_WRONG_CREDENTIALS;
  }
  return false;
}

/** Naver's description of a wrong client id or secret at its token endpoint (docs/providers/naver.md B8). */
const NAVER_WRONG_CREDENTIALS = 'wrong client id / client secret pair';

function signedInUser(req: Request): AppUser {
  if (!req.user) throw new ReasonedException(HttpStatus.UNAUTHORIZED, 'NOT_SIGNED_IN', 'You are not signed in (or your session expired).');
  return req.user;
}

@Controller()
@UseFilters(LoginFailureFilter)
export class AuthController {
  constructor(
    @Inject(SessionService) private readonly sessions: SessionService,
    @Inject(KakaoAuthClient) private readonly kakao: KakaoAuthClient,
    @Inject(NaverAuthClient) private readonly naver: NaverAuthClient,
  ) {}

  /** Redirects to Kakao; the guard's strategy answers, so the body never runs. */
  @Get('auth/kakao')
  @UseGuards(KakaoLoginGuard)
  kakaoLogin(): void {}

  /** Back from Kakao: the guard ran the strategy and `validate`; the app's session starts here. */
  @Get('auth/kakao/callback')
  @UseGuards(KakaoLoginGuard)
  async kakaoCallback(@Req() req: Request, @Res() res: Response): Promise<void> {
    await this.sessions.issue(res, signedInUser(req));
    res.redirect(303, '/');
  }

  @Get('auth/naver')
  @UseGuards(NaverLoginGuard)
  naverLogin(): void {}

  @Get('auth/naver/callback')
  @UseGuards(NaverLoginGuard)
  async naverCallback(@Req() req: Request, @Res() res: Response): Promise<void> {
    await this.sessions.issue(res, signedInUser(req));
    res.redirect(303, '/');
  }

  /**
   * Deletes the account's link to the provider: Kakao's unlink (consent and tokens gone) or Naver's revoke, with an
   * access token refreshed first when it has expired; then the app's cookie is cleared. A link the provider says is
   * gone already (the user unlinked there, or the tokens were revoked) counts as deleted; a provider that cannot be
   * reached leaves the session as it is, to try again.
   */
  @Post('account/delete')
  @UseGuards(SameOriginGuard, JwtAuthGuard)
  async deleteAccount(@Req() req: Request, @Res() res: Response): Promise<void> {
    const user = signedInUser(req);
    const fresh = user.tokens.expiresAt - EXPIRY_MARGIN_SECONDS > Date.now() / 1000;
    try {
      if (user.provider === 'kakao') {
        const accessToken = fresh ? user.tokens.accessToken : (await this.kakao.refresh(user.tokens.refreshToken)).accessToken;
        await this.kakao.unlink(accessToken);
      } else {
        const accessToken = fresh ? user.tokens.accessToken : (await this.naver.refresh(user.tokens.refreshToken)).accessToken;
        await this.naver.revoke(accessToken);
      }
    } catch (error) {
      if (!linkIsGone(error)) throw error;
    }
    this.sessions.clear(res);
    res.redirect(303, `/?notice=${user.provider}-deleted`);
  }

  /** Ends the app's session only (the provider's own login session is the provider's). */
  @Post('logout')
  @UseGuards(SameOriginGuard)
  logout(@Res() res: Response): void {
    this.sessions.clear(res);
    res.redirect(303, '/?notice=logged-out');
  }
}
