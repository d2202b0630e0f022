/**
 * `randomToken` (@passport-korea/internal, bundled into both packages): the state handles, PKCE verifiers and nonces
 * of every login come from it, drawn from a pool of CSPRNG bytes refilled when it runs out.
 */
import { randomToken } from '@passport-korea/internal';
import { describe, expect, it } from 'vitest';

describe('randomToken', () => {
  it('gives base64url of the bytes asked for: 24 bytes as 32 characters, 32 bytes as 43', () => {
    expect(randomToken(24)).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(randomToken(32)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(randomToken(7), 'base64url')).toHaveLength(7);
  });

  it('never repeats, across several refills of the 4 KiB pool (sizes that do not divide it)', () => {
    const tokens = Array.from({ length: 3000 }, (_, i) => randomToken([24, 32, 13][i % 3]!));
    expect(new Set(tokens).size).toBe(3000);
    for (const [i, token] of tokens.entries()) expect(Buffer.from(token, 'base64url')).toHaveLength([24, 32, 13][i % 3]!);
  });

  it('gives bytes that look uniform: half the bits set, every byte value seen', () => {
    const bytes = Buffer.concat(Array.from({ length: 4000 }, () => Buffer.from(randomToken(32), 'base64url')));
    let ones = 0;
    const values = new Set<number>();
    for (const byte of bytes) {
      values.add(byte);
      for (let bit = 0; bit < 8; bit += 1) ones += (byte >> bit) & 1;
    }
    // 1,024,000 bits: the share of ones has a standard deviation of 0.0005, so ±0.005 is ten of them.
    expect(Math.abs(ones / (bytes.length * 8) - 0.5)).toBeLessThan(0.005);
    expect(values.size).toBe(256);
  });

  it('refuses a size of 0, above 4,096 or not whole (RangeError)', () => {
    for (const size of [0, -1, 4097, 1.5, Number.NaN]) expect(() => randomToken(size)).toThrow(RangeError);
    expect(randomToken(4096)).toHaveLength(5462);
  });
});
