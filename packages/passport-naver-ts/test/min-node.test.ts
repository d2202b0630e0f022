/**
 * The packed package on the oldest Node its `engines.node` admits (the binary comes from the npm registry, cached in
 * node_modules/.cache/min-node): `require`, `import`, and a whole login through the packed emulator (state, code
 * exchange with Naver's HTTP-200 error handling, profile).
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
  const { startEmulator, naverUserId, DEFAULT_NAVER_USERS } = await import('kakao-naver-emulator');
  const emulator = await startEmulator({ autoApprove: { naver: 'naver-full' }, naver: { requireState: true } });
  try {
    const strategy = new Strategy(
      { clientID: emulator.naver.clientID, clientSecret: emulator.naver.clientSecret, baseURL: emulator.naver.baseURL,
        callbackURL: 'http://localhost:3000/auth/naver/callback' },
      (accessToken, refreshToken, profile, done) => done(null, {
        sameId: profile.id === naverUserId(emulator.naver.clientID, DEFAULT_NAVER_USERS.find((user) => user.key === 'naver-full')),
        email: profile.emails && profile.emails[0] && profile.emails[0].value }));
    const session = {};
    const start = await authenticate(strategy, '/auth/naver', session);
    if (!start.redirect) throw new Error('no redirect: ' + JSON.stringify(start));
    const back = new URL(await follow(start.redirect));
    const end = await authenticate(strategy, back.pathname + back.search, session);
    console.log(JSON.stringify({ node: process.version, end }));
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
    end: { user: { sameId: true, email: 'openapi@naver.example' } },
  };

  it('logs in through require()', () => {
    project.write('login.cjs', login(`const { Strategy } = require('passport-naver-ts');`));
    expect(run('login.cjs')).toEqual(expected);
  });

  it('logs in through import', () => {
    project.write('login.mjs', `import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\n${login(`const { Strategy } = await import('passport-naver-ts');`)}`);
    expect(run('login.mjs')).toEqual(expected);
  });
});
