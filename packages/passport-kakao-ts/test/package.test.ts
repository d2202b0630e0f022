/**
 * The package as users get it: `pnpm pack`, `npm install` of the tarball into a scratch project, then
 * `require`, `import` and a strict TypeScript app against it.
 */
import { fileURLToPath } from 'node:url';
import { createConsumerProject, typescriptCompiler } from '@passport-korea/internal/testing';
import type { ConsumerProject } from '@passport-korea/internal/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const workspaceRoot = fileURLToPath(new URL('../../..', import.meta.url));
let project: ConsumerProject;

beforeAll(() => {
  project = createConsumerProject(packageDir, ['passport@0.7', 'typescript@~5.9.3', '@types/node@20']);
  console.log(`passport-kakao-ts packed size: ${project.packedBytes} bytes`);
}, 180_000);

afterAll(() => project?.remove());

describe('the packed package', () => {
  it('ships only dist, package.json, README and LICENSE', () => {
    const files = project.run('npm', ['ls', '--all', '--parseable']).split('\n');
    expect(files.some((line) => line.endsWith('node_modules/passport-kakao-ts'))).toBe(true);
    const listing = project.run('node', ['-e', "console.log(require('fs').readdirSync('node_modules/passport-kakao-ts').sort().join(','))"]).trim();
    expect(listing).toBe('LICENSE,README.md,dist,package.json');
    // A budget that catches a dependency (jose is ~250 KB) being bundled in by mistake.
    expect(project.packedBytes).toBeLessThan(150_000);
  });

  it('works with require()', () => {
    project.write(
      'check.cjs',
      `const kakao = require('passport-kakao-ts');
       const { Strategy, KakaoStrategy, KakaoTokenError, ProviderRequestError } = kakao;
       const strategy = new Strategy({ clientID: 'k' }, (a, r, p, done) => done(null, p));
       const error = new KakaoTokenError({ error: 'invalid_grant', errorCode: 'KOE320', httpStatus: 400 });
       console.log(JSON.stringify([strategy.name, Strategy === KakaoStrategy, error instanceof require('passport-oauth2').TokenError, typeof ProviderRequestError]));`,
    );
    expect(JSON.parse(project.run('node', ['check.cjs']))).toEqual(['kakao', true, true, 'function']);
  });

  it('loads jose only when an id_token has to be verified', () => {
    const loaded = project.run('node', ['-e', "require('passport-kakao-ts'); console.log(Object.keys(require.cache).some((k) => k.includes('jose')))"]).trim();
    expect(loaded).toBe('false');
    const resolved = project.run('node', ['-e', "import('jose').then((j) => console.log(typeof j.jwtVerify))"]).trim();
    expect(resolved).toBe('function');
  });

  it('works with import', () => {
    project.write(
      'check.mjs',
      `import passport from 'passport';
       import { Strategy, KakaoAPIError } from 'passport-kakao-ts';
       passport.use(new Strategy({ clientID: 'k' }, (a, r, p, done) => done(null, p)));
       console.log(JSON.stringify([passport._strategy('kakao').name, new KakaoAPIError({ apiCode: -401, msg: 'x', httpStatus: 401 }).apiCode]));`,
    );
    expect(JSON.parse(project.run('node', ['check.mjs']))).toEqual(['kakao', -401]);
  });

  it('type-checks a strict TypeScript app (NodeNext, ESM and CJS)', () => {
    project.write(
      'app.ts',
      `import passport from 'passport';
       import { Strategy, KakaoTokenError } from 'passport-kakao-ts';
       import type { KakaoProfile, KakaoTokenResponse, KakaoVerifyCallback } from 'passport-kakao-ts';
       passport.use(new Strategy({ clientID: 'k', clientSecret: 's', callbackURL: '/cb', scope: ['profile_nickname'] },
         (accessToken, refreshToken, profile, done) => {
           const id: string = profile.id;
           const email: string | undefined = profile.emails?.[0]?.value;
           done(null, { id, email, accessToken, refreshToken });
         }));
       new Strategy({ clientID: 'k' },
         (_a: string, _r: string, params: KakaoTokenResponse, profile: KakaoProfile, done: KakaoVerifyCallback) => {
           const seconds: number = params.expires_in;
           done(null, { id: profile.id, seconds });
         });
       passport.authenticate('kakao', { prompt: 'login', loginHint: 'a@b.c', failureRedirect: '/login' });
       export function isCodeReused(error: unknown): boolean {
         return error instanceof KakaoTokenError && error.errorCode === 'KOE320';
       }
       // @ts-expect-error clientID is required
       new Strategy({}, () => undefined);
      `,
    );
    project.write('app.cts', `import kakao = require('passport-kakao-ts');\nconst s: kakao.Strategy = new kakao.Strategy({ clientID: 'k' }, (_a, _r, p, d) => d(null, { id: p.id }));\nexport = s;\n`);
    project.write('tsconfig.json', JSON.stringify({
      compilerOptions: { strict: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', noEmit: true, types: ['node'], skipLibCheck: false },
      files: ['app.ts', 'app.cts'],
    }));
    project.write('package.json', JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }));
    expect(project.run('node', [typescriptCompiler(workspaceRoot), '-p', 'tsconfig.json'])).toBe('');
  });
});
