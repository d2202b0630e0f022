/**
 * Passport strategy for Naver Login.
 * @packageDocumentation
 */
export { Strategy, Strategy as NaverStrategy } from './strategy.js';
export { NAVER_API_ORIGIN, NAVER_AUTH_ORIGIN } from './endpoints.js';
export type { NaverEndpointOptions, NaverEndpoints } from './endpoints.js';
export { NaverAuthClient } from './client.js';
export type { NaverAuthClientOptions, NaverRefreshResult, NaverTokenCheck, NaverTokenTypeHint } from './client.js';
export { normalizeNaverTokenResponse } from './token-response.js';
export { parseNaverProfile, profileFromIdToken } from './profile.js';
export { NAVER_ISSUER, NaverIdTokenError } from './oidc.js';
export type { NaverIdTokenClaims, NaverIdTokenErrorCode } from './oidc.js';
export { NaverAPIError, NaverAuthorizationError, NaverTokenError, ProviderRequestError, SessionRequiredError, parseNaverTokenError } from './errors.js';
export { CookieStateStore } from '@passport-korea/internal';
export type { CookieStateStoreOptions, LoginStateFailure, LoginStateFailureCode, LoginStateStore, SkipUserProfile } from '@passport-korea/internal';
export type { NaverAPIErrorInit, NaverErrorCode, NaverTokenErrorInit, ProviderRequestErrorCode } from './errors.js';
export type {
  NaverAuthType,
  NaverAuthenticateOptions,
  NaverProfile,
  NaverStrategyOptions,
  NaverStrategyOptionsBase,
  NaverStrategyOptionsAny,
  NaverStrategyOptionsWithRequest,
  NaverStrategyOptionsWithRequestAndTokenResponse,
  NaverStrategyOptionsWithTokenResponse,
  NaverTokenResponse,
  NaverUserInfo,
  NaverUserResponse,
  NaverVerify,
  NaverVerifyCallback,
  NaverVerifyWithParams,
  NaverVerifyWithRequest,
  NaverVerifyWithRequestAndParams,
} from './types.js';
export {
  NAVER_WEBHOOK_MAX_BODY_BYTES,
  NAVER_WEBHOOK_TOLERANCE_SECONDS,
  NaverWebhookError,
  naverDeauthorizeWebhook,
  verifyNaverDeauthorizeCallback,
} from './webhook.js';
export type {
  NaverDeauthorizeEvent,
  NaverDeauthorizeVerifyOptions,
  NaverDeauthorizeWebhookOptions,
  NaverWebhookErrorCode,
  NaverWebhookHandler,
  NaverWebhookHeaders,
  NaverWebhookRequest,
} from './webhook.js';
export { NAVER_TOKEN_MAX_LENGTH, NaverTokenStrategy } from './token-strategy.js';
export type {
  NaverTokenCredentials,
  NaverTokenFailure,
  NaverTokenFailureCode,
  NaverTokenSource,
  NaverTokenStrategyOptions,
  NaverTokenStrategyOptionsBase,
  NaverTokenStrategyOptionsWithRequest,
  NaverTokenVerify,
  NaverTokenVerifyWithRequest,
} from './token-strategy.js';
