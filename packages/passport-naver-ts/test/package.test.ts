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
  console.log(`passport-naver-ts packed size: ${project.packedBytes} bytes`);
}, 180_000);

afterAll(() => project?.remove());

describe('the packed package', () => {
  it('ships only dist, package.json, README and LICENSE', () => {
    const files = project.run('npm', ['ls', '--all', '--parseable']).split('\n');
    expect(files.some((line) => line.endsWith('node_modules/passport-naver-ts'))).toBe(true);
    const listing = project.run('node', ['-e', "console.log(require('fs').readdirSync('node_modules/passport-naver-ts').sort().join(','))"]).trim();
    expect(listing).toBe('LICENSE,README.md,dist,package.json');
    // 120 KB: OpenID Connect (the shared id_token verifier) ships now; jose bundled by mistake would still exceed it.
    expect(project.packedBytes).toBeLessThan(120_000);
  });

  it('works with require()', () => {
    project.write(
      'check.cjs',
      `const { Strategy, NaverStrategy, NaverTokenError } = require('passport-naver-ts');
       const strategy = new Strategy({ clientID: 'id', clientSecret: 's' }, (a, r, p, done) => done(null, p));
       const error = new NaverTokenError({ error: 'invalid_request', errorDescription: 'no valid data in session', httpStatus: 200 });
       console.log(JSON.stringify([strategy.name, Strategy === NaverStrategy, error instanceof require('passport-oauth2').TokenError]));`,
    );
    expect(JSON.parse(project.run('node', ['check.cjs']))).toEqual(['naver', true, true]);
  });

  it('works with import', () => {
    project.write(
      'check.mjs',
      `import passport from 'passport';
       import { Strategy, NaverAPIError } from 'passport-naver-ts';
       passport.use(new Strategy({ clientID: 'id', clientSecret: 's' }, (a, r, p, done) => done(null, p)));
       console.log(JSON.stringify([passport._strategy('naver').name, new NaverAPIError({ resultcode: '024', message: 'x', httpStatus: 401 }).resultcode]));`,
    );
    expect(JSON.parse(project.run('node', ['check.mjs']))).toEqual(['naver', '024']);
  });

  it('type-checks a strict TypeScript app (NodeNext, ESM and CJS)', () => {
    project.write(
      'app.ts',
      `import passport from 'passport';
       import { Strategy, NaverAPIError } from 'passport-naver-ts';
       import type { NaverProfile, NaverTokenResponse, NaverVerifyCallback } from 'passport-naver-ts';
       passport.use(new Strategy({ clientID: 'id', clientSecret: 's', callbackURL: '/cb' }, (accessToken, refreshToken, profile, done) => {
         const email: string | undefined = profile.emails?.[0]?.value;
         done(null, { id: profile.id, email, accessToken, refreshToken });
       }));
       new Strategy({ clientID: 'id', clientSecret: 's' },
         (_a: string, _r: string, params: NaverTokenResponse, profile: NaverProfile, done: NaverVerifyCallback) => {
           const seconds: number = params.expires_in;
           done(null, { id: profile.id, seconds });
         });
       passport.authenticate('naver', { authType: 'reauthenticate' });
       export const isExpired = (error: unknown) => error instanceof NaverAPIError && error.resultcode === '024';
       // @ts-expect-error clientSecret is required
       new Strategy({ clientID: 'id' }, () => undefined);
      `,
    );
    project.write('app.cts', `import naver = require('passport-naver-ts');\nconst s: naver.Strategy = new naver.Strategy({ clientID: 'id', clientSecret: 's' }, (_a, _r, p, d) => d(null, { id: p.id }));\nexport = s;\n`);
    project.write('tsconfig.json', JSON.stringify({
      compilerOptions: { strict: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', noEmit: true, types: ['node'], skipLibCheck: false },
      files: ['app.ts', 'app.cts'],
    }));
    project.write('package.json', JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }));
    expect(project.run('node', [typescriptCompiler(workspaceRoot), '-p', 'tsconfig.json'])).toBe('');
  });
});
