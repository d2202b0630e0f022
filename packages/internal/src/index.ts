export { PROVIDER_LABEL, ProviderRequestError, defineHidden, describeEndpoint } from './errors.js';
export type { ProviderName, ProviderRequestErrorCode, ProviderRequestErrorInit } from './errors.js';
export { parseJSONObject, sendProviderRequest, settleCallback } from './http.js';
export type { ProviderRequest, ProviderResponse } from './http.js';
export { createTokenExchange } from './token-exchange.js';
export type { OAuth2ClientFields, TokenCallback, TokenExchangeConfig } from './token-exchange.js';
export { DEFAULT_TIMEOUT_MS, joinList, optionalStringOption, readCallbackError, requireStringOption, resolveTimeout } from './strategy-support.js';
export type { CallbackError } from './strategy-support.js';
