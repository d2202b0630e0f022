/**
 * The packed emulator on the oldest Node its `engines.node` admits (the binary comes from the npm registry, cached in
 * node_modules/.cache/min-node). The package is ESM-only, so that floor is set by `require()` of it (require(esm),
 * unflagged in Node 20.19 and 22.12): `require`, `import` and the command are each run there.
 * Skips, saying why, when the binary can't be downloaded, except in CI (CI=true), where it must run.
 */
import { fileURLToPath } from 'node:url';
import { createConsumerProject, nodeForEngines } from '@passport-korea/internal/testing';
import type { ConsumerProject } from '@passport-korea/internal/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const workspaceRoot = fileURLToPath(new URL('../../..', import.meta.url));
const minimum = nodeForEngines(workspaceRoot, packageDir);

/** Starts the emulator (signing keys made with jose), reads Kakao's OIDC discovery and JWKS, and stops it. */
const check = `
  const emulator = await startEmulator();
  try {
    const get = (path) => fetch(emulator.kakao.baseURL + path).then((response) => response.json());
    const discovery = await get('/.well-known/openid-configuration');
    const jwks = await get('/.well-known/jwks.json');
    console.log(JSON.stringify({ node: process.version, issuer: discovery.issuer === emulator.kakao.baseURL, keys: jwks.keys.map((key) => key.kty) }));
  } finally {
    await emulator.close();
  }
`;

describe.skipIf(minimum.node === undefined)(`the packed emulator on Node ${minimum.version}, its engines floor`, () => {
  let project: ConsumerProject;
  const run = (args: string[]) => project.run(minimum.node!, args);
  const expected = { node: `v${minimum.version}`, issuer: true, keys: ['RSA'] };

  beforeAll(() => {
    project = createConsumerProject(packageDir, []);
  }, 180_000);

  afterAll(() => project?.remove());

  it('works with require()', () => {
    project.write('check.cjs', `const { startEmulator } = require('kakao-naver-emulator');\n(async () => {${check}})().catch((error) => { console.error(error); process.exit(1); });\n`);
    expect(JSON.parse(run(['check.cjs']))).toEqual(expected);
  });

  it('works with import', () => {
    project.write('check.mjs', `import { startEmulator } from 'kakao-naver-emulator';\n${check}\n`);
    expect(JSON.parse(run(['check.mjs']))).toEqual(expected);
  });

  it('runs the command', () => {
    expect(run(['node_modules/kakao-naver-emulator/dist/cli.js', '--help'])).toContain('--port');
  });
});
