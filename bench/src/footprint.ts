import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** One package's weight for users. */
export interface Footprint {
  packageName: string;
  version: string;
  /** Median of 7 cold `require()`s in fresh processes, in ms. */
  coldRequireMs: number;
  /** Distinct packages installed with it (production dependencies, transitively). */
  dependencies: number;
  /** How many of those are `@types/*` (type declarations only). */
  typeDependencies: number;
  /** `npm pack` tarball size, in bytes. */
  packedBytes: number;
}

/** Finds `name`'s folder the way Node resolves packages: `node_modules/<name>` in `from` or an ancestor. */
function findPackageDir(name: string, from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (basename(dir) !== 'node_modules') {
      const candidate = join(dir, 'node_modules', name);
      if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    }
    if (dir === dirname(dir)) throw new Error(`${name} is not installed above ${from}`);
  }
}

function manifest(dir: string): { name: string; version: string; dependencies?: Record<string, string> } {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; version: string; dependencies?: Record<string, string> };
}

/** Walks production dependencies through the installed tree; counts each name@version once. */
function transitiveDependencies(dir: string): string[] {
  const seen = new Set<string>();
  const visit = (from: string) => {
    for (const dep of Object.keys(manifest(from).dependencies ?? {})) {
      const depDir = findPackageDir(dep, from);
      const id = `${dep}@${manifest(depDir).version}`;
      if (seen.has(id)) continue;
      seen.add(id);
      visit(depDir);
    }
  };
  visit(dir);
  return [...seen];
}

/** Measures cold require time, dependencies and packed size of `name` as the bench package has it installed. */
export function footprint(name: string, benchDir: string): Footprint {
  const dir = findPackageDir(name, benchDir);
  const times: number[] = [];
  for (let i = 0; i < 7; i += 1) {
    const out = execFileSync(process.execPath, ['-e', `const t=process.hrtime.bigint();require(${JSON.stringify(dir)});console.log(Number(process.hrtime.bigint()-t)/1e6)`], { encoding: 'utf8' });
    times.push(Number(out.trim()));
  }
  times.sort((a, b) => a - b);
  const deps = transitiveDependencies(dir);
  const packed = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as Array<{ size: number }>;
  return {
    packageName: name,
    version: manifest(dir).version,
    coldRequireMs: times[3]!,
    dependencies: deps.length,
    typeDependencies: deps.filter((d) => d.startsWith('@types/')).length,
    packedBytes: packed[0]!.size,
  };
}
