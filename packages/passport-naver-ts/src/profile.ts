import type { NaverIdTokenClaims } from './oidc.js';
import type { NaverProfile, NaverUserInfo, NaverUserResponse } from './types.js';

const GENDERS: ReadonlySet<string> = new Set(['F', 'M', 'U']);

/** A non-empty string, or `undefined`. */
function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/**
 * Maps `/v1/nid/me` to the normalized profile. Pure; every field but `id` may be missing, nothing throws.
 *
 * QUIRK (docs/providers/naver.md B3, B6.6; Naver profile API docs): the user sits in `response`, wrapped by
 * `resultcode`/`message`; the caller has checked `resultcode === "00"` and that `response.id` is a string.
 *
 * @param json - The parsed body.
 * @param raw - The body as received, for `_raw`.
 */
export function parseNaverProfile(json: NaverUserResponse, raw: string): NaverProfile {
  const user: Partial<NaverUserInfo> = json.response ?? {};
  const nickname = text(user.nickname);
  const name = text(user.name);
  const profile: NaverProfile = {
    provider: 'naver',
    id: String(user.id),
    displayName: displayNameOf(nickname, name),
    _raw: raw,
    _json: json,
  };
  if (name) profile.fullName = name;
  const email = text(user.email);
  if (email) profile.emails = [{ value: email }];
  const image = text(user.profile_image);
  if (image) profile.photos = [{ value: image }];
  if (typeof user.gender === 'string' && GENDERS.has(user.gender)) profile.gender = user.gender;
  const age = text(user.age);
  if (age) profile.ageRange = age;
  const birthday = text(user.birthday);
  if (birthday && /^\d{2}-\d{2}$/.test(birthday)) profile.birthday = birthday;
  const birthyear = text(user.birthyear);
  if (birthyear) profile.birthyear = birthyear;
  const mobile = text(user.mobile);
  if (mobile) profile.mobile = mobile;
  const mobileE164 = text(user.mobile_e164);
  if (mobileE164) profile.mobileE164 = mobileE164;
  return profile;
}

/**
 * The nickname, else the name, else `''`.
 *
 * QUIRK (docs/providers/naver.md B3; Naver profile API docs): a user who never set a nickname gets one masked like `id***`,
 * which names nobody; the real name, when shared, comes first then. The masked one stays in `_json`.
 */
function displayNameOf(nickname: string | undefined, name: string | undefined): string {
  const masked = nickname !== undefined && nickname.endsWith('***');
  return (masked ? (name ?? nickname) : (nickname ?? name)) ?? '';
}

/**
 * The profile of `profileFrom: 'idToken'`, from a verified id_token's claims: `id` is the OIDC `sub` (not necessarily
 * `/v1/nid/me`'s `id`, B8 ⚠). Naver documents no profile claims (B5 ⚠); the standard `nickname`, `name`, `email` and
 * `picture` are mapped should a token carry them, as `/v1/nid/me` would give them. `_raw` is the claims as JSON, and
 * `_json` the same fields in `/v1/nid/me`'s shape.
 */
export function profileFromIdToken(claims: NaverIdTokenClaims): NaverProfile {
  const response: NaverUserInfo = { id: claims.sub };
  const nickname = text(claims['nickname']);
  if (nickname) response.nickname = nickname;
  const name = text(claims['name']);
  if (name) response.name = name;
  const email = text(claims['email']);
  if (email) response.email = email;
  const picture = text(claims['picture']);
  if (picture) response.profile_image = picture;
  return parseNaverProfile({ resultcode: '00', message: 'success', response }, JSON.stringify(claims));
}
