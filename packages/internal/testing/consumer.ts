/**
 * Tests a package as users get it: packed into a tarball, installed with npm into a scratch project outside the
 * workspace, then required, imported and type-checked there.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** A scratch project with the packed package installed. */
export interface ConsumerProject {
  dir: string;
  /** Size of the packed tarball in bytes. */
  packedBytes: number;
  /** Runs a command in the project and returns its standard output. */
  run(command: string, args: readonly string[]): string;
  write(file: string, content: string): void;
  remove(): void;
}

/**
 * Packs `packageDir` (which must be built) and installs the tarball, plus `extraDependencies`, into a new project.
 * Uses npm, not pnpm, on purpose: that is what most users run, and it proves the package needs nothing from the workspace.
 */
export function createConsumerProject(packageDir: string, extraDependencies: readonly string[]): ConsumerProject {
  if (!existsSync(join(packageDir, 'dist'))) {
    throw new Error(`${packageDir}/dist is missing: run \`pnpm build\` first (\`pnpm test\` does)`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'consumer-'));
  const packed = execFileSync('pnpm', ['pack', '--pack-destination', dir], { cwd: packageDir, encoding: 'utf8' });
  const tarball = resolve(dir, packed.trim().split('\n').pop()!.trim());
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }, null, 2));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', tarball, ...extraDependencies], {
    cwd: dir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return {
    dir,
    packedBytes: statSync(tarball).size,
    run: (command, args) => execFileSync(command, args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }),
    write: (file, content) => writeFileSync(join(dir, file), content),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The workspace's TypeScript compiler, used to type-check consumer code. */
export function typescriptCompiler(workspaceRoot: string): string {
  const bin = join(workspaceRoot, 'node_modules', 'typescript', 'bin', 'tsc');
  if (!existsSync(bin)) throw new Error(`TypeScript is not installed at ${bin}`);
  return bin;
}

/** Reads a JSON file of the consumer project. */
export function readJSON(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}
