import { sendHTML } from './http.js';
import type { RequestContext } from './http.js';
import { renderConsentPage } from './pages.js';
import type { ConsentChoice, LoginStep } from './pages.js';
import { randomToken } from './state.js';
import type { SigningKeys } from './oidc.js';
import type { Clock, KakaoState, NaverState, ProviderState } from './state.js';
import type { AutoApprove, EndpointName } from './types.js';

/** A login waiting for the person on the consent page. */
export interface PendingAuthorization {
  provider: 'kakao' | 'naver';
  clientId: string;
  redirectUri: string;
  state: string | undefined;
  nonce: string | undefined;
  codeChallenge: string | undefined;
  /** Consent items the login asks for: Kakao's consent items, or the Naver app's profile items. */
  requestedItems: string[];
  openid: boolean;
  /** The page shown: the login (password) step, a re-login, the account chooser, sign-up, or consent alone. */
  step: LoginStep;
  /** The person logged in at the emulator in this browser when the login started, if any. */
  session: BrowserSession | undefined;
  expiresAt: number;
}

/** A person logged in at an emulated provider in one browser (a cookie), as Kakao's and Naver's own sessions are. */
export interface BrowserSession {
  provider: 'kakao' | 'naver';
  userKey: string;
  /** When they last entered their password (seconds): the id_token's `auth_time`. */
  authTime: number;
  expiresAt: number;
}

/** Everything the endpoint handlers share. */
export interface EmulatorCore {
  clock: Clock;
  kakao: KakaoState;
  naver: NaverState;
  keys: SigningKeys;
  /** Naver's OIDC signing key, made on first use. */
  naverKeys: Promise<SigningKeys> | undefined;
  kakaoIssuer: string | undefined;
  naverIssuer: string | undefined;
  naverOidcSubjectIsId: boolean;
  autoApprove: AutoApprove;
  pending: Map<string, PendingAuthorization>;
  /** Browser sessions by cookie value. */
  sessions: Map<string, BrowserSession>;
  naverProfileErrorStatus: 200 | 401;
  naverRequireState: boolean;
  /** Warns once per message (see `EmulatorOptions.warn`). */
  warnOnce: (message: string) => void;
  naverRequireTokenState: boolean;
  naverAcceptBasicAuth: boolean;
  naverIdTokenNonce: boolean;
  naverOidcRefresh: boolean;
  kakaoUserinfoGender: 'lowercase' | 'uppercase';
}

/** One endpoint. */
export interface Route {
  endpoint: EndpointName;
  path: string;
  methods: readonly string[];
  handle(ctx: RequestContext, core: EmulatorCore): void | Promise<void>;
}

/** Seconds, as providers count them. */
export const SECOND = 1000;
export const DAY = 24 * 60 * 60 * SECOND;
/** Codes live ten minutes (⚠ neither provider documents the lifetime). */
export const CODE_LIFETIME_MS = 10 * 60 * SECOND;
/** An emulator browser session lasts a day of emulator time. */
export const SESSION_LIFETIME_MS = DAY;

/** The cookie holding a provider's browser session. */
export function sessionCookieName(provider: 'kakao' | 'naver'): string {
  return `emulator_${provider}_session`;
}

/** The live browser session of this request's browser at `provider`, if any. */
export function readSession(ctx: RequestContext, core: EmulatorCore, provider: 'kakao' | 'naver'): BrowserSession | undefined {
  const name = sessionCookieName(provider);
  for (const part of (ctx.req.headers.cookie ?? '').split(';')) {
    const [key, value] = part.trim().split('=');
    if (key !== name || !value) continue;
    const session = core.sessions.get(value);
    if (session && session.provider === provider && session.expiresAt > core.clock.now()) return session;
  }
  return undefined;
}

/** Logs `userKey` in at `provider` in this browser: a new session and its cookie on the response being sent. */
export function startSession(ctx: RequestContext, core: EmulatorCore, provider: 'kakao' | 'naver', userKey: string, authTime: number): void {
  const id = randomToken(24);
  core.sessions.set(id, { provider, userKey, authTime, expiresAt: core.clock.now() + SESSION_LIFETIME_MS });
  ctx.res.setHeader('Set-Cookie', `${sessionCookieName(provider)}=${id}; Path=/; HttpOnly; SameSite=Lax`);
}

/** Ends the browser session at `provider` (Kakao account logout). */
export function endSession(ctx: RequestContext, core: EmulatorCore, provider: 'kakao' | 'naver'): void {
  const name = sessionCookieName(provider);
  for (const part of (ctx.req.headers.cookie ?? '').split(';')) {
    const [key, value] = part.trim().split('=');
    if (key === name && value) core.sessions.delete(value);
  }
  ctx.res.setHeader('Set-Cookie', `${name}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`);
}

/**
 * Forgets everything that has expired by emulator time: codes, tokens, logins abandoned on a page. Runs before every
 * request and after `advanceTime`; cheap when nothing expired (see {@link ProviderState.prune}).
 */
export function pruneExpired(core: EmulatorCore): void {
  const now = core.clock.now();
  core.kakao.prune(now);
  core.naver.prune(now);
  // Pending logins all live CODE_LIFETIME_MS, so the map is in expiry order too.
  for (const [key, entry] of core.pending) {
    if (entry.expiresAt > now) break;
    core.pending.delete(key);
  }
  // Sessions all live SESSION_LIFETIME_MS: in expiry order as well.
  for (const [key, entry] of core.sessions) {
    if (entry.expiresAt > now) break;
    core.sessions.delete(key);
  }
}

/** Parks a login until the person decides, and shows them the provider's page for its step. */
export function askForConsent(ctx: RequestContext, core: EmulatorCore, pending: PendingAuthorization, consents: ConsentChoice[], note?: string): void {
  const transaction = randomToken(16);
  core.pending.set(transaction, pending);
  const users = [...(pending.provider === 'kakao' ? core.kakao.users.values() : core.naver.users.values())].map((u) => ({ key: u.key, label: u.label }));
  sendHTML(
    ctx.res,
    200,
    renderConsentPage({
      provider: pending.provider,
      transaction,
      appName: `${pending.provider === 'kakao' ? 'Kakao' : 'Naver'} app ${pending.clientId}`,
      step: pending.step,
      users,
      consents,
      selectedUser: pending.session?.userKey,
      sessionUser: users.find((u) => u.key === pending.session?.userKey),
      note,
    }),
  );
}
