import { describe, expect, it } from 'vitest';
import { parseNaverProfile } from '../src/index.js';
import type { NaverUserResponse } from '../src/index.js';
import { USER_FULL_DOC, USER_ID_ONLY_DOC, USER_NAME_ONLY_DOC } from './fixtures/naver.js';

const parse = (raw: string) => parseNaverProfile(JSON.parse(raw) as NaverUserResponse, raw);

describe('parseNaverProfile', () => {
  it('maps a user who shared everything (DOC shape, escaped as Naver escapes it) field by field', () => {
    expect(parse(USER_FULL_DOC)).toEqual({
      provider: 'naver',
      id: '32742776',
      displayName: 'OpenAPI',
      fullName: '오픈 API',
      emails: [{ value: 'openapi@naver.com' }],
      photos: [{ value: 'https://ssl.pstatic.net/static/pwe/address/nodata_33x33.gif' }],
      gender: 'F',
      ageRange: '40-49',
      birthday: '10-01',
      birthyear: '1900',
      mobile: '010-0000-0000',
      mobileE164: '+821000000000',
      _raw: USER_FULL_DOC,
      _json: JSON.parse(USER_FULL_DOC),
    });
  });

  it('falls back to the name for displayName when there is no nickname', () => {
    expect(parse(USER_NAME_ONLY_DOC)).toStrictEqual({
      provider: 'naver',
      id: 'Iq15quPmsXc-JAbG5VYZNtJ6-ccvkjrUyLkBi-vms6E',
      displayName: '홍길동',
      fullName: '홍길동',
      _raw: USER_NAME_ONLY_DOC,
      _json: JSON.parse(USER_NAME_ONLY_DOC),
    });
  });

  it('puts the name before a nickname masked like id*** (a user who set none, quirk B3), which stays in _json', () => {
    const raw = '{"resultcode":"00","message":"success","response":{"id":"32742776","nickname":"ope***","name":"오픈 API"}}';
    expect(parse(raw)).toStrictEqual({ provider: 'naver', id: '32742776', displayName: '오픈 API', fullName: '오픈 API', _raw: raw, _json: JSON.parse(raw) });
    const alone = '{"resultcode":"00","message":"success","response":{"id":"32742776","nickname":"ope***"}}';
    expect(parse(alone).displayName).toBe('ope***');
    const chosen = '{"resultcode":"00","message":"success","response":{"id":"32742776","nickname":"OpenAPI","name":"오픈 API"}}';
    expect(parse(chosen).displayName).toBe('OpenAPI');
  });

  it('maps a user who shared only the id without inventing fields', () => {
    expect(parse(USER_ID_ONLY_DOC)).toStrictEqual({
      provider: 'naver',
      id: 'Iq15quPmsXc-JAbG5VYZNtJ6-ccvkjrUyLkBi-vms6E',
      displayName: '',
      _raw: USER_ID_ONLY_DOC,
      _json: JSON.parse(USER_ID_ONLY_DOC),
    });
  });

  it('keeps each gender Naver documents (F, M, U) and a birthday of exactly MM-DD', () => {
    for (const gender of ['F', 'M', 'U'] as const) {
      expect(parse(`{"resultcode":"00","message":"success","response":{"id":"1","gender":"${gender}"}}`).gender).toBe(gender);
    }
    for (const birthday of ['x10-01', '10-011', '10-01x']) {
      expect(parse(`{"resultcode":"00","message":"success","response":{"id":"1","birthday":"${birthday}"}}`).birthday).toBeUndefined();
    }
  });

  it('drops malformed or empty optional fields', () => {
    const raw = '{"resultcode":"00","message":"success","response":{"id":"1","nickname":"","gender":"X","birthday":"1001","email":""}}';
    expect(parse(raw)).toStrictEqual({ provider: 'naver', id: '1', displayName: '', _raw: raw, _json: JSON.parse(raw) });
  });
});
