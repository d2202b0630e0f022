/**
 * The id_token tamper suite both strategies run in OpenID Connect mode: the same bad tokens and broken key sets,
 * refused with the same codes, and nobody logged in. Each package supplies how to build its strategy and run a login.
 */
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import type { JWK } from 'jose';
import { inspect } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { closedPort, expectOutcome, silentServer } from './index.js';
import type { StrategyOutcome } from './index.js';

/** A signing key of the provider's, with its public JWK (`kid`, `alg: RS256`). */
export interface SuiteKey {
  privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
  jwk: JWK;
}

/** What a package tells the suite. */
export interface IdTokenSuiteSetup {
  /** `Kakao` or `Naver`, as error messages name the provider. */
  label: string;
  issuer: string;
  clientID: string;
  clientSecret: string;
  /** The sub the provider's tokens carry by default. */
  subject: string;
  /** The package's id_token error class. */
  errorClass: abstract new (...args: never[]) => Error;
  /**
   * A strategy with OpenID Connect and `profileFrom: 'idToken'` (so a login costs no profile request), plus `options`,
   * and the verify callback's calls.
   */
  strategy(options?: Record<string, unknown>): { strategy: object; calls: unknown[] };
  /** Starts a login, answers the code exchange with `makeToken(nonce)`'s id_token (none for `undefined`), finishes it. */
  login(strategy: object, makeToken: (nonce: string) => Promise<string | undefined>): Promise<StrategyOutcome>;
  /** Mocks the provider's JWKS endpoint once with this answer. */
  mockJWKS(status: number, body: unknown): void;
}

const now = () => Math.floor(Date.now() / 1000);

async function makeKey(kid: string): Promise<SuiteKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  return { privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

/** Registers the tamper suite in the calling test file. */
export function describeIdTokenTamperSuite(setup: IdTokenSuiteSetup): void {
  let keyA: SuiteKey;
  let keyB: SuiteKey;
  beforeAll(async () => {
    keyA = await makeKey(`${setup.label.toLowerCase()}-suite-key-a`);
    keyB = await makeKey(`${setup.label.toLowerCase()}-suite-key-b`);
  });

  const claims = (extra: Record<string, unknown>) => ({ iss: setup.issuer, aud: setup.clientID, sub: setup.subject, iat: now(), exp: now() + 3600, ...extra });
  const sign = (extra: Record<string, unknown>, key: SuiteKey = keyA) =>
    new SignJWT(claims(extra)).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: key.jwk.kid! }).sign(key.privateKey);
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const keys = (...list: SuiteKey[]) => setup.mockJWKS(200, { keys: list.map((key) => key.jwk) });

  async function expectRefused(strategyOptions: Record<string, unknown>, makeToken: (nonce: string) => Promise<string | undefined>, code: string) {
    const { strategy, calls } = setup.strategy(strategyOptions);
    const outcome = expectOutcome(await setup.login(strategy, makeToken), 'error');
    expect(outcome.error).toBeInstanceOf(setup.errorClass);
    expect((outcome.error as Error & { code: string }).code).toBe(code);
    expect(calls, 'the verify callback must not run').toEqual([]);
    return outcome.error as Error & { code: string; cause?: unknown };
  }

  describe(`${setup.label} id_token tamper suite`, () => {
    it('refuses a tampered signature (BAD_SIGNATURE)', async () => {
      keys(keyA);
      const refused = await expectRefused({}, async (nonce) => {
        const [header, payload, signature] = (await sign({ nonce })).split('.');
        return `${header}.${payload}.${(signature!.startsWith('A') ? 'B' : 'A') + signature!.slice(1)}`;
      }, 'BAD_SIGNATURE');
      expect(refused.message).toMatch(new RegExp(`^${setup.label} id_token refused \\(BAD_SIGNATURE\\): `));
    });

    it('refuses claims changed after signing (BAD_SIGNATURE)', async () => {
      keys(keyA);
      await expectRefused({}, async (nonce) => {
        const [header, , signature] = (await sign({ nonce })).split('.');
        return `${header}.${encode(claims({ nonce, sub: 'the-attacker' }))}.${signature}`;
      }, 'BAD_SIGNATURE');
    });

    it('refuses alg: none (ALG_NOT_ALLOWED)', async () => {
      await expectRefused({}, async (nonce) => `${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims({ nonce }))}.`, 'ALG_NOT_ALLOWED');
    });

    it('refuses HS256 signed with the client secret (ALG_NOT_ALLOWED)', async () => {
      await expectRefused({}, (nonce) =>
        new SignJWT(claims({ nonce })).setProtectedHeader({ alg: 'HS256', kid: keyA.jwk.kid! }).sign(new TextEncoder().encode(setup.clientSecret)), 'ALG_NOT_ALLOWED');
    });

    it.each([
      ['another app\'s aud', { aud: 'another-app' }, 'AUDIENCE_MISMATCH'],
      ['another iss', { iss: 'https://evil.example' }, 'ISSUER_MISMATCH'],
      ['an expired token', { exp: now() - 3600, iat: now() - 7200 }, 'EXPIRED'],
      ['an iat in the future', { iat: now() + 3600, exp: now() + 7200 }, 'ISSUED_IN_FUTURE'],
      ['several audiences without azp', { aud: ['<client>', 'another-app'] }, 'AZP_MISMATCH'],
      ['several audiences with another azp', { aud: ['<client>', 'another-app'], azp: 'another-app' }, 'AZP_MISMATCH'],
    ] as const)('refuses %s', async (_case, extra, code) => {
      keys(keyA);
      const fixed = 'aud' in extra && Array.isArray(extra.aud) ? { ...extra, aud: extra.aud.map((aud) => (aud === '<client>' ? setup.clientID : aud)) } : extra;
      await expectRefused({}, (nonce) => sign({ nonce, ...fixed }), code);
    });

    it('accepts several audiences whose azp is this app (OIDC Core 3.1.3.7)', async () => {
      keys(keyA);
      const { strategy, calls } = setup.strategy();
      expectOutcome(await setup.login(strategy, (nonce) => sign({ nonce, aud: [setup.clientID, 'another-app'], azp: setup.clientID })), 'success');
      expect(calls).toHaveLength(1);
    });

    it('refuses another nonce than the login sent (NONCE_MISMATCH)', async () => {
      keys(keyA);
      await expectRefused({}, () => sign({ nonce: 'someone-elses-nonce' }), 'NONCE_MISMATCH');
    });

    it('accepts exp within the clock tolerance and refuses it beyond', async () => {
      keys(keyA);
      const { strategy, calls } = setup.strategy({ clockTolerance: 120 });
      expectOutcome(await setup.login(strategy, (nonce) => sign({ nonce, exp: now() - 60 })), 'success');
      expect(calls).toHaveLength(1);
      keys(keyA); // a new strategy, whose key cache is empty
      await expectRefused({ clockTolerance: 120 }, (nonce) => sign({ nonce, exp: now() - 600 }), 'EXPIRED');
    });

    it('refuses a token that is not a JWT, and one without sub (MALFORMED)', async () => {
      await expectRefused({}, async () => 'not-a-jwt', 'MALFORMED');
      keys(keyA);
      await expectRefused({}, (nonce) => sign({ nonce, sub: undefined }), 'MALFORMED');
    });

    it('refuses a token response without an id_token (MISSING)', async () => {
      await expectRefused({}, async () => undefined, 'MISSING');
    });

    it('refreshes the keys once for an unknown kid after rotation, then logs in', async () => {
      const { strategy, calls } = setup.strategy({ jwksRefetchCooldown: 0 });
      keys(keyA);
      expectOutcome(await setup.login(strategy, (nonce) => sign({ nonce })), 'success');
      keys(keyA, keyB);
      expectOutcome(await setup.login(strategy, (nonce) => sign({ nonce }, keyB)), 'success');
      expect(calls).toHaveLength(2);
    });

    it('refuses a kid still unknown after one refetch (UNKNOWN_KID)', async () => {
      keys(keyA);
      keys(keyA);
      await expectRefused({ jwksRefetchCooldown: 0 }, (nonce) => sign({ nonce }, keyB), 'UNKNOWN_KID');
    });

    it('fetches the keys once across many logins (strict nock: a second fetch would fail)', async () => {
      const { strategy, calls } = setup.strategy();
      keys(keyA);
      for (let i = 0; i < 5; i += 1) expectOutcome(await setup.login(strategy, (nonce) => sign({ nonce })), 'success');
      expect(calls).toHaveLength(5);
    });

    it('reports keys that error, that are not a key set, or that exceed 1 MiB as JWKS_UNAVAILABLE', async () => {
      setup.mockJWKS(500, '<html>oops</html>');
      await expectRefused({}, (nonce) => sign({ nonce }), 'JWKS_UNAVAILABLE');
      setup.mockJWKS(200, { keys: 'none' });
      await expectRefused({}, (nonce) => sign({ nonce }), 'JWKS_UNAVAILABLE');
      setup.mockJWKS(200, `{"keys":[],"pad":"${'x'.repeat(1024 * 1024 + 10)}"}`);
      const capped = await expectRefused({}, (nonce) => sign({ nonce }), 'JWKS_UNAVAILABLE');
      expect((capped.cause as { code?: string } | undefined)?.code).toBe('INVALID_RESPONSE');
    });

    it('reports a JWKS endpoint that is down as JWKS_UNAVAILABLE', async () => {
      await expectRefused({ jwksURL: `http://127.0.0.1:${await closedPort()}/jwks` }, (nonce) => sign({ nonce }), 'JWKS_UNAVAILABLE');
    });

    it('reports a JWKS endpoint that hangs as JWKS_TIMEOUT within the timeout (a timeout in fractions of a ms too)', async () => {
      const server = await silentServer();
      try {
        const started = Date.now();
        await expectRefused({ jwksURL: `${server.url}/jwks`, timeout: 150.5 }, (nonce) => sign({ nonce }), 'JWKS_TIMEOUT');
        expect(Date.now() - started).toBeLessThan(2000);
      } finally {
        await server.close();
      }
    });

    it('keeps no claim of a refused token in the error (message, properties, inspect)', async () => {
      keys(keyA);
      const refused = await expectRefused({}, (nonce) => sign({ nonce, aud: 'another-app', email: 'victim@example.com', sub: 'victim-subject-0001' }), 'AUDIENCE_MISMATCH');
      for (const text of [refused.message, String(refused), inspect(refused, { depth: 10, showHidden: true })]) {
        expect(text).not.toContain('victim@example.com');
        expect(text).not.toContain('victim-subject-0001');
      }
    });
  });
}
