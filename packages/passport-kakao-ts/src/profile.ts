import { ProviderRequestError } from '@passport-korea/internal';
import type { KakaoIdTokenClaims } from './oidc.js';
import type { KakaoAccount, KakaoPhoto, KakaoProfile, KakaoUserResponse } from './types.js';

/**
 * Reads the user id's exact digits from the raw body.
 *
 * QUIRK (docs/providers/kakao.md A7.9; Kakao REST API reference, "id: Long"): Kakao ids are 64-bit and Kakao's own admin
 * examples use ids above Number.MAX_SAFE_INTEGER, which `JSON.parse` rounds. The digits are those of the body's
 * top-level `id` member (the last one, as `JSON.parse` takes it), never of an `id` nested in `kakao_account`,
 * `properties` or `for_partner`, and they are trusted only if they denote the number `JSON.parse` produced. When the
 * exact digits can't be read, it throws: a rounded number would be another user's id.
 */
export function exactKakaoId(raw: string, parsedId: number, endpoint: string = PROFILE_ENDPOINT): string {
  if (!Number.isInteger(parsedId) || Number.isSafeInteger(parsedId)) return String(parsedId);
  const digits = topLevelNumber(raw, 'id');
  if (digits !== undefined && /^-?\d+$/.test(digits) && Number(digits) === parsedId) return digits;
  throw new ProviderRequestError('Kakao answered with a user id above 2^53 whose exact digits could not be read', {
    provider: 'kakao', code: 'INVALID_RESPONSE', endpoint, httpStatus: 200,
  });
}

/**
 * The source text of the number that a JSON object's top-level member `name` holds (the last such member, as
 * `JSON.parse` keeps it), or `undefined`. Nested objects, arrays and strings are stepped over whole, so a member of the
 * same name inside them never counts. The body has already parsed as JSON, so only its structure is followed here.
 */
function topLevelNumber(text: string, name: string): string | undefined {
  let i = skipSpace(text, 0);
  if (text[i] !== '{') return undefined;
  i += 1;
  let found: string | undefined;
  for (;;) {
    i = skipSpace(text, i);
    if (text[i] !== '"') return found;
    const keyEnd = stringEnd(text, i);
    const key = JSON.parse(text.slice(i, keyEnd)) as string;
    i = skipSpace(text, keyEnd);
    if (text[i] !== ':') return undefined;
    i = skipSpace(text, i + 1);
    const valueEnd = valueEndAt(text, i);
    if (key === name) found = /^-?\d/.test(text.slice(i, i + 2)) ? text.slice(i, valueEnd).trim() : undefined;
    i = skipSpace(text, valueEnd);
    if (text[i] === ',') i += 1;
    else return found;
  }
}

function skipSpace(text: string, from: number): number {
  let i = from;
  while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i += 1;
  return i;
}

/** The index just past the JSON string that starts at `from` (a `"`). */
function stringEnd(text: string, from: number): number {
  let i = from + 1;
  while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
  return i + 1;
}

/** The index just past the JSON value that starts at `from`: a string, an object or array (nested whole), or a literal. */
function valueEndAt(text: string, from: number): number {
  if (text[from] === '"') return stringEnd(text, from);
  if (text[from] === '{' || text[from] === '[') {
    let depth = 0;
    let i = from;
    while (i < text.length) {
      const c = text[i];
      if (c === '"') {
        i = stringEnd(text, i);
        continue;
      }
      if (c === '{' || c === '[') depth += 1;
      else if (c === '}' || c === ']') {
        depth -= 1;
        if (depth === 0) return i + 1;
      }
      i += 1;
    }
    return i;
  }
  let i = from;
  while (i < text.length && text[i] !== ',' && text[i] !== '}') i += 1;
  return i;
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
  // QUIRK (docs/providers/kakao.md A4, devtalk notice 122565): `properties.*` is deprecated; read `kakao_account.profile`
  // first and fall back to `properties` only for apps that still get nothing else.
  const nickname = str(accountProfile['nickname']) ?? str(properties['nickname']);

  const profile: KakaoProfile = {
    provider: 'kakao',
    id: exactKakaoId(raw, json.id),
    displayName: nickname ?? '',
    _raw: raw,
    _json: json,
  };

  // QUIRK (docs/providers/kakao.md A4, A7.8): an email can be present yet invalid or unverified; only both flags make it verified.
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
 * `/v2/user/me`'s shape. Kakao puts `email` in the id_token only when it is valid and verified (docs/providers/kakao.md A6).
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
