import { sendHTML } from './http.js';
import type { RequestContext } from './http.js';
import { renderConsentPage } from './pages.js';
import type { ConsentChoice } from './pages.js';
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
  /** Kakao consent items the login asks for (empty for Naver). */
  requestedItems: string[];
  openid: boolean;
  expiresAt: number;
}

/** Everything the endpoint handlers share. */
export interface EmulatorCore {
  clock: Clock;
  kakao: KakaoState;
  naver: NaverState;
  keys: SigningKeys;
  kakaoIssuer: string | undefined;
  autoApprove: AutoApprove;
  pending: Map<string, PendingAuthorization>;
  naverProfileErrorStatus: 200 | 401;
  naverRequireState: boolean;
  naverRequireTokenState: boolean;
  naverAcceptBasicAuth: boolean;
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
}

/** Parks a login until the person decides, and shows them the provider's consent page for it. */
export function askForConsent(ctx: RequestContext, core: EmulatorCore, pending: PendingAuthorization, consents: ConsentChoice[]): void {
  const transaction = randomToken(16);
  core.pending.set(transaction, pending);
  const users = pending.provider === 'kakao' ? core.kakao.users.values() : core.naver.users.values();
  sendHTML(
    ctx.res,
    200,
    renderConsentPage({
      provider: pending.provider,
      transaction,
      appName: `${pending.provider === 'kakao' ? 'Kakao' : 'Naver'} app ${pending.clientId}`,
      users: [...users].map((u) => ({ key: u.key, label: u.label })),
      consents,
      selectedUser: undefined,
    }),
  );
}
