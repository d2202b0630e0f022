/**
 * The CookieStateStore variants' login cookie, measured: each variant's app starts a login against the emulator and
 * the size of the real `Set-Cookie` header it answers is printed (whole header, and the `name=value` pair a browser
 * sends back). `node dist/src/cookie-size.js` after `pnpm build`.
 */
import { startChild } from './children.js';
import type { EmulatorInfo } from './variants.js';
import { VARIANTS } from './variants.js';

/** Set-Cookie sizes of one variant's login start, median over `samples` logins (the JWE's length varies little). */
export async function loginCookieSizes(variantName: string, samples = 5): Promise<{ header: number; pair: number }> {
  const variant = VARIANTS.find((v) => v.name === variantName);
  if (!variant) throw new Error(`unknown variant ${variantName}`);
  const emulator = await startChild<EmulatorInfo>('emulator-server.js', ['0']);
  const app = await startChild<{ port: number }>('app-server.js', [variant.name, JSON.stringify(emulator.info)]);
  try {
    const headers: number[] = [];
    const pairs: number[] = [];
    for (let i = 0; i < samples; i += 1) {
      const response = await fetch(`http://127.0.0.1:${app.info.port}/auth/${variant.provider}`, { redirect: 'manual' });
      const cookie = response.headers.getSetCookie().find((value) => value.startsWith('oauth2_login.'));
      if (!cookie) throw new Error(`${variant.name} set no login cookie`);
      headers.push(Buffer.byteLength(cookie));
      pairs.push(Buffer.byteLength(cookie.split(';')[0]!));
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    return { header: median(headers), pair: median(pairs) };
  } finally {
    await app.stop();
    await emulator.stop();
  }
}

const isMain = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  for (const variant of VARIANTS.filter((v) => v.name.endsWith('-cookie'))) {
    const sizes = await loginCookieSizes(variant.name);
    console.log(`${variant.name.padEnd(24)} Set-Cookie ${sizes.header} bytes (cookie sent back: ${sizes.pair} bytes)`);
  }
}
