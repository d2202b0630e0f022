import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { Request } from 'express';
import type { KakaoAuthenticateOptions, KakaoPrompt } from 'passport-kakao-ts';
import type { NaverAuthenticateOptions } from 'passport-naver-ts';
import type { AppConfig } from '../config.js';
import { SessionService } from './session.service.js';

/** An HTTP error with a stable reason code for the failure page (see LoginFailureFilter). */
export class ReasonedException extends HttpException {
  constructor(
    status: number,
    readonly reason: string,
    message: string,
  ) {
    super(message, status);
  }
}

/** No `req.session`, no `req.logIn`: the app keeps the user in its own JWT. */
type NoSession = { session: false };

const KAKAO_PROMPTS: ReadonlySet<string> = new Set<KakaoPrompt>(['login', 'none', 'create', 'select_account']);

function isKakaoPrompt(value: unknown): value is KakaoPrompt {
  return typeof value === 'string' && KAKAO_PROMPTS.has(value);
}

/** Service terms tags from the query: letters, digits, `_` and `-`, comma-separated; anything else is ignored. */
function serviceTermsFrom(value: unknown): string[] | undefined {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{1,64}(,[A-Za-z0-9_-]{1,64}){0,19}$/.test(value) ? value.split(',') : undefined;
}

/**
 * Starts and completes Kakao logins. Per-request options from the query of `/auth/kakao`, allow-listed:
 * `?prompt=login` (ask for the password again; also `none`, `create`, `select_account`) and `?service_terms=a,b`
 * (Kakao Sync). No session: the strategy's `store` keeps the login, the app's JWT keeps the user.
 */
@Injectable()
export class KakaoLoginGuard extends AuthGuard('kakao') {
  override getAuthenticateOptions(context: ExecutionContext): KakaoAuthenticateOptions & NoSession {
    const { query } = context.switchToHttp().getRequest<Request>();
    const options: KakaoAuthenticateOptions & NoSession = { session: false };
    if (isKakaoPrompt(query['prompt'])) options.prompt = query['prompt'];
    const serviceTerms = serviceTermsFrom(query['service_terms']);
    if (serviceTerms) options.serviceTerms = serviceTerms;
    return options;
  }
}

/**
 * Starts and completes Naver logins. `?auth_type=reprompt` asks again for items the person declined;
 * `?auth_type=reauthenticate` or `?prompt=login` asks for the password again.
 */
@Injectable()
export class NaverLoginGuard extends AuthGuard('naver') {
  override getAuthenticateOptions(context: ExecutionContext): NaverAuthenticateOptions & NoSession {
    const { query } = context.switchToHttp().getRequest<Request>();
    const options: NaverAuthenticateOptions & NoSession = { session: false };
    const authType = query['auth_type'];
    if (authType === 'reprompt' || authType === 'reauthenticate') options.authType = authType;
    else if (query['prompt'] === 'login') options.authType = 'reauthenticate';
    return options;
  }
}

/** Lets the request through with `req.user` set from the app's session JWT, or answers 401. */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(@Inject(SessionService) private readonly sessions: SessionService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request>();
    const user = await this.sessions.read(req);
    if (!user) throw new ReasonedException(HttpStatus.UNAUTHORIZED, 'NOT_SIGNED_IN', 'You are not signed in (or your session expired).');
    req.user = user;
    return true;
  }
}

/**
 * CSRF protection for the state-changing POST routes. The session cookie is SameSite=Lax, so browsers leave it out
 * of cross-site POSTs; on top of that the request's `Origin` (or, when a browser sends none, `Referer`) must be this
 * app's own origin. A request with neither is refused.
 */
@Injectable()
export class SameOriginGuard implements CanActivate {
  constructor(@Inject(ConfigService) private readonly config: ConfigService<AppConfig, true>) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    // PUBLIC_ORIGIN when set; else the request's own (its scheme honours TRUST_PROXY).
    const expected = this.config.get('publicOrigin', { infer: true }) ?? `${req.protocol}://${req.get('host') ?? ''}`;
    const origin = req.get('origin');
    const referer = req.get('referer');
    let actual: string | undefined;
    if (origin !== undefined && origin !== 'null') actual = origin;
    else if (referer !== undefined) {
      try {
        actual = new URL(referer).origin;
      } catch {
        actual = undefined;
      }
    }
    if (actual !== expected) throw new ReasonedException(HttpStatus.FORBIDDEN, 'CSRF_ORIGIN', 'This request did not come from this site\'s own pages.');
    return true;
  }
}
