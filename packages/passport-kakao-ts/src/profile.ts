import { ProviderRequestError } from '@passport-korea/internal';
import type { KakaoIdTokenClaims } from './oidc.js';
import type { KakaoAccount, KakaoPhoto, KakaoProfile, KakaoUserResponse } from './types.js';

/**
 * Reads the user id's exact digits from the raw body.
 *
 * QUIRK (provider-reference A7.9; Kakao REST API reference, "id: Long"): Kakao ids are 64-bit and Kakao's own admin
 * examples use ids above Number.MAX_SAFE_INTEGER, which `JSON.parse` rounds. The digits are taken from the text and
 * trusted only if they denote the number that `JSON.parse` produced, so a look-alike key elsewhere cannot win. When
 * the exact digits can't be found, it throws: a rounded number would be another user's id.
 */
export function exactKakaoId(raw: string, parsedId: number, endpoint: string = PROFILE_ENDPOINT): string {
  if (!Number.isInteger(parsedId) || Number.isSafeInteger(parsedId)) return String(parsedId);
  for (const match of raw.matchAll(/"id"\s*:\s*(-?\d+)\s*[,}]/g)) {
    if (match[1] !== undefined && Number(match[1]) === parsedId) return match[1];
  }
  throw new ProviderRequestError('Kakao answered with a user id above 2^53 whose exact digits could not be read', {
    provider: 'kakao', code: 'INVALID_RESPONSE', endpoint, httpStatus: 200,
  });
}

/** The endpoint {@link exactKakaoId} names by default: the profile's, whose mapping ({@link parseKakaoProfile}) has no URL. */
const PROFILE_ENDPOINT = 'GET /v2/user/me';

/** A string, or `undefined` for anything else: a field of the wrong type counts as absent. */
function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** An object's fields, or none for anything else (`null`, a string, an array). */
function fields(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/**
 * Maps `/v2/user/me` to the normalized profile. Pure; every field but `id` may be missing or of the wrong type (it then
 * counts as absent), nothing throws.
 *
 * @param json - The parsed body (its `id` must be a number; the caller checks).
 * @param raw - The body as received, for `_raw` and the exact id.
 */
export function parseKakaoProfile(json: KakaoUserResponse, raw: string): KakaoProfile {
  // Typed as Kakao documents them, but read as untrusted: a field of another type counts as absent.
  const account = fields(json.kakao_account);
  const accountProfile = fields(account['profile']);
  const properties = fields(json.properties);
  // QUIRK (provider-reference A4, devtalk notice 122565): `properties.*` is deprecated; read `kakao_account.profile`
  // first and fall back to `properties` only for apps that still get nothing else.
  const nickname = str(accountProfile['nickname']) ?? str(properties['nickname']);

  const profile: KakaoProfile = {
    provider: 'kakao',
    id: exactKakaoId(raw, json.id),
    displayName: nickname ?? '',
    _raw: raw,
    _json: json,
  };

  // QUIRK (provider-reference A4, A7.8): an email can be present yet invalid or unverified; only both flags make it verified.
  const email = str(account['email']);
  if (email !== undefined && email.length > 0) {
    profile.emails = [{ value: email, verified: account['is_email_valid'] === true && account['is_email_verified'] === true }];
  }

  const photos: KakaoPhoto[] = [];
  const image = str(accountProfile['profile_image_url']) ?? str(properties['profile_image']);
  const thumbnail = str(accountProfile['thumbnail_image_url']) ?? str(properties['thumbnail_image']);
  if (image) photos.push({ value: image, type: 'profile' });
  if (thumbnail) photos.push({ value: thumbnail, type: 'thumbnail' });
  if (photos.length > 0) profile.photos = photos;

  const name = str(account['name']);
  if (name) profile.fullName = name;
  if (account['gender'] === 'female' || account['gender'] === 'male') profile.gender = account['gender'];
  const ageRange = str(account['age_range']);
  if (ageRange) profile.ageRange = ageRange;
  const birthday = str(account['birthday']);
  if (birthday && /^\d{4}$/.test(birthday)) profile.birthday = `${birthday.slice(0, 2)}-${birthday.slice(2)}`;
  if (account['birthday_type'] === 'SOLAR' || account['birthday_type'] === 'LUNAR') profile.birthdayType = account['birthday_type'];
  const birthyear = str(account['birthyear']);
  if (birthyear) profile.birthyear = birthyear;
  const phoneNumber = str(account['phone_number']);
  if (phoneNumber) profile.phoneNumber = phoneNumber;
  return profile;
}

/**
 * Builds the normalized profile from verified id_token claims alone (`profileFrom: 'idToken'`), with the same shape as
 * {@link parseKakaoProfile}: `nickname`, `picture` (the thumbnail) and `email` become `displayName`, `photos` and
 * `emails`; whatever the claims lack stays absent. `_raw` is the claims as JSON, and `_json` carries the same values in
 * `/v2/user/me`'s shape. Kakao puts `email` in the id_token only when it is valid and verified (provider-reference A6).
 */
export function profileFromIdToken(claims: KakaoIdTokenClaims): KakaoProfile {
  // Signed by Kakao, yet read like any answer: a claim of another type counts as absent.
  const nickname = str(claims.nickname);
  const picture = str(claims.picture);
  const email = str(claims.email);
  const account: KakaoAccount = {};
  const profile: KakaoProfile = {
    provider: 'kakao',
    id: claims.sub,
    displayName: nickname ?? '',
    _raw: JSON.stringify(claims),
    _json: { id: Number(claims.sub), kakao_account: account },
  };
  if (nickname !== undefined) account.profile = { nickname };
  if (picture !== undefined) {
    account.profile = { ...account.profile, thumbnail_image_url: picture };
    profile.photos = [{ value: picture, type: 'thumbnail' }];
  }
  if (email !== undefined) {
    Object.assign(account, { email, is_email_valid: true, is_email_verified: true });
    profile.emails = [{ value: email, verified: true }];
  }
  return profile;
}
