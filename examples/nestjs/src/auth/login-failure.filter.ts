import { Catch, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { ArgumentsHost, ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { KakaoAPIError, KakaoAuthorizationError, KakaoIdTokenError, KakaoTokenError, ProviderRequestError } from 'passport-kakao-ts';
import { NaverAPIError, NaverAuthorizationError, NaverTokenError, ProviderRequestError as NaverRequestError } from 'passport-naver-ts';
import type { ProviderName } from '../config.js';
import { failurePage } from '../views.js';
import type { FailureView } from '../views.js';
import { ReasonedException } from './guards.js';

interface Outcome {
  status: number;
  view: FailureView;
}

/**
 * Every error of the login and account routes ends on a page that says what happened, with a reason code: the person
 * pressed Cancel (Passport `fail` → Nest's AuthGuard throws UnauthorizedException, the challenge is on `req.authInfo`),
 * the state did not match (a 403 challenge with `code`), the provider refused or did not answer, or `validate()`
 * threw. Never JSON, never a stack trace; the log line has the route, the status and the code, nothing else.
 */
@Catch()
export class LoginFailureFilter implements ExceptionFilter {
  private readonly logger = new Logger('Login');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    const provider = providerOf(req);
    const { status, view } = describe(exception, provider, req.authInfo);
    if (status >= 500 && !isProviderError(exception)) {
      this.logger.error(`${req.method} ${req.path}: ${status} ${view.code} (${exception instanceof Error ? exception.name : typeof exception})`);
    } else {
      this.logger.warn(`${req.method} ${req.path}: ${status} ${view.code}`);
    }
    if (res.headersSent) return;
    res.status(status).type('html').send(failurePage(view));
  }
}

function providerOf(req: Request): ProviderName | undefined {
  const fromPath = /^\/auth\/(kakao|naver)(\/|$)/.exec(req.path)?.[1];
  if (fromPath === 'kakao' || fromPath === 'naver') return fromPath;
  return req.user?.provider;
}

function isProviderError(error: unknown): boolean {
  return (
    error instanceof ProviderRequestError || error instanceof NaverRequestError ||
    error instanceof KakaoTokenError || error instanceof NaverTokenError ||
    error instanceof KakaoAPIError || error instanceof NaverAPIError ||
    error instanceof KakaoAuthorizationError || error instanceof NaverAuthorizationError || error instanceof KakaoIdTokenError
  );
}

/** The Passport challenge of a failed login, as Nest's AuthGuard left it on `req.authInfo`. */
function challengeCode(info: unknown): string | undefined {
  if (typeof info !== 'object' || info === null) return undefined;
  if ('code' in info && typeof info.code === 'string') return info.code;
  if ('error' in info && typeof info.error === 'string') return info.error;
  return undefined;
}

const START_AGAIN = 'Start the login again from the start page.';

/** The `error` values of RFC 6749 §4.1.2.1 and OpenID Connect Core §3.1.2.6: the only ones a failure page repeats. */
const OAUTH_ERROR_CODES: ReadonlySet<string> = new Set([
  'invalid_request', 'unauthorized_client', 'access_denied', 'unsupported_response_type', 'invalid_scope', 'server_error',
  'temporarily_unavailable', 'interaction_required', 'login_required', 'account_selection_required', 'consent_required',
  'invalid_request_uri', 'invalid_request_object', 'request_not_supported', 'request_uri_not_supported', 'registration_not_supported',
]);

export function describe(error: unknown, provider: ProviderName | undefined, authInfo: unknown): Outcome {
  if (error instanceof ReasonedException) {
    return { status: error.getStatus(), view: { provider: undefined, what: error.message, tryThis: 'Go back to the start page and try again.', code: error.reason } };
  }
  const challenge = challengeCode(authInfo);
  if (error instanceof HttpException && error.getStatus() === HttpStatus.UNAUTHORIZED && challenge !== undefined) {
    if (challenge === 'ACCESS_DENIED') {
      return {
        status: HttpStatus.UNAUTHORIZED,
        view: { provider, what: 'You cancelled the login, or did not agree to share your profile.', tryThis: 'Press the login button again and choose Agree.', code: 'access_denied' },
      };
    }
    if (challenge.startsWith('STATE_') || challenge === 'PKCE_VERIFIER_MISSING') {
      const expired = challenge === 'STATE_EXPIRED';
      return {
        status: HttpStatus.FORBIDDEN,
        view: {
          provider,
          what: expired
            ? 'The login took too long.'
            : 'The login could not be matched to this browser (it was started in another browser, its cookie is gone, or the link was forged).',
          tryThis: START_AGAIN,
          code: challenge,
        },
      };
    }
    return { status: HttpStatus.UNAUTHORIZED, view: { provider, what: 'The login was not completed.', tryThis: START_AGAIN, code: challenge } };
  }
  if (error instanceof KakaoTokenError || error instanceof NaverTokenError) {
    const kakaoCode = error instanceof KakaoTokenError ? error.errorCode : undefined;
    const reused = kakaoCode === 'KOE320' || error.errorDescription === 'no valid data in session';
    const misconfigured = kakaoCode === 'KOE010' || kakaoCode === 'KOE101' || kakaoCode === 'KOE303' || error.error === 'unauthorized_client';
    return {
      status: HttpStatus.BAD_GATEWAY,
      view: {
        provider,
        what: reused
          ? 'This login link was already used or has expired (reloading the callback page does this).'
          : misconfigured
            ? 'The provider refused this app\'s credentials or redirect URI.'
            : 'The provider refused to issue a token.',
        tryThis: misconfigured ? 'Check the client ID, the client secret and the registered callback URL (see .env.example).' : START_AGAIN,
        code: kakaoCode ?? error.error,
      },
    };
  }
  if (error instanceof KakaoAuthorizationError || error instanceof NaverAuthorizationError) {
    return {
      status: HttpStatus.BAD_GATEWAY,
      // The code comes from the callback URL, which anyone can write: only the codes OAuth and OpenID Connect define are
      // shown and logged, anything else as `provider_error`.
      view: { provider, what: 'The provider ended the login with an error.', tryThis: START_AGAIN, code: OAUTH_ERROR_CODES.has(error.error) ? error.error : 'provider_error' },
    };
  }
  if (error instanceof KakaoIdTokenError) {
    return { status: HttpStatus.BAD_GATEWAY, view: { provider, what: 'Kakao\'s id_token did not pass the checks.', tryThis: START_AGAIN, code: error.code } };
  }
  if (error instanceof KakaoAPIError || error instanceof NaverAPIError) {
    return {
      status: HttpStatus.BAD_GATEWAY,
      view: { provider, what: 'The provider refused the access token.', tryThis: 'Log in again, then retry.', code: error instanceof KakaoAPIError ? String(error.apiCode) : error.resultcode },
    };
  }
  if (error instanceof ProviderRequestError || error instanceof NaverRequestError) {
    return {
      status: HttpStatus.BAD_GATEWAY,
      view: {
        provider,
        what:
          error.code === 'TIMEOUT'
            ? 'The provider did not answer in time.'
            : error.code === 'NETWORK_ERROR'
              ? 'The provider could not be reached.'
              : 'The provider sent an answer this app could not read.',
        tryThis: 'Wait a moment and try again.',
        code: error.code,
      },
    };
  }
  if (error instanceof HttpException) {
    // Thrown by the app itself, e.g. by validate(): its message is the app's own text.
    return { status: error.getStatus(), view: { provider, what: error.message, tryThis: START_AGAIN, code: `HTTP_${error.getStatus()}` } };
  }
  return {
    status: HttpStatus.INTERNAL_SERVER_ERROR,
    view: { provider, what: 'Something went wrong on our side.', tryThis: 'Try again; if it keeps happening, check the server log.', code: 'INTERNAL_ERROR' },
  };
}
