/**
 * Compile-time checks: the documented strategy classes type-check under `strict` against `@nestjs/passport`, and
 * their `validate` takes exactly what the strategy hands it with `passTokenResponse: true`. `@nestjs/passport` types
 * `validate` as `(...args: any[])`, so a `validate` annotated for the wrong verify form would compile unnoticed: the
 * `expectTypeOf` lines below are what catch it (`tsc`, run here and by `pnpm build`, checks them).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { KakaoVerifyWithParams, Strategy as KakaoPassportStrategy } from 'passport-kakao-ts';
import type { NaverVerifyWithParams, Strategy as NaverPassportStrategy } from 'passport-naver-ts';
import { afterAll, describe, expect, expectTypeOf, it } from 'vitest';
import type { KakaoStrategy } from '../src/auth/kakao.strategy.js';
import type { NaverStrategy } from '../src/auth/naver.strategy.js';
import type { AppUser } from '../src/auth/user.js';

const run = promisify(execFile);
const projectDir = join(__dirname, '..');
const tsc = createRequire(join(projectDir, 'package.json')).resolve('typescript/bin/tsc');
const scratch = join(projectDir, '.tmp', 'types');

/** The verify callback's parameters without the trailing `done`: what `validate` receives. */
type WithoutDone<T extends unknown[]> = T extends [...infer Rest, unknown] ? Rest : never;

/** Runs `tsc --noEmit -p <project>`; resolves with its exit code and output. */
async function typecheck(project: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout } = await run(process.execPath, [tsc, '--noEmit', '-p', project], { cwd: projectDir });
    return { code: 0, output: stdout };
  } catch (error) {
    const failed = error instanceof Error && 'stdout' in error && 'code' in error ? error : undefined;
    return { code: typeof failed?.code === 'number' ? failed.code : -1, output: String(failed?.stdout ?? error) };
  }
}

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('strategy classes at compile time', () => {
  it('validate() takes exactly the passTokenResponse verify form without done, and returns the app user', () => {
    expectTypeOf<Parameters<KakaoStrategy['validate']>>().toEqualTypeOf<WithoutDone<Parameters<KakaoVerifyWithParams>>>();
    expectTypeOf<Parameters<NaverStrategy['validate']>>().toEqualTypeOf<WithoutDone<Parameters<NaverVerifyWithParams>>>();
    expectTypeOf<ReturnType<KakaoStrategy['validate']>>().toEqualTypeOf<Promise<AppUser>>();
    expectTypeOf<ReturnType<NaverStrategy['validate']>>().toEqualTypeOf<Promise<AppUser>>();
    expectTypeOf<KakaoStrategy>().toExtend<KakaoPassportStrategy>();
    expectTypeOf<NaverStrategy>().toExtend<NaverPassportStrategy>();
  });

  it('the example type-checks under strict (tsc --noEmit -p examples/nestjs)', async () => {
    const result = await typecheck(join(projectDir, 'tsconfig.json'));
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  });

  it('tsc refuses a strategy whose options or validate() do not match passTokenResponse', async () => {
    mkdirSync(scratch, { recursive: true });
    writeFileSync(
      join(scratch, 'wrong.ts'),
      `import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-kakao-ts';
import type { KakaoProfile, KakaoVerifyWithParams } from 'passport-kakao-ts';
import { expectTypeOf } from 'vitest';

type WithoutDone<T extends unknown[]> = T extends [...infer Rest, unknown] ? Rest : never;

export class WrongOptions extends PassportStrategy(Strategy, 'kakao') {
  constructor() {
    super({ clientID: 'k', passTokenResponse: 'yes' });
  }
  validate(): string {
    return 'user';
  }
}

// Annotated for the 4-argument form although the strategy passes the token response third.
export class WrongValidate extends PassportStrategy(Strategy, 'kakao') {
  constructor() {
    super({ clientID: 'k', passTokenResponse: true });
  }
  validate(_accessToken: string, _refreshToken: string, profile: KakaoProfile): string {
    return profile.id;
  }
}
expectTypeOf<Parameters<WrongValidate['validate']>>().toEqualTypeOf<WithoutDone<Parameters<KakaoVerifyWithParams>>>();
`,
    );
    writeFileSync(
      join(scratch, 'tsconfig.json'),
      JSON.stringify({ extends: '../../tsconfig.json', compilerOptions: { composite: false, rootDir: '.', noEmit: true }, include: ['wrong.ts'] }),
    );
    const result = await typecheck(join(scratch, 'tsconfig.json'));
    expect(result.code).toBe(2);
    const errors = result.output.split('\n').filter((line) => line.includes('error TS')).map((line) => /\((\d+),\d+\): error (TS\d+)/.exec(line)?.slice(1).join(' '));
    // Line 10: the options (passTokenResponse must be true or false); line 26: validate's parameters.
    expect(errors).toEqual(['10 TS2345', '26 TS2344']);
  });
});
