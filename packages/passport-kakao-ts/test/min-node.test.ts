/**
 * The packed package on the oldest Node its `engines.node` admits (the binary comes from the npm registry, cached in
 * node_modules/.cache/min-node): `require`, `import`, and a whole OpenID Connect login through the packed emulator,
 * so jose (loaded with `import()` from the CommonJS build too) verifies an id_token on that version.
 * Skips, saying why, when the binary can't be downloaded, except in CI (CI=true), where it must run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PASSPORT_SCRIPT_HARNESS, createConsumerProject, nodeForEngines, packPackage } from '@passport-korea/internal/testing';
import type { ConsumerProject } from '@passport-korea/internal/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const workspaceRoot = fileURLToPath(new URL('../../..', import.meta.url));
const minimum = nodeForEngines(workspaceRoot, packageDir);

/** One login with the strategy as Passport drives it, against the emulator; prints what each step gave. */
const login = (load: string) => `
${PASSPORT_SCRIPT_HARNESS}
(async () => {
  ${load}
  const { startEmulator } = await import('kakao-naver-emulator');
  const emulator = await startEmulator({ autoApprove: { kakao: 'kakao-full' } });
  try {
    const strategy = new Strategy(
      { clientID: emulator.kakao.clientID, clientSecret: emulator.kakao.clientSecret, baseURL: emulator.kakao.baseURL,
        callbackURL: 'http://localhost:3000/auth/kakao/callback', oidc: true },
      (accessToken, refreshToken, profile, done) => done(null, { id: profile.id, email: profile.emails && profile.emails[0] && profile.emails[0].value }));
    const session = {};
    const start = await authenticate(strategy, '/auth/kakao', session);
    if (!start.redirect) throw new Error('no redirect: ' + JSON.stringify(start));
    const back = new URL(await follow(start.redirect));
    const end = await authenticate(strategy, back.pathname + back.search, session);
    console.log(JSON.stringify({ node: process.version, scope: new URL(start.redirect).searchParams.get('scope'), end }));
  } finally {
    await emulator.close();
  }
})().catch((error) => { console.error(error); process.exit(1); });
`;

describe.skipIf(minimum.node === undefined)(`the packed package on Node ${minimum.version}, its engines floor`, () => {
  let project: ConsumerProject;
  const run = (file: string) => JSON.parse(project.run(minimum.node!, [file])) as unknown;

  beforeAll(() => {
    const packs = mkdtempSync(join(tmpdir(), 'packs-'));
    try {
      const emulator = packPackage(join(workspaceRoot, 'packages', 'emulator'), packs);
      project = createConsumerProject(packageDir, ['passport@0.7', emulator]);
    } finally {
      rmSync(packs, { recursive: true, force: true });
    }
  }, 180_000);

  afterAll(() => project?.remove());

  const expected = {
    node: `v${minimum.version}`,
    scope: expect.stringContaining('openid'),
    end: { user: { id: '4012345678', email: 'gildong@kakao.example' } },
  };

  it('logs in with OpenID Connect through require()', () => {
    project.write('login.cjs', login(`const { Strategy } = require('passport-kakao-ts');`));
    expect(run('login.cjs')).toEqual(expected);
  });

  it('logs in with OpenID Connect through import', () => {
    project.write('login.mjs', `import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\n${login(`const { Strategy } = await import('passport-kakao-ts');`)}`);
    expect(run('login.mjs')).toEqual(expected);
  });
});
