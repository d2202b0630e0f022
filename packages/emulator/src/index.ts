/**
 * A local emulator of Kakao Login and Naver Login.
 * @packageDocumentation
 */
export { startEmulator } from './emulator.js';
export type { Emulator, KakaoEndpoints, NaverEndpoints, SDKTokenRequest, SDKTokens, StoredCounts, StoredProviderCounts } from './emulator.js';
export { signNaverDeauthorizeCallback } from './webhooks.js';
export type { KakaoReferrerType, NaverDeauthorizeFields, NaverDeauthorizeSignInput, WebhookDelivery } from './webhooks.js';
export {
  ALL_KAKAO_CONSENT_ITEMS,
  ALL_NAVER_PROFILE_ITEMS,
  DEFAULT_KAKAO_BASIC_CLIENT,
  DEFAULT_KAKAO_CLIENT,
  DEFAULT_KAKAO_OTHER_CLIENT,
  DEFAULT_KAKAO_USERS,
  DEFAULT_NAVER_CLIENT,
  DEFAULT_NAVER_OTHER_CLIENT,
  DEFAULT_NAVER_USERS,
} from './users.js';
export { KAKAO_ACCESS_TOKEN_SECONDS, KAKAO_REFRESH_TOKEN_SECONDS } from './kakao.js';
export { NAVER_ACCESS_TOKEN_SECONDS, naverUserId } from './naver.js';
export type {
  AutoApprove,
  EmulatorOptions,
  EndpointName,
  Fault,
  KakaoClient,
  KakaoConsentItem,
  KakaoTestUser,
  NaverClient,
  NaverProfileItem,
  NaverTestUser,
} from './types.js';
