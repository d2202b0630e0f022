export { PROVIDER_LABEL, ProviderRequestError, SessionRequiredError, defineHidden, describeEndpoint, invalidResponse, redactProviderBody, sanitizeProviderText } from './errors.js';
export type { ProviderName, ProviderRequestErrorCode, ProviderRequestErrorInit } from './errors.js';
export { parseJSONObject, sendProviderRequest, settleCallback } from './http.js';
export type { ProviderRequest, ProviderResponse } from './http.js';
export { createTokenExchange, requestToken } from './token-exchange.js';
export type { OAuth2ClientFields, TokenCallback, TokenExchangeConfig, TokenResult } from './token-exchange.js';
export { DEFAULT_TIMEOUT_MS, assertOidcKeepsState, assertScopeSeparator, assertStrategyArguments, joinList, optionalStringOption, readCallbackError, readOAuthErrorBody, requireStringArgument, requireStringOption, resolveProfileFromIdToken, resolveTimeout, scopeList, withOpenid } from './strategy-support.js';
export type { CallbackError, OAuthErrorBody } from './strategy-support.js';
export { ProviderStrategy } from './provider-strategy.js';
export type { LoginResult, ProviderStrategyConfig, ProviderStrategyOptions, SkipUserProfile, StrategyTransportOptions } from './provider-strategy.js';
export { reportError, runAction } from './passport-actions.js';
export type { ErrorAction } from './passport-actions.js';
export { LoginBudget } from './budget.js';
export { randomToken } from './random.js';
export { CookieStateStore } from './cookie-state-store.js';
export type { CookieStateStoreOptions } from './cookie-state-store.js';
export { SessionStateStore, loadTransaction, saveTransaction } from './login-state.js';
export type { LoadedTransaction, LoginStateStore, LoginStateFailure, LoginStateFailureCode, LoginTransaction, StateStoreMeta } from './login-state.js';
export { callVerify, resolveVerifyForm, toError } from './verify.js';
export type { VerifyArguments, VerifyDone, VerifyForm, VerifyFormOptions } from './verify.js';
export { readClientSettings, refreshAccessToken } from './client-support.js';
export type { ClientSettings } from './client-support.js';
export {
  afterResponse,
  answer,
  bodyConsumed,
  deliverAfterResponse,
  header,
  paramsObject,
  parseWebhookBodyText,
  parsedBody,
  readRawBody,
  runSafely,
  sha256,
  webhookBodyText,
} from './webhook-support.js';
export type { WebhookBody, WebhookBodyErrors, WebhookFields, WebhookHeaders } from './webhook-support.js';
export { WEBHOOK_COMMON_STATUS, WebhookError, webhookBodyErrors, webhookHandler } from './webhook-handler.js';
export type { WebhookCommonCode, WebhookHandlerSpec, WebhookRequestHandler } from './webhook-handler.js';
export { TokenRefusal, authenticateToken, checkAccessToken, missingBodyHint, presentedToken, resolveTokenSources, runTokenVerify, tokenPlaces } from './token-input.js';
export type { PresentedToken, TokenInputRefusalCode, TokenInputRefuse, TokenRequest, TokenSource, TokenStrategyActions } from './token-input.js';
export {
  DEFAULT_CLOCK_TOLERANCE_SECONDS,
  DEFAULT_JWKS_REFETCH_COOLDOWN_MS,
  IdTokenError,
  IdTokenVerifier,
  createNonce,
  loadJose,
  resolveIdTokenChecks,
  verifyLoginIdToken,
} from './id-token.js';
export type {
  IdTokenCheckOptions,
  IdTokenErrorCode,
  IdTokenErrorFactory,
  IdTokenTarget,
  IdTokenVerifierOptions,
  LoginIdTokenCheck,
  VerifiedIdTokenClaims,
} from './id-token.js';
