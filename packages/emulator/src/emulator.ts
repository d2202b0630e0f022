import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pruneExpired } from './core.js';
import type { EmulatorCore, Route } from './core.js';
import { readForm, sendHTML, sendJSON } from './http.js';
import type { RequestContext } from './http.js';
import * as kakao from './kakao.js';
import * as naver from './naver.js';
import { createSigningKeys } from './oidc.js';
import { renderAccountPage, renderErrorPage } from './pages.js';
import { unlinkByPerson } from './webhooks.js';
import type { WebhookDelivery } from './webhooks.js';
import { Clock, ProviderState } from './state.js';
import type { AutoApprove, EmulatorOptions, EndpointName, Fault, KakaoTestUser, NaverClient, NaverTestUser } from './types.js';
import { DEFAULT_KAKAO_BASIC_CLIENT, DEFAULT_KAKAO_CLIENT, DEFAULT_KAKAO_OTHER_CLIENT, DEFAULT_KAKAO_USERS, DEFAULT_NAVER_OTHER_CLIENT, DEFAULT_NAVER_CLIENT, DEFAULT_NAVER_USERS, avatarSVG } from './users.js';

/** The URLs and credentials to give a Kakao strategy. */
export interface KakaoEndpoints {
  /** One origin for all of Kakao's paths: pass it as the strategy's `baseURL`. */
  baseURL: string;
  authorizationURL: string;
  tokenURL: string;
  profileURL: string;
  tokenInfoURL: string;
  logoutURL: string;
  unlinkURL: string;
  accountLogoutURL: string;
  discoveryURL: string;
  jwksURL: string;
  /** OpenID Connect userinfo (`/v1/oidc/userinfo`), listed in discovery. */
  userinfoURL: string;
  /** The `iss` of id_tokens: {@link EmulatorOptions.publicOrigin} unless `kakao.issuer` is set. */
  issuer: string;
  /** The built-in app's REST API key and secret (when the default client is in use). */
  clientID: string;
  clientSecret: string | undefined;
}

/** The URLs and credentials to give a Naver strategy. */
export interface NaverEndpoints {
  baseURL: string;
  authorizationURL: string;
  tokenURL: string;
  profileURL: string;
  revokeURL: string;
  verifyURL: string;
  /** OpenID Connect (B5): `/oauth2/authorize`. */
  oidcAuthorizationURL: string;
  /** OpenID Connect: `/oauth2/token` (PKCE verified, an id_token, an integer `expires_in`). */
  oidcTokenURL: string;
  /** `{origin}/naver/.well-known/openid-configuration`: under Naver's issuer, apart from Kakao's discovery at the root. */
  discoveryURL: string;
  jwksURL: string;
  /** The `iss` of Naver id_tokens: `naver.issuer`, default `{publicOrigin}/naver`. */
  issuer: string;
  clientID: string;
  clientSecret: string;
}

/** Codes and tokens held for one provider. */
export interface StoredProviderCounts {
  codes: number;
  accessTokens: number;
  refreshTokens: number;
}

/** What {@link Emulator.storedCounts} reports. */
export interface StoredCounts {
  kakao: StoredProviderCounts;
  naver: StoredProviderCounts;
  pendingLogins: number;
}

/** What {@link Emulator.issueSDKTokens} issues: tokens as a provider's SDK hands them to a mobile or SPA client. */
export interface SDKTokenRequest {
  provider: 'kakao' | 'naver';
  /** The test user. */
  user: string;
  /**
   * The app the SDK belongs to. Default: the first client. Give another app's id (e.g. the built-in "other" apps) to
   * test token substitution (A10): a token issued to somebody else's app.
   */
  clientId?: string;
  /**
   * Kakao: which SDK (A3 ⚠ lifetimes: JavaScript 7199 s, native 43199 s; `rest` 21599 s). With OIDC on, the id_token's
   * `aud` is the app's `javascriptKey` or `nativeKey` (A8). Default `native`.
   */
  platform?: 'javascript' | 'native' | 'rest';
  /** Kakao: a nonce for the id_token. */
  nonce?: string;
}

/** Tokens as an SDK got them. */
export interface SDKTokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  /** Kakao with OIDC on. */
  idToken: string | undefined;
}

/** A running emulator. */
export interface Emulator {
  /**
   * The origin clients use, e.g. `http://127.0.0.1:41234`: {@link EmulatorOptions.publicOrigin} when set, else the
   * address it listens on. Every URL below starts with it.
   */
  url: string;
  /** The address it listens on, e.g. `http://127.0.0.1:41234` (the same as `url` without `publicOrigin`). */
  listenURL: string;
  kakao: KakaoEndpoints;
  naver: NaverEndpoints;
  /** The test users, for pages and assertions. */
  users: { kakao: readonly KakaoTestUser[]; naver: readonly NaverTestUser[] };
  /** Approve logins without a page as these users (or show the page again with `{}`); an unknown user is a TypeError. */
  setAutoApprove(autoApprove: AutoApprove): void;
  /** Adds a fault to an endpoint; faults apply in the order added. */
  injectFault(endpoint: EndpointName, fault: Fault): void;
  /** Removes every fault. */
  clearFaults(): void;
  /** Latency added to every request, in ms. */
  setLatency(ms: number): void;
  /** How many requests each endpoint has received since start or the last reset. */
  requestCounts(): Partial<Record<EndpointName, number>>;
  resetRequestCounts(): void;
  /** Moves emulator time forward (token expiry, Kakao's refresh-token rotation); forgets what expires on the way. */
  advanceTime(ms: number): void;
  /**
   * How many codes and tokens the emulator holds, and logins waiting on a page. Expired ones are dropped (before each
   * request and on {@link advanceTime}), so these stay bounded in a long-running emulator.
   */
  storedCounts(): StoredCounts;
  /** Issues tokens as a provider's SDK would give them to a native or JavaScript client (no page, no code). */
  issueSDKTokens(request: SDKTokenRequest): Promise<SDKTokens>;
  /**
   * A test user unlinks an app in their account settings (Kakao `UNLINK_FROM_APPS`, A9; Naver's deauthorize, B7): their
   * tokens and consent for it go, and its registered webhook is called. Default app: every app they are connected to.
   * Resolves when the webhooks have answered (or failed). Also on the page `/__emulator/account?provider=…`.
   */
  unlinkApp(provider: 'kakao' | 'naver', user: string, clientId?: string): Promise<WebhookDelivery[]>;
  /** A test user deletes their account (Kakao `ACCOUNT_DELETE`): every connected app is unlinked and called back. */
  deleteAccount(provider: 'kakao' | 'naver', user: string): Promise<WebhookDelivery[]>;
  close(): Promise<void>;
}

/** The form the consent pages post to: the person's choice of user, consent items, and Agree or Cancel. */
const decisionRoute: Route = {
  endpoint: 'kakao.authorize',
  path: '/__emulator/decision',
  methods: ['POST'],
  handle(ctx, core) {
    const transaction = ctx.body.get('transaction') ?? '';
    const pending = core.pending.get(transaction);
    core.pending.delete(transaction);
    if (!pending || pending.expiresAt <= core.clock.now()) {
      return sendHTML(ctx.res, 400, renderErrorPage('kakao', 'This login has expired', 'Go back to the app and start again.'));
    }
    const provider = pending.provider === 'kakao' ? kakao : naver;
    // Only an explicit Agree approves; Cancel (its own form) or anything else is the person declining.
    if (ctx.body.get('decision') !== 'agree') return provider.deny(ctx, pending);
    return provider.decide(ctx, core, pending, ctx.body.get('user') ?? '', ctx.body.getAll('consent'));
  },
};

/** GET /__emulator/account?provider=kakao|naver: each test user's connected apps, Unlink and Delete account. */
const accountPageRoute: Route = {
  endpoint: 'kakao.authorize',
  path: '/__emulator/account',
  methods: ['GET', 'POST'],
  async handle(ctx, core) {
    const provider = (ctx.body.get('provider') ?? ctx.url.searchParams.get('provider')) === 'naver' ? 'naver' : 'kakao';
    let results: WebhookDelivery[] | undefined;
    let message: string | undefined;
    if (ctx.method === 'POST') {
      const user = ctx.body.get('user') ?? '';
      const action = ctx.body.get('action');
      try {
        results = await unlinkByPerson(core, provider, user, action === 'delete' ? undefined : ctx.body.get('client') ?? undefined, action === 'delete' ? 'ACCOUNT_DELETE' : 'UNLINK_FROM_APPS');
        message = action === 'delete' ? `${user} deleted their account.` : `${user} unlinked ${ctx.body.get('client') ?? ''}.`;
      } catch (error) {
        return sendHTML(ctx.res, 400, renderErrorPage(provider, 'Unknown user or app', (error as Error).message));
      }
    }
    const state = provider === 'kakao' ? core.kakao : core.naver;
    const users = [...state.users.values()].map((user) => ({
      key: user.key,
      label: user.label,
      apps: [...state.clients.values()]
        .filter((client) => state.grants.has(state.grantKey(client.clientId, user.key)))
        .map((client) => ({ clientId: client.clientId, webhook: 'webhook' in client ? client.webhook?.url : (client as NaverClient).deauthorizeCallbackURL })),
    }));
    sendHTML(ctx.res, 200, renderAccountPage(provider, users, results, message));
  },
};

/**
 * Starts the emulator on 127.0.0.1 (port 0 by default) and resolves once it listens.
 *
 * @example
 * ```ts
 * const emulator = await startEmulator({ autoApprove: { kakao: 'kakao-full' } });
 * new KakaoStrategy({ clientID: emulator.kakao.clientID, clientSecret: emulator.kakao.clientSecret, baseURL: emulator.kakao.baseURL, … }, verify);
 * await emulator.close();
 * ```
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const kakaoClients = options.kakao?.clients ?? [DEFAULT_KAKAO_CLIENT, DEFAULT_KAKAO_BASIC_CLIENT, DEFAULT_KAKAO_OTHER_CLIENT];
  const naverClients = options.naver?.clients ?? [DEFAULT_NAVER_CLIENT, DEFAULT_NAVER_OTHER_CLIENT];
  const core: EmulatorCore = {
    clock: new Clock(),
    kakao: new ProviderState(kakaoClients, options.kakao?.users ?? DEFAULT_KAKAO_USERS),
    naver: new ProviderState(naverClients, options.naver?.users ?? DEFAULT_NAVER_USERS),
    keys: await createSigningKeys(),
    naverKeys: undefined,
    kakaoIssuer: options.kakao?.issuer,
    naverIssuer: options.naver?.issuer,
    naverOidcSubjectIsId: options.naver?.oidcSubjectIsId ?? false,
    autoApprove: {},
    pending: new Map(),
    sessions: new Map(),
    naverProfileErrorStatus: options.naver?.profileErrorStatus ?? 401,
    naverRequireState: options.naver?.requireState ?? false,
    warnOnce: onceEach(options.warn ?? ((message: string) => void process.stderr.write(`kakao-naver-emulator: ${message}\n`))),
    naverRequireTokenState: options.naver?.requireTokenState ?? false,
    naverAcceptBasicAuth: options.naver?.acceptBasicAuth ?? true,
    naverIdTokenNonce: options.naver?.idTokenNonce ?? true,
    naverOidcRefresh: options.naver?.oidcRefresh ?? true,
    kakaoUserinfoGender: options.kakao?.userinfoGender ?? 'lowercase',
  };
  core.autoApprove = checkAutoApprove(core, options.autoApprove ?? {});
  const publicOrigin = options.publicOrigin === undefined ? undefined : parseOrigin(options.publicOrigin);
  const routes = new Map<string, Route>();
  for (const route of [...kakao.kakaoRoutes, ...naver.naverRoutes, decisionRoute, accountPageRoute]) routes.set(route.path, route);
  const internal = new Set<Route>([decisionRoute, accountPageRoute]);
  const faults = new Map<EndpointName, Fault[]>();
  const draw = options.faultSeed === undefined ? Math.random : seededRandom(options.faultSeed);
  const counts: Partial<Record<EndpointName, number>> = {};
  let latencyMs = options.latencyMs ?? 0;
  let origin = '';

  const server = createServer((req, res) => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', origin);
    } catch {
      // A request target that is no URL (e.g. `//[x]`): answered, never a crash of the emulator and its host process.
      req.resume();
      return sendJSON(res, 400, { error: 'invalid_request', error_description: 'The request target is not a valid URL' });
    }
    const avatar = /^\/__emulator\/avatar\/([\w-]+)\.svg$/.exec(url.pathname);
    if (avatar) {
      const key = avatar[1]!;
      const user = core.kakao.users.get(key) ?? core.naver.users.get(key);
      const initial = user ? [...((user as { nickname?: string }).nickname ?? (user as { name?: string }).name ?? user.key)][0] ?? '?' : '?';
      const svg = avatarSVG(initial, core.naver.users.has(key) ? 'naver' : 'kakao', Number(url.searchParams.get('size') ?? 110) || 110);
      res.writeHead(user ? 200 : 404, { 'Content-Type': 'image/svg+xml', 'Content-Length': Buffer.byteLength(svg), 'Cache-Control': 'max-age=3600' });
      res.end(svg);
      return;
    }
    const route = routes.get(url.pathname);
    if (options.log) process.stderr.write(`${req.method} ${url.pathname}\n`);
    if (!route) {
      req.resume();
      return sendJSON(res, 404, { error: 'not_found', error_description: `The emulator has no ${url.pathname}` });
    }
    if (!route.methods.includes(req.method ?? '')) {
      req.resume();
      return sendJSON(res, 405, { error: 'method_not_allowed', error_description: `${req.method} is not allowed on ${url.pathname}` });
    }
    pruneExpired(core);
    if (!internal.has(route)) counts[route.endpoint] = (counts[route.endpoint] ?? 0) + 1;
    const fault = internal.has(route) ? undefined : takeFault(faults, route.endpoint, draw);
    const delay = latencyMs + (fault?.latencyMs ?? 0);
    const run = async () => {
      const ctx: RequestContext = { req, res, url, method: req.method ?? 'GET', body: await readForm(req), origin };
      if (fault?.hang) return;
      if (fault && (fault.status !== undefined || fault.body !== undefined)) {
        const body = fault.body ?? '';
        res.writeHead(fault.status ?? 200, { 'Content-Type': fault.contentType ?? 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
        res.end(body);
        return;
      }
      await route.handle(ctx, core);
    };
    const go = () =>
      run().catch((error: unknown) => {
        if (!res.headersSent) sendJSON(res, 500, { error: 'server_error', error_description: String(error) });
        else res.destroy();
      });
    if (delay > 0) setTimeout(go, delay);
    else void go();
  });
  server.keepAliveTimeout = 30_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const listenURL = `http://${host}:${address.port}`;
  origin = publicOrigin ?? listenURL;
  const kakaoClient = kakaoClients[0];
  const naverClient = naverClients[0];

  return {
    url: origin,
    listenURL,
    kakao: {
      baseURL: origin,
      authorizationURL: `${origin}/oauth/authorize`,
      tokenURL: `${origin}/oauth/token`,
      profileURL: `${origin}/v2/user/me`,
      tokenInfoURL: `${origin}/v1/user/access_token_info`,
      logoutURL: `${origin}/v1/user/logout`,
      unlinkURL: `${origin}/v1/user/unlink`,
      accountLogoutURL: `${origin}/oauth/logout`,
      discoveryURL: `${origin}/.well-known/openid-configuration`,
      jwksURL: `${origin}/.well-known/jwks.json`,
      userinfoURL: `${origin}/v1/oidc/userinfo`,
      issuer: options.kakao?.issuer ?? origin,
      clientID: kakaoClient?.clientId ?? '',
      clientSecret: kakaoClient?.clientSecret,
    },
    naver: {
      baseURL: origin,
      authorizationURL: `${origin}/oauth2.0/authorize`,
      tokenURL: `${origin}/oauth2.0/token`,
      profileURL: `${origin}/v1/nid/me`,
      revokeURL: `${origin}/oauth2.0/revoke`,
      verifyURL: `${origin}/v1/nid/verify`,
      oidcAuthorizationURL: `${origin}/oauth2/authorize`,
      oidcTokenURL: `${origin}/oauth2/token`,
      discoveryURL: `${origin}/naver/.well-known/openid-configuration`,
      jwksURL: `${origin}/oauth2/jwks`,
      issuer: options.naver?.issuer ?? `${origin}/naver`,
      clientID: naverClient?.clientId ?? '',
      clientSecret: naverClient?.clientSecret ?? '',
    },
    users: { kakao: [...core.kakao.users.values()], naver: [...core.naver.users.values()] },
    setAutoApprove(autoApprove) {
      core.autoApprove = checkAutoApprove(core, autoApprove);
    },
    injectFault(endpoint, fault) {
      if (fault.probability !== undefined && !(fault.probability >= 0 && fault.probability <= 1)) {
        throw new TypeError(`A fault's probability must be a number from 0 to 1, got ${String(fault.probability)}`);
      }
      const list = faults.get(endpoint) ?? [];
      list.push({ ...fault });
      faults.set(endpoint, list);
    },
    clearFaults() {
      faults.clear();
    },
    setLatency(ms) {
      latencyMs = ms;
    },
    requestCounts: () => ({ ...counts }),
    resetRequestCounts() {
      for (const key of Object.keys(counts)) delete counts[key as EndpointName];
    },
    advanceTime(ms) {
      core.clock.advance(ms);
      pruneExpired(core);
    },
    storedCounts: () => ({ kakao: core.kakao.sizes(), naver: core.naver.sizes(), pendingLogins: core.pending.size }),
    async issueSDKTokens(request) {
      if (request.provider === 'kakao') {
        return kakao.issueSDKTokens(core, origin, {
          clientId: request.clientId ?? kakaoClient?.clientId ?? '', userKey: request.user, platform: request.platform ?? 'native', nonce: request.nonce,
        });
      }
      return { ...naver.issueSDKTokens(core, { clientId: request.clientId ?? naverClient?.clientId ?? '', userKey: request.user }), idToken: undefined };
    },
    unlinkApp: (provider, user, clientId) => unlinkByPerson(core, provider, user, clientId, 'UNLINK_FROM_APPS'),
    deleteAccount: (provider, user) => unlinkByPerson(core, provider, user, undefined, 'ACCOUNT_DELETE'),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** `autoApprove` after checking each user exists: an unknown one is a TypeError listing the test users. */
function checkAutoApprove(core: EmulatorCore, autoApprove: AutoApprove): AutoApprove {
  for (const provider of ['kakao', 'naver'] as const) {
    const key = autoApprove[provider];
    const users = core[provider].users;
    if (key !== undefined && !users.has(key)) {
      throw new TypeError(`Unknown ${provider === 'kakao' ? 'Kakao' : 'Naver'} test user "${key}" for autoApprove; the test users are ${[...users.keys()].join(', ')}`);
    }
  }
  return { kakao: autoApprove.kakao, naver: autoApprove.naver };
}

/** `publicOrigin` as an origin (scheme, host, port), or a TypeError saying what is wrong with it. */
function parseOrigin(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TypeError(`publicOrigin must be an origin such as http://localhost:4000, got ${text}`);
  }
  if (url.pathname !== '/' || url.search || url.hash || url.username) {
    throw new TypeError(`publicOrigin must be an origin with no path, query or credentials, got ${text}`);
  }
  return url.origin;
}

/**
 * The fault for the next request at `endpoint`: the first in the order added that applies (a fault with `probability`
 * applies when drawn), counting down its `times`.
 */
function takeFault(faults: Map<EndpointName, Fault[]>, endpoint: EndpointName, draw: () => number): Fault | undefined {
  const list = faults.get(endpoint);
  if (!list) return undefined;
  const index = list.findIndex((fault) => fault.probability === undefined || draw() < fault.probability);
  const fault = list[index];
  if (!fault) return undefined;
  if (fault.times !== undefined) {
    fault.times -= 1;
    if (fault.times <= 0) list.splice(index, 1);
  }
  return fault;
}

/** A small seeded generator (mulberry32) of numbers in [0, 1), for repeatable fault draws. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `warn`, called at most once for each distinct message. */
function onceEach(warn: (message: string) => void): (message: string) => void {
  const said = new Set<string>();
  return (message) => {
    if (said.has(message)) return;
    said.add(message);
    warn(message);
  };
}
