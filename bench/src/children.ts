import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The bench package's folder, from either `src/` (tests) or `dist/src/` (the built runner). */
export function benchRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || existsSync(join(dir, 'tsconfig.build.json'))) dir = dirname(dir);
  return dir;
}

/** A built script of this package (child processes run the compiled JavaScript). */
function builtScript(name: string): string {
  const path = join(benchRoot(), 'dist', 'src', name);
  if (!existsSync(path)) throw new Error(`${path} is missing: run \`pnpm build\` first`);
  return path;
}

/** A child process that reported `T` once ready; `stop()` ends it. */
export interface Child<T> {
  info: T;
  stop(): Promise<void>;
}

/** Forks a built script (with Node flags `execArgv`, e.g. `--expose-gc`) and waits for its first message. */
export function startChild<T>(script: string, args: string[], execArgv: string[] = []): Promise<Child<T>> {
  const child: ChildProcess = fork(builtScript(script), args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [...process.execArgv, ...execArgv] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before it was ready`)));
    child.once('message', (info) => {
      child.removeAllListeners('exit');
      resolve({
        info: info as T,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}
