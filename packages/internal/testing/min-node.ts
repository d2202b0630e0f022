/**
 * The oldest Node version a package's `engines.node` admits, as a real binary, so a test can run the packed package on
 * it. The binary comes from the npm registry (the `node-<platform>-<arch>` packages hold the official builds in
 * `bin/node`) and is cached under the workspace's `node_modules/.cache/min-node/`, so it is fetched once per clone.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A Node binary of the wanted version, or why there is none (the caller skips, or fails in CI). */
export type MinimumNode = { version: string; node: string; skipped?: undefined } | { version: string; node?: undefined; skipped: string };

/**
 * The lowest version an `engines.node` range admits: `>=20` → `20.0.0`, `^20.19.0 || >=22.12.0` → `20.19.0`.
 * Handles the forms this workspace uses (`>=`, `^`, `~`, a bare version, `||`); throws on anything else.
 */
export function lowestVersion(range: string): string {
  const floors = range.split('||').map((alternative) => {
    const match = /^\s*(?:>=|\^|~)?\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:\s+<\S+)?\s*$/.exec(alternative);
    if (!match) throw new Error(`can't read the lower bound of the engines range "${range}"`);
    return [Number(match[1]), Number(match[2] ?? 0), Number(match[3] ?? 0)] as const;
  });
  floors.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
  return floors[0]!.join('.');
}

/** `engines.node` of the package in `packageDir`. */
export function enginesNode(packageDir: string): string {
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { engines?: { node?: string } };
  const range = manifest.engines?.node;
  if (!range) throw new Error(`${packageDir}/package.json has no engines.node`);
  return range;
}

/**
 * Returns the path of a Node `version` binary, downloading it into `<workspaceRoot>/node_modules/.cache/min-node/`
 * the first time. Safe when several test files ask for the same version at once (each unpacks into its own directory
 * and renames it into place). When it can't be had (no registry, an unsupported platform), returns why.
 */
export function minimumNode(workspaceRoot: string, version: string): MinimumNode {
  const platform = { linux: 'linux', darwin: 'darwin' }[process.platform as string];
  const arch = { x64: 'x64', arm64: 'arm64' }[process.arch as string];
  if (!platform || !arch) return { version, skipped: `no node-<platform>-<arch> package for ${process.platform}-${process.arch}` };
  const cache = join(workspaceRoot, 'node_modules', '.cache', 'min-node');
  const target = join(cache, `node-v${version}-${platform}-${arch}`);
  const node = join(target, 'bin', 'node');
  if (existsSync(node)) return { version, node };

  mkdirSync(cache, { recursive: true });
  const download = mkdtempSync(join(tmpdir(), 'min-node-'));
  const staging = mkdtempSync(join(cache, '.staging-'));
  try {
    // Run from the download directory so npm reads no project .npmrc; the user's registry settings still apply.
    const packed = execFileSync(
      'npm',
      ['pack', `node-${platform}-${arch}@${version}`, '--pack-destination', download, '--loglevel=error', '--no-fund', '--no-audit'],
      { cwd: download, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 180_000 },
    );
    const tarball = join(download, packed.trim().split('\n').pop()!.trim());
    execFileSync('tar', ['-xzf', tarball, '-C', staging, '--strip-components=1', 'package/bin/node'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const reported = execFileSync(join(staging, 'bin', 'node'), ['--version'], { encoding: 'utf8' }).trim();
    if (reported !== `v${version}`) throw new Error(`the downloaded binary says ${reported}, not v${version}`);
    try {
      renameSync(staging, target);
    } catch (error) {
      // Another test file put the same version in place first.
      if (!existsSync(node)) throw error;
    }
    return { version, node };
  } catch (error) {
    const stderr = (error as { stderr?: unknown }).stderr;
    const detail = (typeof stderr === 'string' && stderr.trim()) || (error instanceof Error ? error.message : String(error));
    // npm's first lines say what went wrong (code and reason); the rest is a stack.
    return { version, skipped: `could not install Node ${version} from the npm registry (node-${platform}-${arch}@${version}): ${detail.split('\n').slice(0, 2).join(' / ')}` };
  } finally {
    rmSync(download, { recursive: true, force: true });
    rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * The Node binary for the lowest version `packageDir`'s `engines.node` admits. Outside CI, a download failure returns
 * `skipped` (the caller skips, printing why); in CI (`CI=true`) it throws, so the check can't silently go missing.
 */
export function nodeForEngines(workspaceRoot: string, packageDir: string): MinimumNode {
  const result = minimumNode(workspaceRoot, lowestVersion(enginesNode(packageDir)));
  if (result.skipped !== undefined) {
    if (process.env['CI'] === 'true') throw new Error(`CI must run the minimum-Node test: ${result.skipped}`);
    console.warn(`Skipping the minimum-Node test: ${result.skipped}`);
  }
  return result;
}

/** Packs the built package in `packageDir` into `destination` and returns the tarball's path. */
export function packPackage(packageDir: string, destination: string): string {
  if (!existsSync(join(packageDir, 'dist'))) throw new Error(`${packageDir}/dist is missing: run \`pnpm build\` first (\`pnpm test\` does)`);
  const packed = execFileSync('pnpm', ['pack', '--pack-destination', destination], { cwd: packageDir, encoding: 'utf8' });
  return join(destination, packed.trim().split('\n').pop()!.trim().split('/').pop()!);
}

/**
 * Plain-JavaScript helpers for a script run on another Node binary: `authenticate(strategy, url, session)` drives a
 * strategy as Passport does and resolves with its first action; `follow(url)` resolves with a redirect's Location.
 */
export const PASSPORT_SCRIPT_HARNESS = String.raw`
const http = require('node:http');
function authenticate(strategy, url, session) {
  return new Promise((resolve) => {
    const parsed = new URL(url, 'http://localhost:3000');
    const req = { query: Object.fromEntries(parsed.searchParams), session, headers: { host: 'localhost:3000' },
                  url: parsed.pathname + parsed.search, method: 'GET', connection: { encrypted: false } };
    const action = Object.create(strategy);
    action.redirect = (location) => resolve({ redirect: location });
    action.success = (user) => resolve({ user });
    action.fail = (challenge) => resolve({ fail: challenge });
    action.error = (error) => resolve({ error: String((error && error.stack) || error) });
    action.pass = () => resolve({ pass: true });
    strategy.authenticate.call(action, req, {});
  });
}
const follow = (url) => new Promise((resolve, reject) => http.get(url, (res) => { res.resume(); resolve(res.headers.location); }).on('error', reject));
`;
