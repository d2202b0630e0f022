import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, configFromEnv } from '../src/config.js';
import type { EmulatorSettings } from '../src/config.js';

const emulator: EmulatorSettings = {
  kakao: { baseURL: 'http://127.0.0.1:4000', clientID: 'emulator-kakao-rest-api-key', clientSecret: 'emulator-kakao-client-secret' },
  naver: { baseURL: 'http://127.0.0.1:4000', clientID: 'emulatorNaverClientId', clientSecret: 'emulatorNaverSecret' },
};
const SECRET_A = 'a'.repeat(64);
const SECRET_B = 'b'.repeat(64);
const realKeys = { KAKAO_CLIENT_ID: 'kakao-rest-key', NAVER_CLIENT_ID: 'naver-id', NAVER_CLIENT_SECRET: 'naver-secret' };

/** `.env.example` as the environment it would give, KEY=value lines only. */
function envExample(): NodeJS.ProcessEnv {
  const text = readFileSync(join(__dirname, '..', '.env.example'), 'utf8');
  return Object.fromEntries(text.split('\n').filter((line) => /^[A-Z_]+=/.test(line)).map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
}

describe('configFromEnv', () => {
  it('runs on the emulator without keys, with random secrets and Kakao OIDC on', () => {
    const config = configFromEnv({}, emulator);
    expect(config.kakao).toEqual({ mode: 'emulator', ...emulator.kakao, oidc: true });
    expect(config.naver).toEqual({ mode: 'emulator', ...emulator.naver });
    expect(config.jwtSecret).toMatch(/^[0-9a-f]{64}$/);
    expect(config.loginCookieSecret).toMatch(/^[0-9a-f]{64}$/);
    expect(config.jwtSecret).not.toBe(config.loginCookieSecret);
    expect(config).toMatchObject({ sessionTtlSeconds: 43_200, secureCookies: false, providerTimeoutMs: 10_000 });
  });

  it('uses the real services when keys are set; OIDC then only with KAKAO_OIDC=true', () => {
    const config = configFromEnv({ ...realKeys, JWT_SECRET: SECRET_A }, undefined);
    expect(config.kakao).toEqual({ mode: 'real', clientID: 'kakao-rest-key', clientSecret: undefined, baseURL: undefined, oidc: false });
    expect(config.naver).toEqual({ mode: 'real', clientID: 'naver-id', clientSecret: 'naver-secret', baseURL: undefined });
    expect(config.jwtSecret).toBe(SECRET_A);
    expect(configFromEnv({ ...realKeys, KAKAO_OIDC: 'true' }, undefined).kakao.oidc).toBe(true);
    expect(() => configFromEnv({ ...realKeys, KAKAO_OIDC: 'yes' }, undefined)).toThrow(new ConfigError('KAKAO_OIDC must be 1, true, 0 or false'));
  });

  it('treats .env.example as no keys and no secrets in development', () => {
    const config = configFromEnv(envExample(), emulator);
    expect(config.kakao.mode).toBe('emulator');
    expect(config.naver.mode).toBe('emulator');
    expect(config.jwtSecret).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses .env.example\'s placeholders in production, naming the variable and never the value', () => {
    const placeholders = envExample();
    expect(placeholders['JWT_SECRET']).toMatch(/^change-me/);
    expect(() => configFromEnv({ ...placeholders, ...realKeys, NODE_ENV: 'production' }, undefined)).toThrow(
      new ConfigError('JWT_SECRET is still the placeholder from .env.example; set a random value (openssl rand -hex 32)'),
    );
    expect(() => configFromEnv({ ...realKeys, JWT_SECRET: SECRET_A, LOGIN_COOKIE_SECRET: 'change-me', NODE_ENV: 'production' }, undefined)).toThrow(
      new ConfigError('LOGIN_COOKIE_SECRET is still the placeholder from .env.example; set a random value (openssl rand -hex 32)'),
    );
    expect(() => configFromEnv({ ...realKeys, KAKAO_CLIENT_ID: 'your-kakao-rest-api-key', JWT_SECRET: SECRET_A, LOGIN_COOKIE_SECRET: SECRET_B, NODE_ENV: 'production' }, undefined)).toThrow(
      new ConfigError('KAKAO_CLIENT_ID is still the placeholder from .env.example'),
    );
  });

  it('in production: requires both secrets and the keys, and marks cookies Secure', () => {
    expect(() => configFromEnv({ ...realKeys, NODE_ENV: 'production' }, undefined)).toThrow(new ConfigError('JWT_SECRET must be set in production'));
    expect(() => configFromEnv({ JWT_SECRET: SECRET_A, LOGIN_COOKIE_SECRET: SECRET_B, NODE_ENV: 'production' }, emulator)).toThrow(
      new ConfigError('No kakao keys are set; the emulator is for development and tests, not production'),
    );
    const production = { ...realKeys, JWT_SECRET: SECRET_A, LOGIN_COOKIE_SECRET: SECRET_B, NODE_ENV: 'production' };
    expect(() => configFromEnv(production, undefined)).toThrow(
      new ConfigError('PUBLIC_ORIGIN must be set in production: the callback URLs are built from it (e.g. https://app.example.com)'),
    );
    expect(() => configFromEnv({ ...production, PUBLIC_ORIGIN: 'http://app.example.com' }, undefined)).toThrow(new ConfigError('PUBLIC_ORIGIN must be https in production'));
    const config = configFromEnv({ ...production, PUBLIC_ORIGIN: 'https://app.example.com' }, undefined);
    expect(config).toMatchObject({ secureCookies: true, publicOrigin: 'https://app.example.com', trustProxy: false });
  });

  it('reads PUBLIC_ORIGIN (an origin only; https makes the cookies Secure) and TRUST_PROXY as Express takes it', () => {
    expect(configFromEnv({}, emulator)).toMatchObject({ publicOrigin: undefined, trustProxy: false });
    expect(configFromEnv({ PUBLIC_ORIGIN: 'https://app.example.com/' }, emulator)).toMatchObject({ publicOrigin: 'https://app.example.com', secureCookies: true });
    expect(configFromEnv({ PUBLIC_ORIGIN: 'http://localhost:3100' }, emulator)).toMatchObject({ publicOrigin: 'http://localhost:3100', secureCookies: false });
    for (const bad of ['app.example.com', 'https://app.example.com/path', 'ftp://app.example.com', 'https://user@app.example.com']) {
      expect(() => configFromEnv({ PUBLIC_ORIGIN: bad }, emulator)).toThrow(new ConfigError('PUBLIC_ORIGIN must be an origin only: scheme, host and optional port (e.g. https://app.example.com)'));
    }
    expect(['1', 'true', 'false', 'loopback', '10.0.0.0/8, 127.0.0.1'].map((value) => configFromEnv({ TRUST_PROXY: value }, emulator).trustProxy)).toEqual([1, true, false, 'loopback', '10.0.0.0/8, 127.0.0.1']);
    expect(configFromEnv({ TRUST_PROXY: '10.0.0.0/255.0.0.0, ::1/128, uniquelocal, 192.168.0.0/255.255.255.255' }, emulator).trustProxy).toBe('10.0.0.0/255.0.0.0, ::1/128, uniquelocal, 192.168.0.0/255.255.255.255');
    for (const value of ['banana', '10.0.0.0/33', '10.0.0.1/8/8', 'loopback,', '10.0.0.0/0', '::/0', '0.0.0.0/0.0.0.0', '10.0.0.0/255.0.255.0']) {
      expect(() => configFromEnv({ TRUST_PROXY: value }, emulator)).toThrow(
        new ConfigError('TRUST_PROXY must be true, false, a number of hops, or addresses/subnets (e.g. loopback or 10.0.0.0/8)'),
      );
    }
    expect(() => configFromEnv({ TRUST_PROXY: 'yes please!' }, emulator)).toThrow(
      new ConfigError('TRUST_PROXY must be true, false, a number of hops, or addresses/subnets (e.g. loopback or 10.0.0.0/8)'),
    );
  });

  it('reads SECURE_COOKIES as 1, true, 0 or false in any case, and refuses anything else', () => {
    for (const value of ['1', 'true', 'TRUE']) expect(configFromEnv({ SECURE_COOKIES: value }, emulator).secureCookies).toBe(true);
    for (const value of ['0', 'false', '']) expect(configFromEnv({ SECURE_COOKIES: value }, emulator).secureCookies).toBe(false);
    expect(() => configFromEnv({ SECURE_COOKIES: 'yes' }, emulator)).toThrow(new ConfigError('SECURE_COOKIES must be 1, true, 0 or false'));
  });

  it('refuses half a key pair, naming the missing half (no quiet fallback to the emulator)', () => {
    expect(() => configFromEnv({ NAVER_CLIENT_ID: 'naver-id' }, emulator)).toThrow(new ConfigError('NAVER_CLIENT_ID is set but NAVER_CLIENT_SECRET is missing'));
    expect(() => configFromEnv({ NAVER_CLIENT_SECRET: 'naver-secret' }, emulator)).toThrow(new ConfigError('NAVER_CLIENT_SECRET is set but NAVER_CLIENT_ID is missing'));
    expect(() => configFromEnv({ KAKAO_CLIENT_SECRET: 'kakao-secret' }, emulator)).toThrow(new ConfigError('KAKAO_CLIENT_SECRET is set but KAKAO_CLIENT_ID is missing'));
  });

  it('refuses a secret shorter than 32 bytes, without echoing it', () => {
    let message = '';
    try {
      configFromEnv({ JWT_SECRET: 'short-secret-value' }, emulator);
    } catch (error) {
      message = error instanceof Error ? error.message : '';
    }
    expect(message).toBe('JWT_SECRET must be at least 32 bytes long');
  });
});
