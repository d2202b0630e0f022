import type { KakaoClient, KakaoConsentItem, KakaoTestUser, NaverClient, NaverProfileItem, NaverTestUser } from './types.js';

/** Every Naver profile item, in the order Naver's consent screen lists them. */
export const ALL_NAVER_PROFILE_ITEMS: readonly NaverProfileItem[] = [
  'name', 'email', 'nickname', 'profile_image', 'gender', 'birthday', 'age', 'birthyear', 'mobile',
];

/** Every consent item, in the order Kakao's consent screen lists them. */
export const ALL_KAKAO_CONSENT_ITEMS: readonly KakaoConsentItem[] = [
  'profile_nickname', 'profile_image', 'account_email', 'name', 'gender', 'age_range', 'birthday', 'birthyear', 'phone_number',
];

/** How the consent pages name Kakao's items. */
export const KAKAO_CONSENT_LABELS: Readonly<Record<KakaoConsentItem, string>> = {
  profile_nickname: '닉네임 (nickname)',
  profile_image: '프로필 사진 (profile image)',
  account_email: '카카오계정 이메일 (email)',
  name: '이름 (name)',
  gender: '성별 (gender)',
  age_range: '연령대 (age range)',
  birthday: '생일 (birthday)',
  birthyear: '출생 연도 (birth year)',
  phone_number: '전화번호 (phone number)',
};

/** The built-in Kakao users: full consent, nickname only, an unverified email, and an id above 2^53. */
export const DEFAULT_KAKAO_USERS: readonly KakaoTestUser[] = [
  {
    key: 'kakao-full',
    label: '홍길동 — shares everything',
    id: '4012345678',
    nickname: '홍길동',
    // Paths are served by the emulator itself (the machine may have no internet); absolute URLs are sent as given.
    profileImage: '/__emulator/avatar/kakao-full.svg?size=640',
    thumbnailImage: '/__emulator/avatar/kakao-full.svg?size=110',
    email: 'gildong@kakao.example',
    isEmailValid: true,
    isEmailVerified: true,
    name: '홍길동',
    gender: 'male',
    ageRange: '20~29',
    birthyear: '1998',
    birthday: '1130',
    birthdayType: 'SOLAR',
    phoneNumber: '+82 010-1234-5678',
    consents: [...ALL_KAKAO_CONSENT_ITEMS],
  },
  {
    key: 'kakao-nickname',
    label: '지히 — shares only a nickname',
    id: '3621318900',
    nickname: '지히',
    email: 'jihi@kakao.example',
    isEmailValid: true,
    isEmailVerified: true,
    consents: ['profile_nickname'],
  },
  {
    key: 'kakao-unverified',
    label: '미인증 — email not verified',
    id: '3621318901',
    nickname: '미인증',
    email: 'unverified@kakao.example',
    isEmailValid: true,
    isEmailVerified: false,
    consents: ['profile_nickname', 'account_email'],
  },
  {
    key: 'kakao-bigid',
    label: '큰아이디 — id above 2^53',
    id: '1376016924426111111',
    nickname: '큰아이디',
    consents: ['profile_nickname', 'profile_image'],
    profileImage: '/__emulator/avatar/kakao-bigid.svg?size=640',
    thumbnailImage: '/__emulator/avatar/kakao-bigid.svg?size=110',
  },
];

/** The built-in Naver users: everything shared, name only, nothing but the id, and a nickname never set (masked). */
export const DEFAULT_NAVER_USERS: readonly NaverTestUser[] = [
  {
    key: 'naver-full',
    label: '오픈 API — shares everything',
    personId: 'person-openapi',
    nickname: 'OpenAPI',
    name: '오픈 API',
    email: 'openapi@naver.example',
    gender: 'F',
    age: '40-49',
    birthday: '10-01',
    birthyear: '1980',
    profileImage: '/__emulator/avatar/naver-full.svg',
    mobile: '010-0000-0000',
    mobileE164: '+821000000000',
  },
  { key: 'naver-name', label: '홍길동 — name only, no nickname', personId: 'person-gildong', name: '홍길동' },
  { key: 'naver-id-only', label: '(id only) — shares nothing else', personId: 'person-private' },
  // B3: a user who never set a nickname gets one masked like `id***` from the profile API.
  { key: 'naver-masked', label: '김민수 — never set a nickname (Naver masks it: min***)', personId: 'person-minsu', nickname: 'min***', name: '김민수' },
];

/**
 * Test credentials of the built-in Kakao app: a Biz app with every consent item and OpenID Connect on, which issues an
 * id_token when `openid` is asked for (`idTokenOnlyWithOpenid`, so plain OAuth logins get no id_token). Not secret:
 * they only open this emulator.
 */
export const DEFAULT_KAKAO_CLIENT: KakaoClient = {
  clientId: 'emulator-kakao-rest-api-key',
  clientSecret: 'emulator-kakao-client-secret',
  redirectUris: [/^http:\/\/(localhost|127\.0\.0\.1):\d+\/auth\/kakao\/callback$/],
  logoutRedirectUris: [/^http:\/\/(localhost|127\.0\.0\.1):\d+\/.*$/],
  consentItems: [...ALL_KAKAO_CONSENT_ITEMS],
  oidc: true,
  idTokenOnlyWithOpenid: true,
  appId: 100001,
  javascriptKey: 'emulator-kakao-javascript-key',
  nativeKey: 'emulator-kakao-native-key',
};

/**
 * Somebody else's Kakao app (app id 200001): tokens issued to it (`issueSDKTokens({ clientId })`) test that an app
 * refuses a token of another app (A10).
 */
export const DEFAULT_KAKAO_OTHER_CLIENT: KakaoClient = {
  clientId: 'emulator-kakao-other-app-key',
  clientSecret: 'emulator-kakao-other-secret',
  redirectUris: [/^http:\/\/(localhost|127\.0\.0\.1):\d+\/auth\/kakao\/callback$/],
  consentItems: [...ALL_KAKAO_CONSENT_ITEMS],
  oidc: true,
  appId: 200001,
  javascriptKey: 'emulator-kakao-other-javascript-key',
  nativeKey: 'emulator-kakao-other-native-key',
};

/**
 * A second built-in Kakao app: not a Biz app (nickname and profile image only), OIDC off, Client Secret off. Asking it
 * for `account_email` or `openid` shows KOE205.
 */
export const DEFAULT_KAKAO_BASIC_CLIENT: KakaoClient = {
  clientId: 'emulator-kakao-basic-app-key',
  redirectUris: [/^http:\/\/(localhost|127\.0\.0\.1):\d+\/auth\/kakao\/callback$/],
  logoutRedirectUris: [/^http:\/\/(localhost|127\.0\.0\.1):\d+\/.*$/],
  consentItems: ['profile_nickname', 'profile_image'],
  oidc: false,
  appId: 100002,
};

/** Test credentials of the built-in Naver app. */
export const DEFAULT_NAVER_CLIENT: NaverClient = {
  clientId: 'emulatorNaverClientId',
  clientSecret: 'emulatorNaverSecret',
  redirectUris: [/^http:\/\/(localhost|127\.0\.0\.1):\d+\/auth\/naver\/callback$/],
};

/** Somebody else's Naver app: its tokens read another (pairwise) `id` for the same person (B8). */
export const DEFAULT_NAVER_OTHER_CLIENT: NaverClient = {
  clientId: 'emulatorOtherNaverClientId',
  clientSecret: 'emulatorOtherNaverSecret',
  redirectUris: [/^http:\/\/(localhost|127\.0\.0\.1):\d+\/auth\/naver\/callback$/],
};

/** A user's image URL as sent: paths are served by the emulator, so they get its origin. */
export function imageURL(url: string | undefined, origin: string): string | undefined {
  return url?.startsWith('/') ? `${origin}${url}` : url;
}

/** A round avatar with the user's initial, in the provider's colours, for the images the emulator serves. */
export function avatarSVG(initial: string, provider: 'kakao' | 'naver', size: number): string {
  const [bg, fg] = provider === 'kakao' ? ['#FEE500', '#3C1E1E'] : ['#03C75A', '#FFFFFF'];
  const text = initial.replace(/[&<>"']/g, '');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 100 100">` +
    `<circle cx="50" cy="50" r="50" fill="${bg}"/><text x="50" y="50" dy=".35em" text-anchor="middle" font-family="sans-serif" font-size="48" font-weight="700" fill="${fg}">${text}</text></svg>`;
}

/** True when `uri` is one of `registered` (exact string or pattern). */
export function isRegistered(uri: string, registered: ReadonlyArray<string | RegExp> | undefined): boolean {
  // A URI that does not parse (e.g. port 99999) matches no pattern: KOE006 rather than a failure when redirecting to it.
  return URL.canParse(uri) && (registered ?? []).some((entry) => (typeof entry === 'string' ? entry === uri : entry.test(uri)));
}
