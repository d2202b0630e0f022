/**
 * The verify callback's forms and failures, and the whole-login deadline, for Naver.
 */
import { expectOutcome, silentServer, useNoUnhandledRejections, useStrictNock } from '@passport-korea/internal/testing';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { ProviderRequestError, Strategy } from '../src/index.js';
import type { NaverProfile } from '../src/index.js';
import { TOKEN_RESPONSE_DOC, USER_FULL_DOC } from './fixtures/naver.js';
import { CALLBACK_URL, CLIENT_ID, CLIENT_SECRET, NID, OPENAPI, login } from './helpers.js';

useStrictNock();
useNoUnhandledRejections();

const base = { clientID: CLIENT_ID, clientSecret: CLIENT_SECRET, callbackURL: CALLBACK_URL };

function mockLogin() {
  nock(NID).post('/oauth2.0/token').reply(200, TOKEN_RESPONSE_DOC);
  nock(OPENAPI).get('/v1/nid/me').reply(200, USER_FULL_DOC);
}

describe('verify forms and failures', () => {
  it('passes the token response with passTokenResponse: true to a rest-parameter callback (NestJS)', async () => {
    mockLogin();
    const received: unknown[][] = [];
    const strategy = new Strategy({ ...base, passTokenResponse: true }, ((...args: unknown[]) => {
      received.push(args.slice(0, -1));
      (args.at(-1) as (err: null, user: object) => void)(null, { id: (args[3] as NaverProfile).id });
    }) as never);
    expect(expectOutcome(await login(strategy), 'success').user).toEqual({ id: '32742776' });
    expect(received[0]![2]).toEqual({ access_token: expect.any(String), token_type: 'bearer', expires_in: 3600 });
  });

  it('turns a rejected async verify into one Passport error and no unhandled rejection', async () => {
    mockLogin();
    const failure = new Error('database down');
    expect(expectOutcome(await login(new Strategy(base, async () => { throw failure; })), 'error').error).toBe(failure);
  });

  it('turns a synchronous throw into one Passport error', async () => {
    mockLogin();
    const failure = new RangeError('bug');
    expect(expectOutcome(await login(new Strategy(base, () => { throw failure; })), 'error').error).toBe(failure);
  });
});

describe('one deadline for the whole login', () => {
  it('ends a login whose token answer is slow and whose profile call hangs within the timeout, not twice it', async () => {
    const server = await silentServer();
    try {
      nock(NID).post('/oauth2.0/token').delay(250).reply(200, TOKEN_RESPONSE_DOC);
      const strategy = new Strategy({ ...base, timeout: 400, profileURL: `${server.url}/v1/nid/me` }, (_a, _r, p, d) => d(null, p));
      const started = Date.now();
      const error = expectOutcome(await login(strategy), 'error').error as ProviderRequestError;
      const elapsed = Date.now() - started;
      expect(error).toBeInstanceOf(ProviderRequestError);
      expect(error.code).toBe('TIMEOUT');
      expect(elapsed).toBeGreaterThanOrEqual(380);
      expect(elapsed).toBeLessThan(600);
    } finally {
      await server.close();
    }
  });
});
