/**
 * Settings checked at start (issue 12.12, 12.13, 12.15): production refuses what is unsafe with one line naming the
 * variable, the emulator never starts in production, PORT= falls back to 3000, and the start line prints the port
 * actually bound.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseEnv } from 'node:util';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_SESSION_MAX_AGE_MS, EMULATOR_KAKAO_ADMIN_KEY, EMULATOR_KAKAO_APP_ID, configFromEnv, readSettings } from '../src/config.js';
import { start } from '../src/main.js';
import { waitFor } from './helpers.js';

const SECRET = 'a'.repeat(16) + 'b'.repeat(16);
/** A complete production environment; each test breaks one thing. */
const PRODUCTION = {
  NODE_ENV: 'production',
  SESSION_SECRET: SECRET,
  PUBLIC_ORIGIN: 'https://app.example.com',
  TRUST_PROXY: '1',
  KAKAO_CLIENT_ID: 'kakao-rest-key',
  NAVER_CLIENT_ID: 'naver-id',
  NAVER_CLIENT_SECRET: 'naver-secret',
};
const EMULATOR = { kakao: { baseURL: 'http://e', clientID: 'k', clientSecret: 's' }, naver: { baseURL: 'http://e', clientID: 'n', clientSecret: 'ns' } };

function refusal(env: NodeJS.ProcessEnv): string {
  try {
    readSettings(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error('readSettings accepted the environment');
}

describe('production', () => {
  it('accepts a complete environment and never uses the emulator', () => {
    const config = configFromEnv(PRODUCTION, undefined, SECRET);
    expect(config.kakao).toEqual({ mode: 'real', clientID: 'kakao-rest-key', clientSecret: undefined, baseURL: undefined });
    expect(config.naver).toEqual({ mode: 'real', clientID: 'naver-id', clientSecret: 'naver-secret', baseURL: undefined });
    expect(config.publicOrigin).toBe('https://app.example.com');
    expect(config.secureCookies).toBe(true);
    expect(config.session.maxAgeMs).toBe(DEFAULT_SESSION_MAX_AGE_MS);
  });

  it('refuses to start without SESSION_SECRET', () => {
    const { SESSION_SECRET: _omitted, ...env } = PRODUCTION;
    expect(refusal(env)).toBe('SESSION_SECRET is not set: production needs a random secret of at least 32 characters (openssl rand -hex 32)');
    expect(refusal({ ...env, SESSION_SECRET: '  ' })).toMatch(/^SESSION_SECRET is not set/);
  });

  it('refuses the values shipped in .env.example, and placeholders and short secrets', () => {
    const example = parseEnv(readFileSync(fileURLToPath(new URL('../.env.example', import.meta.url)), 'utf8'));
    expect(Object.keys(example)).toContain('SESSION_SECRET');
    // .env.example as shipped, with production switched on and keys filled in: refused for its SESSION_SECRET.
    expect(refusal({ ...example, NODE_ENV: 'production', PUBLIC_ORIGIN: 'https://app.example.com', KAKAO_CLIENT_ID: 'k' })).toMatch(/^SESSION_SECRET is (not set|a placeholder)/);
    expect(refusal({ ...PRODUCTION, SESSION_SECRET: 'change-me' })).toBe('SESSION_SECRET is a placeholder from an example: set a random secret (openssl rand -hex 32)');
    expect(refusal({ ...PRODUCTION, SESSION_SECRET: 'x'.repeat(31) })).toBe('SESSION_SECRET is too short: production needs at least 32 characters (openssl rand -hex 32)');
  });

  it.each([
    [{ NAVER_CLIENT_SECRET: '' }, 'NAVER_CLIENT_ID is set but NAVER_CLIENT_SECRET is missing'],
    [{ NAVER_CLIENT_ID: '' }, 'NAVER_CLIENT_SECRET is set but NAVER_CLIENT_ID is missing'],
    [{ KAKAO_CLIENT_ID: '', KAKAO_CLIENT_SECRET: 'kakao-secret' }, 'KAKAO_CLIENT_SECRET is set but KAKAO_CLIENT_ID is missing'],
  ])('refuses half-set keys %o, naming the missing variable', (change, message) => {
    expect(refusal({ ...PRODUCTION, ...change })).toBe(message);
    // The same outside production: half-set keys never fall back to the emulator silently.
    expect(refusal({ ...PRODUCTION, NODE_ENV: 'development', ...change })).toBe(message);
  });

  it('turns a provider without keys off (no emulator, no button, no route), and refuses when none has keys', async () => {
    const config = configFromEnv({ ...PRODUCTION, NAVER_CLIENT_ID: '', NAVER_CLIENT_SECRET: '' }, undefined, SECRET);
    expect(config.naver.mode).toBe('off');
    expect(refusal({ ...PRODUCTION, KAKAO_CLIENT_ID: '', NAVER_CLIENT_ID: '', NAVER_CLIENT_SECRET: '' })).toBe(
      'no provider keys are set: production never starts the emulator; set KAKAO_CLIENT_ID, or NAVER_CLIENT_ID and NAVER_CLIENT_SECRET',
    );
    const lines: string[] = [];
    const running = await start({ ...PRODUCTION, NAVER_CLIENT_ID: '', NAVER_CLIENT_SECRET: '', PORT: '0' }, (line) => lines.push(line));
    try {
      expect(running.emulator).toBeUndefined();
      expect(lines).toContain('  Kakao: real service');
      expect(lines).toContain('  Naver: off (no keys)');
      const url = `http://127.0.0.1:${running.port}`;
      const home = await request(url).get('/').expect(200);
      expect(home.text).toContain('data-testid="login-kakao"');
      expect(home.text).not.toContain('data-testid="login-naver"');
      await request(url).get('/auth/naver').expect(404);
      const login = new URL((await request(url).get('/auth/kakao').expect(302)).headers['location'] as string);
      expect(login.origin + login.pathname).toBe('https://kauth.kakao.com/oauth/authorize');
      expect(login.searchParams.get('redirect_uri')).toBe('https://app.example.com/auth/kakao/callback');
    } finally {
      await running.close();
    }
  });

  it('needs PUBLIC_ORIGIN, and an https one', () => {
    const { PUBLIC_ORIGIN: _omitted, ...env } = PRODUCTION;
    expect(refusal(env)).toBe('PUBLIC_ORIGIN is not set: production builds callback URLs from it (e.g. https://app.example.com)');
    expect(refusal({ ...PRODUCTION, PUBLIC_ORIGIN: 'http://app.example.com' })).toBe('PUBLIC_ORIGIN must be https in production: the session cookie is only sent Secure');
    expect(refusal({ ...PRODUCTION, PUBLIC_ORIGIN: 'https://app.example.com/app' })).toBe('PUBLIC_ORIGIN must be an origin only: scheme, host and optional port (e.g. https://app.example.com)');
    expect(refusal({ ...PRODUCTION, PUBLIC_ORIGIN: 'app.example.com' })).toBe('PUBLIC_ORIGIN is not a URL (expected e.g. https://app.example.com)');
  });

  it('needs TRUST_PROXY in production: the https origin is a proxy in front of this plain-HTTP app', () => {
    const { TRUST_PROXY: _omitted, ...env } = PRODUCTION;
    expect(refusal(env)).toBe(
      'TRUST_PROXY is not set: behind the proxy that serves https://, set it to that proxy (1 for one hop, loopback, or its addresses), or the Secure session cookie is never sent',
    );
    expect(refusal({ ...env, TRUST_PROXY: 'false' })).toMatch(/^TRUST_PROXY is not set/);
    expect(refusal({ ...env, TRUST_PROXY: '0' })).toMatch(/^TRUST_PROXY is not set/);
  });

  it('reads SECURE_COOKIES as 1, true, 0 or false in any case, and refuses anything else', () => {
    for (const value of ['1', 'true', 'TRUE']) expect(readSettings({ SECURE_COOKIES: value }).secureCookies).toBe(true);
    for (const value of ['0', 'false', '']) expect(readSettings({ SECURE_COOKIES: value }).secureCookies).toBe(false);
    expect(refusal({ SECURE_COOKIES: 'yes' })).toBe('SECURE_COOKIES must be 1, true, 0 or false');
  });

  it('lists every problem on one line and never prints a secret', () => {
    const message = refusal({ ...PRODUCTION, SESSION_SECRET: 'short-but-secret-value', NAVER_CLIENT_SECRET: '', PORT: 'http' });
    expect(message).toBe('SESSION_SECRET is too short: production needs at least 32 characters (openssl rand -hex 32); '
      + 'NAVER_CLIENT_ID is set but NAVER_CLIENT_SECRET is missing; PORT must be a whole number from 0 to 65535');
    expect(message).not.toContain('short-but-secret-value');
    expect(message).not.toContain('\n');
  });
});

describe('settings in every mode', () => {
  it('uses the real service for a provider with keys and the emulator for the other', () => {
    const config = configFromEnv({ KAKAO_CLIENT_ID: 'real-key' }, EMULATOR, 'x');
    expect(config.providerTimeoutMs).toBe(10_000);
    expect(config.kakao).toEqual({ mode: 'real', clientID: 'real-key', clientSecret: undefined, baseURL: undefined });
    expect(config.naver).toEqual({ mode: 'emulator', clientID: 'n', clientSecret: 'ns', baseURL: 'http://e' });
    expect(() => configFromEnv({}, undefined, 'x')).toThrow('No kakao keys are set and the emulator is not running');
  });

  it('falls back to port 3000 when PORT is empty or unset, and refuses a PORT that is not a port', () => {
    expect(readSettings({ PORT: '' }).port).toBe(3000);
    expect(readSettings({}).port).toBe(3000);
    expect(readSettings({ PORT: '0' }).port).toBe(0);
    expect(readSettings({ PORT: ' 8080 ' }).port).toBe(8080);
    expect(refusal({ PORT: '70000' })).toBe('PORT must be a whole number from 0 to 65535');
    expect(refusal({ PORT: '30OO' })).toBe('PORT must be a whole number from 0 to 65535');
  });

  it('reads TRUST_PROXY as Express does', () => {
    expect(readSettings({}).trustProxy).toBe(false);
    expect(readSettings({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(readSettings({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(readSettings({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(readSettings({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toBe('loopback, 10.0.0.0/8');
    expect(refusal({ TRUST_PROXY: 'my-proxy' })).toBe('TRUST_PROXY must be true, false, a number of hops, or addresses/subnets (e.g. loopback or 10.0.0.0/8)');
  });

  it('checks REDIS_URL and SESSION_MAX_AGE_MS', () => {
    expect(readSettings({ REDIS_URL: 'redis://127.0.0.1:6379/0' }).redisURL).toBe('redis://127.0.0.1:6379/0');
    expect(refusal({ REDIS_URL: '127.0.0.1:6379' })).toBe('REDIS_URL must start with redis:// or rediss://');
    expect(readSettings({ SESSION_MAX_AGE_MS: '60000' }).sessionMaxAgeMs).toBe(60_000);
    expect(refusal({ SESSION_MAX_AGE_MS: '10' })).toBe('SESSION_MAX_AGE_MS must be a whole number from 1000 to 2147483647');
  });

  it('prints the port actually bound (PORT=0) on the start line, and serves on it', async () => {
    const lines: string[] = [];
    const running = await start({ PORT: '0', EMULATOR_PORT: '0' }, (line) => lines.push(line));
    try {
      expect(running.port).toBeGreaterThan(0);
      expect(lines[0]).toBe(`Example app listening on http://localhost:${running.port}`);
      expect(running.emulator).toBeDefined();
      await request(`http://127.0.0.1:${running.port}`).get('/').expect(200);
    } finally {
      await running.close();
    }
  });
});

describe('webhooks, SDK-token routes and the login state', () => {
  it('reads KAKAO_APP_ID and KAKAO_ADMIN_KEY with real keys, and uses the emulator\'s app id and the example\'s admin key on the emulator', () => {
    expect(configFromEnv({ KAKAO_CLIENT_ID: 'k', KAKAO_APP_ID: '1234567', KAKAO_ADMIN_KEY: 'admin' }, EMULATOR, 'x').kakaoApp).toEqual({ appId: 1234567, adminKey: 'admin', oidc: false });
    expect(configFromEnv({ KAKAO_CLIENT_ID: 'k', KAKAO_APP_ID: '1234567' }, EMULATOR, 'x').kakaoApp).toEqual({ appId: 1234567, adminKey: undefined, oidc: false });
    expect(configFromEnv({ KAKAO_CLIENT_ID: 'k' }, EMULATOR, 'x').kakaoApp).toEqual({ appId: undefined, adminKey: undefined, oidc: false });
    expect(configFromEnv({ KAKAO_OIDC: '1' }, EMULATOR, 'x').kakaoApp).toEqual({ appId: EMULATOR_KAKAO_APP_ID, adminKey: EMULATOR_KAKAO_ADMIN_KEY, oidc: true });
    expect(EMULATOR_KAKAO_APP_ID).toBe(100001);
  });

  it('refuses Kakao app settings that would be ignored or cannot work, naming the variable and never its value', () => {
    expect(refusal({ KAKAO_CLIENT_ID: 'k', KAKAO_ADMIN_KEY: 'secret-admin-key' })).toBe('KAKAO_ADMIN_KEY is set but KAKAO_APP_ID is missing');
    expect(refusal({ KAKAO_ADMIN_KEY: 'secret-admin-key' })).toBe('KAKAO_ADMIN_KEY is set but KAKAO_CLIENT_ID is missing');
    expect(refusal({ KAKAO_APP_ID: '123' })).toBe('KAKAO_APP_ID is set but KAKAO_CLIENT_ID is missing');
    expect(refusal({ KAKAO_CLIENT_ID: 'k', KAKAO_APP_ID: 'my-app' })).toBe('KAKAO_APP_ID must be the app\'s numeric id (Kakao Developers > App > General)');
    expect(refusal({ KAKAO_OIDC: 'yes' })).toBe('KAKAO_OIDC must be 1, true, 0 or false');
    expect(refusal({ NAVER_OIDC: 'on' })).toBe('NAVER_OIDC must be 1, true, 0 or false');
    expect(configFromEnv({ NAVER_OIDC: 'true' }, EMULATOR, 'x').naverOidc).toBe(true);
    expect(configFromEnv({}, EMULATOR, 'x').naverOidc).toBe(false);
  });

  it('reads LOGIN_STATE and its secret: LOGIN_STATE_SECRET, else SESSION_SECRET, of at least 32 characters', () => {
    expect(configFromEnv({}, EMULATOR, 'x').loginState).toEqual({ kind: 'session' });
    expect(configFromEnv({ LOGIN_STATE: 'cookie', LOGIN_STATE_SECRET: SECRET }, EMULATOR, 'x').loginState).toEqual({ kind: 'cookie', secret: SECRET });
    expect(configFromEnv({ ...PRODUCTION, LOGIN_STATE: 'cookie' }, undefined, SECRET).loginState).toEqual({ kind: 'cookie', secret: SECRET });
    expect(refusal({ LOGIN_STATE: 'redis' })).toBe('LOGIN_STATE must be session or cookie');
    expect(refusal({ LOGIN_STATE: 'cookie', LOGIN_STATE_SECRET: 'short-login-secret' })).toBe('LOGIN_STATE_SECRET is too short for LOGIN_STATE=cookie: at least 32 characters (openssl rand -hex 32)');
    expect(refusal({ LOGIN_STATE: 'cookie', SESSION_SECRET: 'short-session-secret' })).toBe('SESSION_SECRET is too short for LOGIN_STATE=cookie: at least 32 characters (openssl rand -hex 32)');
    expect(refusal({ LOGIN_STATE: 'cookie', LOGIN_STATE_SECRET: 'change-me' })).toBe('LOGIN_STATE_SECRET is a placeholder from an example: LOGIN_STATE=cookie needs a random secret (openssl rand -hex 32)');
    expect(refusal({ LOGIN_STATE_SECRET: SECRET })).toBe('LOGIN_STATE_SECRET is set but LOGIN_STATE is not cookie');
    // In production a short SESSION_SECRET is named once, not twice.
    expect(refusal({ ...PRODUCTION, LOGIN_STATE: 'cookie', SESSION_SECRET: 'x'.repeat(31) })).toBe('SESSION_SECRET is too short: production needs at least 32 characters (openssl rand -hex 32)');
  });

  it('in production without KAKAO_APP_ID and KAKAO_ADMIN_KEY: says the Kakao webhook and token route are off, and starts', async () => {
    const lines: string[] = [];
    const warnings: string[] = [];
    const running = await start({ ...PRODUCTION, PORT: '0' }, (line) => lines.push(line), (line) => warnings.push(line));
    try {
      expect(lines.slice(4)).toEqual([
        '  Login state: in the session',
        '  Kakao unlink webhook: off: set KAKAO_APP_ID and KAKAO_ADMIN_KEY to verify Kakao\'s calls',
        '  Naver deauthorize callback: /webhooks/naver/deauthorize',
        '  SDK-token sign-in: Kakao off: set KAKAO_APP_ID (a token of another app must be refused); Naver POST /auth/naver/token',
      ]);
      const url = `http://127.0.0.1:${running.port}`;
      await request(url).get('/webhooks/kakao/unlink').expect(404);
      // The events page (other users' ids) is not served in production.
      await request(url).get('/webhooks').expect(404);
      // The Naver callback is: a GET gets its 405.
      await request(url).get('/webhooks/naver/deauthorize').expect(405).expect('allow', 'POST');
      expect(await waitFor(async () => (warnings.length > 0 ? warnings : undefined))).toEqual(['Naver deauthorize webhook refused: BAD_METHOD (HTTP 405)']);
    } finally {
      await running.close();
    }
  });

  it('in production with KAKAO_APP_ID and KAKAO_ADMIN_KEY: both on, and the admin key printed nowhere', async () => {
    const lines: string[] = [];
    const warnings: string[] = [];
    const running = await start({ ...PRODUCTION, PORT: '0', KAKAO_APP_ID: '1234567', KAKAO_ADMIN_KEY: 'secret-admin-key', LOGIN_STATE: 'cookie' }, (line) => lines.push(line), (line) => warnings.push(line));
    try {
      expect(lines.slice(4)).toEqual([
        '  Login state: sealed cookie (LOGIN_STATE=cookie, secret from SESSION_SECRET)',
        '  Kakao unlink webhook: /webhooks/kakao/unlink, GET and POST',
        '  Naver deauthorize callback: /webhooks/naver/deauthorize',
        '  SDK-token sign-in: Kakao POST /auth/kakao/token; Naver POST /auth/naver/token',
      ]);
      expect(lines.join('\n')).not.toContain('secret-admin-key');
      await request(`http://127.0.0.1:${running.port}`).get('/webhooks/kakao/unlink').set('Authorization', 'KakaoAK wrong').expect(401).expect('');
      expect(await waitFor(async () => (warnings.length > 0 ? warnings : undefined))).toEqual(['Kakao unlink webhook refused: BAD_AUTHORIZATION (HTTP 401)']);
    } finally {
      await running.close();
    }
  });
});

describe('the server process', () => {
  const server = fileURLToPath(new URL('../dist/src/server.js', import.meta.url));

  /** Runs the built server (`pnpm build` makes it) with `env` only, from a directory without a `.env`. */
  function run(env: NodeJS.ProcessEnv, untilStdout?: RegExp): Promise<{ code: number | null; stdout: string; stderr: string }> {
    if (!existsSync(server)) throw new Error(`${server} is missing: run pnpm build first`);
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [server], { cwd: tmpdir(), env: { PATH: process.env['PATH'], ...env } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (untilStdout?.test(stdout)) child.kill('SIGTERM');
      });
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('exit', (code) => resolve({ code, stdout, stderr }));
    });
  }

  it('refuses to start in production without SESSION_SECRET: one line, exit code 1, no stack trace', async () => {
    const { SESSION_SECRET: _omitted, ...env } = PRODUCTION;
    const result = await run(env);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('Cannot start: SESSION_SECRET is not set: production needs a random secret of at least 32 characters (openssl rand -hex 32)\n');
  });

  it('refuses half-set keys naming the variable, before starting anything', async () => {
    const result = await run({ ...PRODUCTION, NAVER_CLIENT_SECRET: '', PORT: '0' });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('Cannot start: NAVER_CLIENT_ID is set but NAVER_CLIENT_SECRET is missing\n');
  });

  it('with PORT= (empty) uses 3000: when 3000 is busy it says so, in one line', async () => {
    const { createServer } = await import('node:net');
    const busy = createServer();
    // Hold 3000 (or find it already held by something else): either way the server cannot have it.
    await new Promise<void>((resolve) => {
      busy.once('error', () => resolve());
      busy.listen(3000, () => resolve());
    });
    try {
      const result = await run({ PORT: '', EMULATOR_PORT: '0' }, /listening/);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe('Cannot start: cannot listen on port 3000 (EADDRINUSE): set PORT to another port\n');
    } finally {
      busy.close();
    }
  });
});
