import { describe, expect, it } from 'vitest';
import { ProviderRequestError, parseKakaoProfile, profileFromIdToken } from '../src/index.js';
import { exactKakaoId } from '../src/profile.js';
import type { KakaoUserResponse } from '../src/index.js';
import {
  USER_2024_CAPTURE_OBS,
  USER_BIG_ID_DOC,
  USER_EMAIL_UNVERIFIED_DOC,
  USER_FULL_CONSENT_DOC,
  USER_ID_ONLY_DOC,
  USER_NICKNAME_ONLY_DOC,
  USER_PROPERTIES_ONLY_DEPRECATED_DOC,
} from './fixtures/kakao.js';

const parse = (raw: string) => parseKakaoProfile(JSON.parse(raw) as KakaoUserResponse, raw);

describe('parseKakaoProfile', () => {
  it('maps a full-consent user (DOC shape) field by field', () => {
    expect(parse(USER_FULL_CONSENT_DOC)).toEqual({
      provider: 'kakao',
      id: '123456789',
      displayName: '홍길동',
      emails: [{ value: 'sample@sample.com', verified: true }],
      photos: [
        { value: 'https://yyy.kakao.com/dn/img_640x640.jpg', type: 'profile' },
        { value: 'https://yyy.kakao.com/img_110x110.jpg', type: 'thumbnail' },
      ],
      fullName: '홍길동',
      gender: 'female',
      ageRange: '20~29',
      birthday: '11-30',
      birthdayType: 'SOLAR',
      birthyear: '2002',
      phoneNumber: '+82 010-1234-5678',
      _raw: USER_FULL_CONSENT_DOC,
      _json: JSON.parse(USER_FULL_CONSENT_DOC),
    });
  });

  it('maps a nickname-only user to id and displayName alone', () => {
    expect(parse(USER_NICKNAME_ONLY_DOC)).toStrictEqual({
      provider: 'kakao',
      id: '3621318900',
      displayName: '지히',
      _raw: USER_NICKNAME_ONLY_DOC,
      _json: JSON.parse(USER_NICKNAME_ONLY_DOC),
    });
  });

  it('maps the 2024 capture, reading kakao_account.profile and the verified email', () => {
    const profile = parse(USER_2024_CAPTURE_OBS);
    expect(profile.displayName).toBe('지히');
    expect(profile.emails).toEqual([{ value: 'jihi@example.com', verified: true }]);
    expect(profile.photos).toBeUndefined();
  });

  it('marks an email that is valid but not verified as unverified (quirk A7.8)', () => {
    expect(parse(USER_EMAIL_UNVERIFIED_DOC).emails).toEqual([{ value: 'unverified@example.com', verified: false }]);
  });

  it('marks an email that is verified but no longer valid as unverified (quirk A7.8)', () => {
    const raw = USER_EMAIL_UNVERIFIED_DOC.replace('"is_email_valid":true', '"is_email_valid":false').replace(
      '"is_email_verified":false',
      '"is_email_verified":true',
    );
    expect(parse(raw).emails).toEqual([{ value: 'unverified@example.com', verified: false }]);
  });

  it('keeps an id above 2^53 exact (quirk A7.9)', () => {
    const profile = parse(USER_BIG_ID_DOC);
    expect(profile.id).toBe('1376016924426111111');
    expect(String(JSON.parse(USER_BIG_ID_DOC).id)).not.toBe('1376016924426111111');
  });

  it('maps a user who shared nothing but the id without inventing fields', () => {
    expect(parse(USER_ID_ONLY_DOC)).toStrictEqual({
      provider: 'kakao',
      id: '4012345678',
      displayName: '',
      _raw: USER_ID_ONLY_DOC,
      _json: JSON.parse(USER_ID_ONLY_DOC),
    });
  });

  it('falls back to the deprecated properties only when kakao_account.profile is absent (quirk A4)', () => {
    expect(parse(USER_PROPERTIES_ONLY_DEPRECATED_DOC)).toMatchObject({
      id: '555',
      displayName: '옛앱',
      photos: [
        { value: 'http://k.kakaocdn.net/img_640x640.jpg', type: 'profile' },
        { value: 'http://k.kakaocdn.net/img_110x110.jpg', type: 'thumbnail' },
      ],
    });
    const both = JSON.parse(USER_FULL_CONSENT_DOC) as KakaoUserResponse;
    both.properties = { nickname: 'deprecated' };
    expect(parseKakaoProfile(both, USER_FULL_CONSENT_DOC).displayName).toBe('홍길동');
  });

  it('maps female, LUNAR and a leap birthday as given, and refuses birthdays that only contain four digits', () => {
    const raw = '{"id":8,"kakao_account":{"gender":"female","birthday":"0229","birthday_type":"LUNAR"}}';
    expect(parse(raw)).toMatchObject({ gender: 'female', birthday: '02-29', birthdayType: 'LUNAR' });
    for (const birthday of ['x1231', '12310', '1231x']) {
      expect(parse(`{"id":9,"kakao_account":{"birthday":"${birthday}"}}`).birthday).toBeUndefined();
    }
  });

  it('keeps an id_token profile without a nickname free of an empty account profile', () => {
    const claims = { iss: 'https://kauth.kakao.com', aud: 'k', sub: '10', iat: 1, exp: 2 };
    expect(profileFromIdToken(claims)._json).toStrictEqual({ id: 10, kakao_account: {} });
  });

  it('ignores malformed optional fields instead of passing them on', () => {
    const raw = '{"id":7,"kakao_account":{"gender":"other","birthday":"11/30","birthday_type":"MOON","email":""}}';
    expect(parse(raw)).toStrictEqual({ provider: 'kakao', id: '7', displayName: '', _raw: raw, _json: JSON.parse(raw) });
  });

  it('treats fields of the wrong type as absent: a numeric birthday no longer throws (found by property.test.ts)', () => {
    // `"birthday":1130` passed the four-digit test and then threw "TypeError: account.birthday.slice is not a function".
    const raw = '{"id":11,"kakao_account":{"birthday":1130,"name":5,"age_range":[],"birthyear":2002,"phone_number":{},"email":1,' +
      '"profile":{"nickname":7,"profile_image_url":{},"thumbnail_image_url":[]}},"properties":{"nickname":"옛이름","thumbnail_image":1}}';
    expect(parse(raw)).toStrictEqual({ provider: 'kakao', id: '11', displayName: '옛이름', _raw: raw, _json: JSON.parse(raw) });
    for (const account of ['null', '"x"', '[]', '{"profile":null}', '{"profile":"x"}']) {
      const text = `{"id":12,"kakao_account":${account},"properties":null}`;
      expect(parse(text)).toStrictEqual({ provider: 'kakao', id: '12', displayName: '', _raw: text, _json: JSON.parse(text) });
    }
  });

  it('treats id_token claims of the wrong type as absent (found by property.test.ts)', () => {
    const claims = { iss: 'https://kauth.kakao.com', aud: 'k', sub: '13', iat: 1, exp: 2, nickname: 5, picture: [], email: {} };
    const profile = profileFromIdToken(claims as unknown as Parameters<typeof profileFromIdToken>[0]);
    expect(profile).toStrictEqual({ provider: 'kakao', id: '13', displayName: '', _raw: JSON.stringify(claims), _json: { id: 13, kakao_account: {} } });
  });
});

describe('exactKakaoId', () => {
  it('does not take digits from a look-alike key that denotes another number', () => {
    const raw = '{"kakao_account":{"x":{"id":9007199254740993123}},"id":1376016924426111111}';
    expect(exactKakaoId(raw, JSON.parse(raw).id as number)).toBe('1376016924426111111');
  });

  it('reads the top-level id only: an id nested before it with digits that round to the same number never wins', () => {
    // 9007199254740993 and 9007199254740992 are one double: the nested digits would pass a "same number" check.
    for (const nest of ['kakao_account', 'properties', 'for_partner']) {
      const raw = `{"${nest}":{"id":9007199254740992,"note":"\\"id\\":9007199254740992"},"id":9007199254740993,"connected_at":"2022-04-11T01:45:28Z"}`;
      expect(exactKakaoId(raw, JSON.parse(raw).id as number)).toBe('9007199254740993');
    }
    // A nested id and no top-level digits to read: a typed error, never the nested digits.
    const nestedOnly = '{"kakao_account":{"id":9007199254740993},"id":9.007199254740993e15}';
    expect(() => exactKakaoId(nestedOnly, JSON.parse(nestedOnly).id as number)).toThrow(ProviderRequestError);
    // JSON.parse keeps the last of two top-level ids; so does the reader. An escaped key name is the same key.
    expect(exactKakaoId('{"id":9007199254740995,"\\u0069d":9007199254740993}', 9007199254740992)).toBe('9007199254740993');
    expect(exactKakaoId(' {\n "id" : [1], "id": 9007199254740993 }', 9007199254740992)).toBe('9007199254740993');
  });

  it('returns safe integers as they are, without reading the body', () => {
    expect(exactKakaoId('{}', 3621318900)).toBe('3621318900');
  });

  it('throws a typed error rather than return a rounded id when the body holds no matching digits', () => {
    expect(() => exactKakaoId('{"id": 1.376016924426111e18}', 1.376016924426111e18)).toThrow(ProviderRequestError);
    expect(() => exactKakaoId('{"id": 1.376016924426111e18}', 1.376016924426111e18)).toThrow(
      expect.objectContaining({
        code: 'INVALID_RESPONSE', provider: 'kakao', endpoint: 'GET /v2/user/me',
        message: 'Kakao answered with a user id above 2^53 whose exact digits could not be read',
      }),
    );
  });
});
