/**
 * An app that installs both strategy packages gets two copies of the shared error classes (each package bundles its
 * own). `instanceof` must hold across them, and across each package's ESM and CommonJS builds.
 */
import { createRequire } from 'node:module';
import * as kakao from 'passport-kakao-ts';
import * as naver from 'passport-naver-ts';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const kakaoCjs = require('passport-kakao-ts') as typeof kakao;

describe('shared error classes across packages', () => {
  it('makes instanceof ProviderRequestError hold whichever package made the error', () => {
    const fromKakao = new kakao.ProviderRequestError('x', { provider: 'kakao', code: 'TIMEOUT', endpoint: 'GET https://kapi.kakao.com/v2/user/me' });
    const fromNaver = new naver.ProviderRequestError('y', { provider: 'naver', code: 'NETWORK_ERROR', endpoint: 'GET https://openapi.naver.com/v1/nid/me' });
    expect(naver.ProviderRequestError).not.toBe(kakao.ProviderRequestError);
    expect(fromKakao instanceof naver.ProviderRequestError).toBe(true);
    expect(fromNaver instanceof kakao.ProviderRequestError).toBe(true);
    expect(fromNaver instanceof kakaoCjs.ProviderRequestError).toBe(true);
    expect(new kakao.SessionRequiredError('KakaoStrategy') instanceof naver.SessionRequiredError).toBe(true);
  });

  it('still tells other values apart', () => {
    expect(new Error('plain') instanceof kakao.ProviderRequestError).toBe(false);
    expect({ code: 'TIMEOUT' } instanceof naver.ProviderRequestError).toBe(false);
    expect((null as unknown) instanceof naver.ProviderRequestError).toBe(false);
    expect(new kakao.KakaoTokenError({ error: 'invalid_grant', httpStatus: 400 }) instanceof naver.ProviderRequestError).toBe(false);
  });
});
