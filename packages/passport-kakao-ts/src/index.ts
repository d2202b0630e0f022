/**
 * Passport strategy for Kakao Login.
 * @packageDocumentation
 */
export { Strategy, Strategy as KakaoStrategy, KAKAO_API_ORIGIN, KAKAO_AUTH_ORIGIN } from './strategy.js';
export { parseKakaoProfile } from './profile.js';
export { KakaoAPIError, KakaoAuthorizationError, KakaoTokenError, ProviderRequestError } from './errors.js';
export type { KakaoAPIErrorInit, KakaoTokenErrorInit, ProviderRequestErrorCode } from './errors.js';
export type {
  KakaoAccount,
  KakaoAccountProfile,
  KakaoAuthenticateOptions,
  KakaoPhoto,
  KakaoProfile,
  KakaoPrompt,
  KakaoStrategyOptions,
  KakaoStrategyOptionsBase,
  KakaoStrategyOptionsWithRequest,
  KakaoTokenResponse,
  KakaoUserResponse,
  KakaoVerifyCallback,
  KakaoVerifyFunction,
  KakaoVerifyFunctionWithRequest,
  KakaoPromptParam,
  KakaoVerify,
  KakaoVerifyWithParams,
  KakaoVerifyWithRequest,
  KakaoVerifyWithRequestAndParams,
} from './types.js';
