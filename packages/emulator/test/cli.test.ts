/** The `kakao-naver-emulator` command (`pnpm emulator`), run as users run it: the built bin in a child process. */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

describe('kakao-naver-emulator command', () => {
  it('starts, prints its URLs and the test credentials, serves, and stops on SIGTERM', async () => {
    expect(existsSync(cli), 'run `pnpm build` first (`pnpm test` does)').toBe(true);
    const child = spawn(process.execPath, [cli, '--port', '0', '--auto-approve-kakao', 'kakao-full'], { stdio: ['ignore', 'pipe', 'pipe'] });
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
    const authorize = await fetch(`${origin}/oauth/authorize?client_id=emulator-kakao-rest-api-key&redirect_uri=${encodeURIComponent('http://localhost:3000/auth/kakao/callback')}&response_type=code`, { redirect: 'manual' });
    expect(authorize.status).toBe(302);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
