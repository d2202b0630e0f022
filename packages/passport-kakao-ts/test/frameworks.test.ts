/**
 * Logins without express-session in the frameworks people use: Express 5, NestJS 11 (@nestjs/passport) and Fastify 5
 * (@fastify/passport), each against the emulator on 127.0.0.1 with the cookie store. Also: with state on and neither a
 * session nor a store, one clear SessionRequiredError naming both remedies.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { useStrictNock } from '@passport-korea/internal/testing';
import fastifyCookie from '@fastify/cookie';
import { Authenticator as FastifyAuthenticator } from '@fastify/passport';
import fastifySecureSession from '@fastify/secure-session';
import { Controller, Get, Module, Req, UseGuards } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AuthGuard, PassportStrategy } from '@nestjs/passport';
import express from 'express';
import Fastify from 'fastify';
import type { FastifyInstance, preValidationHookHandler } from 'fastify';
import { startEmulator } from 'kakao-naver-emulator';
import type { Emulator } from 'kakao-naver-emulator';
import passport from 'passport';
import { CookieStateStore as NaverCookieStateStore, SessionRequiredError as NaverSessionRequiredError, Strategy as NaverStrategy } from 'passport-naver-ts';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CookieStateStore, SessionRequiredError, Strategy as KakaoStrategy } from '../src/index.js';
import type { KakaoProfile, KakaoTokenResponse } from '../src/index.js';

useStrictNock();

const SECRET = 'frameworks-test-login-cookie-secret-0123456789';

let emulator: Emulator;
beforeAll(async () => {
  // requireTokenState: the Naver code exchange fails without the authorize request's state, so a Naver login proves
  // the state came back from the cookie.
  emulator = await startEmulator({ naver: { requireState: true, requireTokenState: true } });
});
afterAll(() => emulator.close());

const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

type Provider = 'kakao' | 'naver';

function kakaoOptions() {
  return { clientID: emulator.kakao.clientID, clientSecret: emulator.kakao.clientSecret, baseURL: emulator.kakao.baseURL, callbackURL: '/auth/kakao/callback' };
}
function naverOptions() {
  return { clientID: emulator.naver.clientID, clientSecret: emulator.naver.clientSecret, baseURL: emulator.naver.baseURL, callbackURL: '/auth/naver/callback' };
}

/** Both strategies with the cookie store (each package's own class), or with the default (session) store. */
function strategies(withStore: boolean) {
  const kakao = new KakaoStrategy({ ...kakaoOptions(), ...(withStore ? { store: new CookieStateStore({ secret: SECRET }) } : {}) }, (_a, _r, profile, done) =>
    done(null, { provider: 'kakao', id: profile.id }),
  );
  const naver = new NaverStrategy({ ...naverOptions(), ...(withStore ? { store: new NaverCookieStateStore({ secret: SECRET }) } : {}) }, (_a, _r, profile, done) =>
    done(null, { provider: 'naver', id: profile.id, name: profile.displayName }),
  );
  return { kakao, naver };
}

async function listenExpress(app: express.Express): Promise<string> {
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  closers.push(() => new Promise((resolve) => server.close(resolve)));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** The login cookie of a `/auth/<provider>` answer, as `name=value` (what the browser sends back to the callback path). */
function loginCookie(setCookie: string | string[] | null | undefined, provider: Provider): string {
  const all = setCookie === null || setCookie === undefined ? [] : Array.isArray(setCookie) ? setCookie : [setCookie];
  // Beside the login's cookie, the store's pending list (on the path the login route and the callback share).
  const list = all.filter((cookie) => !cookie.startsWith('oauth2_login.pending-'));
  expect(all.filter((cookie) => cookie.startsWith('oauth2_login.pending-'))).toEqual([
    expect.stringMatching(new RegExp(`^oauth2_login\\.pending-[\\w-]{6}=[\\w-]{32}~\\d+; Max-Age=600; Path=/; HttpOnly; SameSite=Lax$`)),
  ]);
  expect(list).toHaveLength(1);
  expect(list[0]).toMatch(new RegExp(`^oauth2_login\\.[A-Za-z0-9_-]{32}=[^;]+; Max-Age=600; Path=/auth/${provider}/callback; HttpOnly; SameSite=Lax$`));
  return list[0]!.split(';')[0]!;
}

/**
 * A whole login as a browser does it: `/auth/<provider>` on the app, the emulator (auto-approving), then the callback
 * with the login cookie. Returns the callback's answer.
 */
async function browserLogin(origin: string, provider: Provider): Promise<{ status: number; body: string; setCookie: string[]; redirectURI: string }> {
  emulator.setAutoApprove({ kakao: 'kakao-full', naver: 'naver-name' });
  const start = await fetch(`${origin}/auth/${provider}`, { redirect: 'manual' });
  expect(start.status).toBe(302);
  const authorize = new URL(start.headers.get('location')!);
  expect(authorize.origin).toBe(emulator.url);
  const cookie = loginCookie(start.headers.getSetCookie(), provider);
  const back = await fetch(authorize, { redirect: 'manual' });
  const callback = new URL(back.headers.get('location')!);
  expect(callback.origin + callback.pathname).toBe(`${origin}/auth/${provider}/callback`);
  const done = await fetch(callback, { redirect: 'manual', headers: { cookie } });
  return { status: done.status, body: await done.text(), setCookie: done.headers.getSetCookie(), redirectURI: authorize.searchParams.get('redirect_uri')! };
}

const clearedCookie = (provider: Provider) => new RegExp(`^oauth2_login\\.[A-Za-z0-9_-]{32}=; Max-Age=0; Path=/auth/${provider}/callback; HttpOnly; SameSite=Lax$`);

describe('Express 5, no session middleware', () => {
  function expressApp(withStore: boolean) {
    const authenticator = new passport.Passport();
    const { kakao, naver } = strategies(withStore);
    authenticator.use(kakao);
    authenticator.use(naver);
    const app = express();
    for (const provider of ['kakao', 'naver'] as const) {
      app.get(`/auth/${provider}`, authenticator.authenticate(provider, { session: false }));
      app.get(`/auth/${provider}/callback`, authenticator.authenticate(provider, { session: false }), (req, res) => {
        res.json(req.user);
      });
    }
    app.use((error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      res.status(500).json({ name: error.name, code: (error as { code?: unknown }).code, message: error.message, isSessionRequired: error instanceof SessionRequiredError });
    });
    return app;
  }

  it.each(['kakao', 'naver'] as const)('logs in with %s through the emulator with the cookie store', async (provider) => {
    const origin = await listenExpress(expressApp(true));
    const result = await browserLogin(origin, provider);
    expect(result.status).toBe(200);
    expect(JSON.parse(result.body)).toEqual(provider === 'kakao' ? { provider: 'kakao', id: '4012345678' } : { provider: 'naver', id: expect.any(String), name: '홍길동' });
    expect(result.setCookie).toHaveLength(1);
    expect(result.setCookie[0]).toMatch(clearedCookie(provider));
  });

  it.each(['kakao', 'naver'] as const)('with state on and neither a session nor a store, ends %s with one SessionRequiredError naming both remedies', async (provider) => {
    const response = await request(expressApp(false)).get(`/auth/${provider}`).expect(500);
    expect(response.body).toEqual({
      name: 'SessionRequiredError',
      code: 'SESSION_REQUIRED',
      message: `${provider === 'kakao' ? 'KakaoStrategy' : 'NaverStrategy'}: state is on (CSRF protection), but this request has no session to keep it in. Either add express-session before Passport, or keep the login in a sealed cookie with no session at all: \`store: new CookieStateStore({ secret: process.env.LOGIN_COOKIE_SECRET })\` in the strategy's options.`,
      isSessionRequired: true,
    });
    expect(response.body.message).not.toMatch(/requires session support/);
    expect(response.headers['location']).toBeUndefined();
    // One class across both packages: the Naver package's SessionRequiredError is the same for instanceof.
    expect(new SessionRequiredError('X')).toBeInstanceOf(NaverSessionRequiredError);
  });

  it('ends the callback of a stateful login without a session the same way, not with a 403 or passport-oauth2\'s message', async () => {
    const response = await request(expressApp(false)).get('/auth/kakao/callback?code=c0de&state=s7a7e').expect(500);
    expect(response.body).toMatchObject({ name: 'SessionRequiredError', code: 'SESSION_REQUIRED' });
  });
});

describe('NestJS 11 with @nestjs/passport, no session', () => {
  async function nestApp(options: { oidc?: boolean } = {}) {
    const validated: unknown[] = [];
    const store = new CookieStateStore({ secret: SECRET });
    const strategyOptions = { ...kakaoOptions(), passTokenResponse: true as const, store, oidc: options.oidc ?? false };
    // Decorators are applied by hand: vitest's esbuild emits no decorator metadata, and this avoids constructor DI.
    class KakaoAuthStrategy extends PassportStrategy(KakaoStrategy, 'kakao') {
      constructor() {
        super(strategyOptions);
      }

      validate(_accessToken: string, _refreshToken: string, params: KakaoTokenResponse, profile: KakaoProfile) {
        validated.push({ params, profile });
        return { provider: 'kakao', id: profile.id, idTokenSub: params.id_token_claims?.sub };
      }
    }
    class AuthController {
      start(): void {}
      callback(req: { user: unknown }): unknown {
        return req.user;
      }
    }
    const guard = AuthGuard('kakao');
    const method = (name: 'start' | 'callback') => Object.getOwnPropertyDescriptor(AuthController.prototype, name)!;
    Controller('auth/kakao')(AuthController);
    for (const decorate of [Get(), UseGuards(guard)]) decorate(AuthController.prototype, 'start', method('start'));
    for (const decorate of [Get('callback'), UseGuards(guard)]) decorate(AuthController.prototype, 'callback', method('callback'));
    Req()(AuthController.prototype, 'callback', 0);
    Reflect.defineMetadata?.('design:paramtypes', [], KakaoAuthStrategy);
    class AppModule {}
    Module({ controllers: [AuthController], providers: [KakaoAuthStrategy] })(AppModule);
    const app: INestApplication = await NestFactory.create(AppModule, { logger: false });
    await app.listen(0, '127.0.0.1');
    closers.push(() => app.close());
    return { origin: `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`, validated };
  }

  it('logs in through the emulator with a PassportStrategy class using passTokenResponse and the cookie store', async () => {
    const { origin, validated } = await nestApp();
    const result = await browserLogin(origin, 'kakao');
    expect(result.status).toBe(200);
    expect(JSON.parse(result.body)).toEqual({ provider: 'kakao', id: '4012345678' });
    expect(validated).toHaveLength(1);
    expect(validated[0]).toMatchObject({ params: { token_type: 'bearer', access_token: expect.any(String) }, profile: { id: '4012345678' } });
    expect(result.setCookie[0]).toMatch(clearedCookie('kakao'));
  });

  it('logs in with OpenID Connect (the nonce kept in the cookie), the id_token verified before validate', async () => {
    const { origin, validated } = await nestApp({ oidc: true });
    const result = await browserLogin(origin, 'kakao');
    expect(result.status).toBe(200);
    expect(JSON.parse(result.body)).toEqual({ provider: 'kakao', id: '4012345678', idTokenSub: '4012345678' });
    expect(validated).toHaveLength(1);
  });

  it('refuses a callback without the login cookie (AuthGuard turns the 403 failure into its 401) and never validates', async () => {
    const { origin, validated } = await nestApp();
    const start = await fetch(`${origin}/auth/kakao`, { redirect: 'manual' });
    const state = new URL(start.headers.get('location')!).searchParams.get('state')!;
    const response = await fetch(`${origin}/auth/kakao/callback?code=c0de&state=${state}`);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ message: 'Unauthorized', statusCode: 401 });
    expect(validated).toEqual([]);
  });
});

describe('Fastify 5 with @fastify/passport', () => {
  interface FastifySetup {
    /** An onRequest hook giving the store the response: `request.res = reply.raw`. */
    exposeResponse: boolean;
    withStore: boolean;
    /** Log the user into @fastify/secure-session on success (else `session: false`). */
    logInToSession?: boolean;
  }

  // @fastify/passport's authenticate() is typed as a route handler; Fastify 5 runs it as a preValidation hook.
  /**
   * A Fastify app as @fastify/passport needs it: @fastify/cookie and @fastify/secure-session are registered (its
   * initialize() refuses to start without a session decorator), used or not.
   */
  async function fastifyApp(setup: FastifySetup): Promise<string> {
    const authenticator = new FastifyAuthenticator();
    const { kakao, naver } = strategies(setup.withStore);
    authenticator.use('kakao', kakao);
    authenticator.use('naver', naver);
    const app: FastifyInstance = Fastify();
    if (setup.exposeResponse) {
      app.addHook('onRequest', async (request, reply) => {
        (request as unknown as { res: unknown }).res = reply.raw;
      });
    }
    await app.register(fastifyCookie);
    await app.register(fastifySecureSession, { key: Buffer.alloc(32, 7), cookie: { path: '/', httpOnly: true } });
    await app.register(authenticator.initialize());
    await app.register(authenticator.secureSession());
    authenticator.registerUserSerializer(async (user: unknown) => JSON.stringify(user));
    authenticator.registerUserDeserializer(async (user: string) => JSON.parse(user) as unknown);
    const session = setup.logInToSession === true;
    for (const provider of ['kakao', 'naver'] as const) {
      app.get(`/auth/${provider}`, { preValidation: authenticator.authenticate(provider, { session }) as preValidationHookHandler }, async () => 'not reached');
      app.get(
        `/auth/${provider}/callback`,
        {
          preValidation: authenticator.authenticate(provider, { session }, async (request, reply, err, user, info, status) => {
            if (err) return reply.code(500).send({ name: (err as Error).name, message: (err as Error).message, code: (err as { code?: unknown }).code });
            if (!user) return reply.code(typeof status === 'number' ? status : 401).send({ info });
            await request.logIn(user, { session });
          }) as preValidationHookHandler,
        },
        async (request) => request.user,
      );
    }
    await app.listen({ port: 0, host: '127.0.0.1' });
    closers.push(() => app.close());
    return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  }

  it('redirects to the provider with a relative callbackURL resolved from the request (no passport-oauth2 originalURL crash)', async () => {
    const origin = await fastifyApp({ exposeResponse: true, withStore: true });
    for (const provider of ['kakao', 'naver'] as const) {
      const start = await fetch(`${origin}/auth/${provider}`, { redirect: 'manual' });
      expect(start.status).toBe(302);
      const authorize = new URL(start.headers.get('location')!);
      expect(authorize.origin + authorize.pathname).toBe(`${emulator.url}${provider === 'kakao' ? '/oauth/authorize' : '/oauth2.0/authorize'}`);
      expect(authorize.searchParams.get('redirect_uri')).toBe(`${origin}/auth/${provider}/callback`);
      loginCookie(start.headers.getSetCookie(), provider);
    }
  });

  it.each(['kakao', 'naver'] as const)('logs in with %s through the emulator: cookie store plus an onRequest hook setting request.res = reply.raw', async (provider) => {
    const origin = await fastifyApp({ exposeResponse: true, withStore: true });
    const result = await browserLogin(origin, provider);
    expect(result.status).toBe(200);
    expect(JSON.parse(result.body)).toEqual(provider === 'kakao' ? { provider: 'kakao', id: '4012345678' } : { provider: 'naver', id: expect.any(String), name: '홍길동' });
    expect(result.setCookie).toHaveLength(1);
    expect(result.setCookie[0]).toMatch(clearedCookie(provider));
  });

  it('logs the user into @fastify/secure-session after a cookie-store login, the session cookie and the cleared login cookie both sent', async () => {
    const origin = await fastifyApp({ exposeResponse: true, withStore: true, logInToSession: true });
    const result = await browserLogin(origin, 'kakao');
    expect(result.status).toBe(200);
    expect(JSON.parse(result.body)).toEqual({ provider: 'kakao', id: '4012345678' });
    expect(result.setCookie).toHaveLength(2);
    expect(result.setCookie.find((cookie) => cookie.startsWith('oauth2_login.'))).toMatch(clearedCookie('kakao'));
    expect(result.setCookie.find((cookie) => cookie.startsWith('session='))).toMatch(/^session=[^;]+; Path=\/; HttpOnly; SameSite=Lax$/);
  });

  it('without the hook, the cookie store ends the request with a TypeError saying it needs req.res', async () => {
    const origin = await fastifyApp({ exposeResponse: false, withStore: true });
    const response = await fetch(`${origin}/auth/kakao/callback?code=c0de&state=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`, { headers: { cookie: 'oauth2_login.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=x' } });
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ name: 'TypeError', message: 'CookieStateStore needs the response at req.res (set by Express and NestJS on Express)' });
  });

  it('without a store, the default session store works with @fastify/secure-session, and the callback consumes the state', async () => {
    const origin = await fastifyApp({ exposeResponse: false, withStore: false });
    emulator.setAutoApprove({ kakao: 'kakao-full' });
    const start = await fetch(`${origin}/auth/kakao`, { redirect: 'manual' });
    expect(start.status).toBe(302);
    // The state is in the encrypted session cookie (set through secure-session's property proxy), no login cookie.
    const [sessionCookie, ...others] = start.headers.getSetCookie();
    expect(others).toEqual([]);
    expect(sessionCookie).toMatch(/^session=[^;]+; Path=\/; HttpOnly; SameSite=Lax$/);
    const back = await fetch(start.headers.get('location')!, { redirect: 'manual' });
    const callbackURL = back.headers.get('location')!;
    const done = await fetch(callbackURL, { redirect: 'manual', headers: { cookie: sessionCookie!.split(';')[0]! } });
    expect(done.status).toBe(200);
    expect(await done.json()).toEqual({ provider: 'kakao', id: '4012345678' });
    // The callback saved the session without the state: the browser's replay, with the cookie it now holds, is refused.
    const [updated] = done.headers.getSetCookie();
    expect(updated).toMatch(/^session=[^;]+; Path=\/; HttpOnly; SameSite=Lax$/);
    const replay = await fetch(callbackURL, { redirect: 'manual', headers: { cookie: updated!.split(';')[0]! } });
    expect(replay.status).toBe(403);
    expect(await replay.json()).toEqual({ info: { message: 'Unable to verify authorization request state.', code: 'STATE_MISSING' } });
  });
});
