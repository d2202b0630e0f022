/**
 * The providers calling the app back (issue 15): Kakao's unlink webhook (docs/providers/kakao.md A9) and Naver's deauthorize
 * callback (B7), verified by the packages' handlers. What arrives is kept (the last few events, for the `/webhooks`
 * page) and acted on: every session of that user signed in before the unlink is ended on its next request.
 */
import type express from 'express';
import { kakaoUnlinkWebhook } from 'passport-kakao-ts';
import type { KakaoUnlinkEvent, KakaoWebhookError } from 'passport-kakao-ts';
import { naverDeauthorizeWebhook } from 'passport-naver-ts';
import type { NaverDeauthorizeEvent, NaverWebhookError } from 'passport-naver-ts';
import type { AppConfig } from './config.js';
import type { ProviderName } from './views.js';

/** Where the app listens for the providers' calls. Register these URLs in each provider's console. */
export const WEBHOOK_PATHS = {
  kakao: '/webhooks/kakao/unlink',
  naver: '/webhooks/naver/deauthorize',
} as const;

/** One call received and verified. No token, key or signature is kept: only who, why and when. */
export interface WebhookEventView {
  provider: ProviderName;
  /** `unlink` (Kakao) or `deauthorize` (Naver). */
  type: 'unlink' | 'deauthorize';
  /** The provider's user id for this app (Kakao's exact digits; Naver's per-app id). */
  userId: string;
  /** Kakao's `referrer_type` (`UNLINK_FROM_APPS`, `ACCOUNT_DELETE`, …, or a value Kakao added since); Naver gives none. */
  referrerType: string | undefined;
  receivedAt: Date;
}

/** How many events the page shows; older ones are dropped. */
export const WEBHOOK_EVENTS_KEPT = 20;
/** How many unlinked users are remembered for ending their sessions; the oldest mark goes first. */
export const UNLINK_MARKS_KEPT = 10_000;

/**
 * The last events received, and which users unlinked the app when. In this process's memory: with several instances
 * each knows only the calls it received. A real app records the unlink on the user's row in its database instead
 * (and deletes what it must), which every instance sees.
 */
export class WebhookEvents {
  private readonly events: WebhookEventView[] = [];
  /** `provider:userId` → when the unlink arrived (ms); a Map keeps insertion order, so the first key is the oldest. */
  private readonly unlinked = new Map<string, number>();

  constructor(
    private readonly kept = WEBHOOK_EVENTS_KEPT,
    private readonly marksKept = UNLINK_MARKS_KEPT,
  ) {}

  record(event: WebhookEventView): void {
    this.events.unshift(event);
    this.events.length = Math.min(this.events.length, this.kept);
    const key = `${event.provider}:${event.userId}`;
    this.unlinked.delete(key);
    this.unlinked.set(key, event.receivedAt.getTime());
    if (this.unlinked.size > this.marksKept) this.unlinked.delete(this.unlinked.keys().next().value as string);
  }

  /** Newest first. */
  list(): readonly WebhookEventView[] {
    return this.events;
  }

  /** True when the user unlinked the app at the provider after `signedInAt` (ms): that session must end. */
  unlinkedSince(provider: ProviderName, userId: string, signedInAt: number): boolean {
    const at = this.unlinked.get(`${provider}:${userId}`);
    return at !== undefined && at >= signedInAt;
  }
}

/** What {@link mountWebhooks} mounted, for the start lines. */
export interface MountedWebhooks {
  kakao: boolean;
  naver: boolean;
}

/** Which callbacks `config` turns on: Kakao's needs the app id and admin key (unset: off, said at start). */
export function webhooksEnabled(config: AppConfig): MountedWebhooks {
  return {
    kakao: config.kakao.mode !== 'off' && config.kakaoApp.appId !== undefined && config.kakaoApp.adminKey !== undefined,
    naver: config.naver.mode !== 'off' && config.naver.clientSecret !== undefined,
  };
}

/**
 * Mounts both callbacks on `app`. Call it before the session, body-parser and CSRF middleware: these are
 * server-to-server calls with no cookie (a CSRF token cannot apply, and a session would only be created for nothing),
 * and the handlers read the raw body themselves (a JSON `user_id` above 2^53 is only exact there).
 */
export function mountWebhooks(app: express.Express, config: AppConfig, events: WebhookEvents, log: (line: string) => void): MountedWebhooks {
  const refused = (provider: string) => (error: KakaoWebhookError | NaverWebhookError) =>
    // The code only: the error holds no secret, but nothing from the request needs to reach the log either.
    log(`${provider} webhook refused: ${error.code} (HTTP ${error.status})`);

  const { appId, adminKey } = config.kakaoApp;
  const enabled = webhooksEnabled(config);
  if (enabled.kakao && appId !== undefined && adminKey !== undefined) {
    const handler = kakaoUnlinkWebhook({
      adminKey,
      appId,
      // Runs after Kakao has had its 200 (it waits 3 s at most, A9).
      onEvent: (event: KakaoUnlinkEvent) =>
        events.record({ provider: 'kakao', type: 'unlink', userId: event.userId, referrerType: event.referrerType, receivedAt: new Date() }),
      onRefused: refused('Kakao unlink'),
    });
    // Kakao calls with GET or POST, as set in its console (A9): the handler takes both and answers 405 to the rest.
    app.all(WEBHOOK_PATHS.kakao, handler);
  }

  if (enabled.naver && config.naver.clientSecret !== undefined) {
    // POST only (B7); the handler answers 405 to the rest.
    app.all(WEBHOOK_PATHS.naver, naverDeauthorizeWebhook({
      clientID: config.naver.clientID,
      clientSecret: config.naver.clientSecret,
      onEvent: (event: NaverDeauthorizeEvent) =>
        events.record({ provider: 'naver', type: 'deauthorize', userId: event.userId, referrerType: undefined, receivedAt: new Date() }),
      onRefused: refused('Naver deauthorize'),
    }));
  }
  return enabled;
}
