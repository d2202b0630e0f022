/** The `kakao-naver-emulator` command (`pnpm emulator`), run as users run it: the package's bin in a child process. */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { bin: Record<string, string>; files: string[] };
const bin = fileURLToPath(new URL(`../${pkg.bin['kakao-naver-emulator']!}`, import.meta.url));
const built = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

/** Runs the command to its end: exit code, stdout, stderr. */
function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

describe('kakao-naver-emulator command', () => {
  it('is a committed bin script (so pnpm install can link it before a build) that is published', () => {
    expect(pkg.bin).toEqual({ 'kakao-naver-emulator': './bin/kakao-naver-emulator.js' });
    expect(pkg.files).toContain('bin');
    expect(readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('starts, prints its URLs and the test credentials, serves, and stops on SIGTERM', async () => {
    expect(existsSync(built), 'run `pnpm build` first (`pnpm test` does)').toBe(true);
    const child = spawn(process.execPath, [bin, '--port', '0', '--auto-approve-kakao', 'kakao-full', '--kakao-redirect-uri', 'https://app.example/cb'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Press Ctrl+C')) resolve();
      });
      child.on('exit', (code) => reject(new Error(`exited early with ${code}: ${output}`)));
    });
    const origin = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
    expect(origin).toBeDefined();
    expect(output).toContain('clientID       emulator-kakao-rest-api-key');
    expect(output).toContain('clientSecret   emulatorNaverSecret');
    expect(output).toContain('test users     kakao-full, kakao-nickname, kakao-unverified, kakao-bigid');
    expect(output).toContain('redirect URIs  http://localhost:<port>/auth/kakao/callback, http://127.0.0.1:<port>/auth/kakao/callback, https://app.example/cb');
    const authorize = await fetch(`${origin}/oauth/authorize?client_id=emulator-kakao-rest-api-key&redirect_uri=${encodeURIComponent('https://app.example/cb')}&response_type=code`, { redirect: 'manual' });
    expect(authorize.status).toBe(302);
    expect(authorize.headers.get('location')).toMatch(/^https:\/\/app\.example\/cb\?code=/);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('lists every flag in --help', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    const flags = [...stdout.matchAll(/^ {2}(--[a-z-]+)/gm)].map((m) => m[1]);
    expect(flags).toEqual([
      '--port', '--host', '--public-origin', '--auto-approve-kakao', '--auto-approve-naver', '--kakao-redirect-uri', '--naver-redirect-uri', '--latency', '--log', '--strict', '--help',
    ]);
    // Every flag the help names is one the command accepts (and the other way round: unknown flags are refused below).
    const source = readFileSync(fileURLToPath(new URL('../src/cli.ts', import.meta.url)), 'utf8');
    const declared = [...source.matchAll(/^ {8}'?([a-z-]+)'?: \{ type:/gm)].map((m) => `--${m[1]}`);
    expect(declared).toEqual(flags);
  });

  it('with --strict refuses a Naver authorize without state (as Naver\'s guide says); without it, accepts it and warns once', async () => {
    const authorizeWithoutState = async (args: string[]) => {
      const child = spawn(process.execPath, [bin, '--port', '0', '--auto-approve-naver', 'naver-full', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      let errors = '';
      child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes('Press Ctrl+C')) resolve();
        });
        child.on('exit', (code) => reject(new Error(`exited early with ${code}: ${output}`)));
      });
      const origin = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)![1];
      const callback = 'http://localhost:3000/auth/naver/callback';
      const query = `client_id=emulatorNaverClientId&redirect_uri=${encodeURIComponent(callback)}&response_type=code`;
      const locations: string[] = [];
      for (let i = 0; i < 2; i += 1) locations.push((await fetch(`${origin}/oauth2.0/authorize?${query}`, { redirect: 'manual' })).headers.get('location')!);
      const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
      child.kill('SIGTERM');
      await exited;
      return { locations, errors };
    };
    const strict = await authorizeWithoutState(['--strict']);
    expect(strict.locations[0]).toBe('http://localhost:3000/auth/naver/callback?error=invalid_request&error_description=state%20is%20required');
    const lenient = await authorizeWithoutState([]);
    expect(lenient.locations.map((location) => [...new URL(location).searchParams.keys()])).toEqual([['code'], ['code']]);
    expect(lenient.errors).toBe(
      "kakao-naver-emulator: a Naver authorize request came without state: Naver's guide requires it (CSRF protection), though real Naver accepts it; --strict (naver.requireState) refuses it\n",
    );
  });

  it('refuses a port in use with one line and exit code 1', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const result = await run(['--port', String(port)]);
      expect(result).toEqual({
        code: 1,
        stdout: '',
        stderr: `kakao-naver-emulator: port ${port} on 127.0.0.1 is already in use; stop what is using it or choose another with --port\n`,
      });
    } finally {
      server.close();
    }
  });

  it('refuses an unknown --auto-approve user with the list of test users, and an unknown flag, with exit code 2', async () => {
    expect(await run(['--port', '0', '--auto-approve-naver', 'nobody'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'kakao-naver-emulator: unknown Naver test user "nobody" for --auto-approve-naver; the test users are naver-full, naver-name, naver-id-only, naver-masked\n',
    });
    const unknown = await run(['--prot', '4000']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe("kakao-naver-emulator: Unknown option '--prot' (see --help)\n");
  });

  it('refuses a --public-origin that is no origin with exit code 2 (a wrong command line)', async () => {
    expect(await run(['--port', '0', '--public-origin', 'http://x/y'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'kakao-naver-emulator: publicOrigin must be an origin with no path, query or credentials, got http://x/y\n',
    });
  });
});
