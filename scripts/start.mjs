// `pnpm start`: starts the example app. Until examples/express exists, says so and explains what works already.
import { existsSync } from 'node:fs';
import { spawn } from 'node:child_process';

const example = new URL('../examples/express/package.json', import.meta.url);
if (!existsSync(example)) {
  console.log('The example app (examples/express) is not built yet. Meanwhile: `pnpm test` runs every test.');
  process.exit(0);
}
const child = spawn('pnpm', ['--filter', './examples/express', 'start'], { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 1));
