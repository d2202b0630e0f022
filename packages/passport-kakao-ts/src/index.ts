/**
 * Passport strategy for Kakao Login.
 * @packageDocumentation
 */
export { Strategy, Strategy as KakaoStrategy } from './strategy.js';
export { KAKAO_API_ORIGIN, KAKAO_AUTH_ORIGIN } from './endpoints.js';
export type { KakaoEndpointOptions, KakaoEndpoints } from './endpoints.js';
export { KakaoAuthClient } from './client.js';
export type { KakaoAccountLogoutOptions, KakaoAuthClientOptions, KakaoRefreshResult, KakaoTokenInfo } from './client.js';
export { parseKakaoProfile, profileFromIdToken } from './profile.js';
export { KAKAO_ISSUER, KakaoIdTokenError } from './oidc.js';
export type { KakaoIdTokenClaims, KakaoIdTokenErrorCode } from './oidc.js';
export { KakaoAPIError, KakaoAuthorizationError, KakaoTokenError, ProviderRequestError, SessionRequiredError, parseKakaoTokenError } from './errors.js';
export { CookieStateStore } from '@passport-korea/internal';
export type { CookieStateStoreOptions, LoginStateFailure, LoginStateFailureCode, LoginStateStore, SkipUserProfile } from '@passport-korea/internal';
export type { KakaoAPIErrorInit, KakaoErrorCode, KakaoTokenErrorInit, ProviderRequestErrorCode } from './errors.js';
export type {
  KakaoAccount,
  KakaoAccountProfile,
  KakaoAuthenticateOptions,
  KakaoPhoto,
  KakaoProfile,
  KakaoPrompt,
  KakaoStrategyOptions,
  KakaoStrategyOptionsBase,
  KakaoStrategyOptionsAny,
  KakaoStrategyOptionsWithRequest,
  KakaoStrategyOptionsWithRequestAndTokenResponse,
  KakaoStrategyOptionsWithTokenResponse,
  KakaoTokenResponse,
  KakaoUserResponse,
  KakaoVerifyCallback,
  KakaoPromptParam,
  KakaoVerify,
  KakaoVerifyWithParams,
  KakaoVerifyWithRequest,
  KakaoVerifyWithRequestAndParams,
} from './types.js';
export { KAKAO_WEBHOOK_MAX_BODY_BYTES, KakaoWebhookError, kakaoUnlinkWebhook, verifyKakaoUnlinkWebhook } from './webhook.js';
export type {
  KakaoUnlinkEvent,
  KakaoUnlinkReferrerType,
  KakaoUnlinkWebhookOptions,
  KakaoUnlinkWebhookVerifyOptions,
  KakaoWebhookErrorCode,
  KakaoWebhookHandler,
  KakaoWebhookHeaders,
  KakaoWebhookRequest,
} from './webhook.js';
export { KakaoAdminClient } from './admin.js';
export type { KakaoAdminClientOptions, KakaoAdminResult } from './admin.js';
export { KakaoTokenStrategy } from './token-strategy.js';
export { KAKAO_ID_TOKEN_MAX_LENGTH, KAKAO_TOKEN_MAX_LENGTH } from './token-options.js';
export type {
  KakaoTokenCredentials,
  KakaoTokenFailure,
  KakaoTokenFailureCode,
  KakaoTokenSource,
  KakaoTokenStrategyOptions,
  KakaoTokenStrategyOptionsBase,
  KakaoTokenStrategyOptionsWithRequest,
  KakaoTokenVerify,
  KakaoTokenVerifyWithRequest,
} from './token-options.js';
