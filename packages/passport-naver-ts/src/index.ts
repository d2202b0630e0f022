/**
 * Passport strategy for Naver Login.
 * @packageDocumentation
 */
export { NAVER_API_ORIGIN, NAVER_AUTH_ORIGIN, Strategy, Strategy as NaverStrategy } from './strategy.js';
export { parseNaverProfile } from './profile.js';
export { NaverAPIError, NaverAuthorizationError, NaverTokenError, ProviderRequestError } from './errors.js';
export type { NaverAPIErrorInit, NaverTokenErrorInit, ProviderRequestErrorCode } from './errors.js';
export type {
  NaverAuthType,
  NaverAuthenticateOptions,
  NaverProfile,
  NaverStrategyOptions,
  NaverStrategyOptionsBase,
  NaverStrategyOptionsWithRequest,
  NaverTokenResponse,
  NaverUserInfo,
  NaverUserResponse,
  NaverVerify,
  NaverVerifyCallback,
  NaverVerifyFunction,
  NaverVerifyFunctionWithRequest,
  NaverVerifyWithParams,
  NaverVerifyWithRequest,
  NaverVerifyWithRequestAndParams,
} from './types.js';
