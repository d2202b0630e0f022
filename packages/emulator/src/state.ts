import { createHash, randomBytes } from 'node:crypto';
import type { KakaoClient, KakaoTestUser, NaverClient, NaverTestUser } from './types.js';

/** Random URL-safe text, like the providers' codes and tokens. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** base64url(SHA-256(text)): PKCE S256, and Naver's pairwise ids. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}

/** A time source the tests can move forward (for expiry and Kakao's refresh-token rotation). */
export class Clock {
  private offsetMs = 0;
  /** Milliseconds since the epoch, emulator time. */
  now(): number {
    return Date.now() + this.offsetMs;
  }
  /** Moves emulator time forward. */
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

/**
 * How long an expired access token is still recognised, so that the APIs can say "expired" rather than "does not
 * exist" (A4 has both messages). ⚠ How long the providers remember expired tokens is not documented: a day here.
 */
export const EXPIRED_TOKEN_MEMORY_MS = 24 * 60 * 60 * 1000;

/** An authorization code waiting to be exchanged. Single use. */
export interface AuthorizationCode {
  clientId: string;
  userKey: string;
  redirectUri: string;
  scopes: string[];
  state: string | undefined;
  nonce: string | undefined;
  codeChallenge: string | undefined;
  openid: boolean;
  /** When the person logged in (seconds): the id_token's `auth_time`, kept on refresh (OIDC Core 12.2). */
  authTime: number;
  expiresAt: number;
}

/** An access token and what it grants. */
export interface AccessTokenRecord {
  clientId: string;
  userKey: string;
  scopes: string[];
  expiresAt: number;
  refreshToken: string | undefined;
}

/** A refresh token. */
export interface RefreshTokenRecord {
  clientId: string;
  userKey: string;
  scopes: string[];
  expiresAt: number;
  openid: boolean;
  nonce: string | undefined;
  /** The login time of the grant (seconds), for every id_token refreshed from it. */
  authTime: number;
  accessTokens: Set<string>;
}

/** One provider's clients, users and tokens. */
export class ProviderState<Client extends { clientId: string }, User extends { key: string }> {
  readonly clients = new Map<string, Client>();
  readonly users = new Map<string, User>();
  readonly codes = new Map<string, AuthorizationCode>();
  readonly accessTokens = new Map<string, AccessTokenRecord>();
  readonly refreshTokens = new Map<string, RefreshTokenRecord>();
  /** Consent given per client and user: the scopes granted so far. */
  readonly grants = new Map<string, Set<string>>();

  constructor(clients: readonly Client[], users: readonly User[]) {
    for (const client of clients) this.clients.set(client.clientId, client);
    for (const user of users) this.users.set(user.key, user);
  }

  /**
   * Forgets codes and tokens that have expired by `now` (emulator time; access tokens a day later, see
   * {@link EXPIRED_TOKEN_MEMORY_MS}), so a long-running emulator stays flat. Each
   * map holds its entries in order of expiry (one lifetime per kind, a clock that only moves forward, and a rotated
   * refresh token re-inserted at the end), so this looks only at the expired head of each: O(1) per call when nothing
   * expired. Lookups check `expiresAt` themselves; pruning only frees memory.
   */
  prune(now: number): void {
    for (const [code, record] of this.codes) {
      if (record.expiresAt > now) break;
      this.codes.delete(code);
    }
    for (const [token, record] of this.accessTokens) {
      if (record.expiresAt + EXPIRED_TOKEN_MEMORY_MS > now) break;
      this.accessTokens.delete(token);
      if (record.refreshToken !== undefined) this.refreshTokens.get(record.refreshToken)?.accessTokens.delete(token);
    }
    // An access token refreshed near its refresh token's end outlives it: left to its own expiry.
    for (const [token, record] of this.refreshTokens) {
      if (record.expiresAt > now) break;
      this.refreshTokens.delete(token);
    }
  }

  /** How many codes and tokens are stored. */
  sizes(): { codes: number; accessTokens: number; refreshTokens: number } {
    return { codes: this.codes.size, accessTokens: this.accessTokens.size, refreshTokens: this.refreshTokens.size };
  }

  grantKey(clientId: string, userKey: string): string {
    return `${clientId}\u0000${userKey}`;
  }

  /** Revokes every token of one client and user (unlink), and forgets the consent. */
  revokeAll(clientId: string, userKey: string): void {
    for (const [token, record] of this.accessTokens) if (record.clientId === clientId && record.userKey === userKey) this.accessTokens.delete(token);
    for (const [token, record] of this.refreshTokens) if (record.clientId === clientId && record.userKey === userKey) this.refreshTokens.delete(token);
    this.grants.delete(this.grantKey(clientId, userKey));
  }

  /** Revokes one access token and the refresh token it came with, and every access token of that refresh token. */
  revokePair(accessToken: string): void {
    const record = this.accessTokens.get(accessToken);
    this.accessTokens.delete(accessToken);
    if (record?.refreshToken) this.revokeRefresh(record.refreshToken);
  }

  /** Revokes a refresh token and the access tokens issued with it. */
  revokeRefresh(refreshToken: string): void {
    const refresh = this.refreshTokens.get(refreshToken);
    if (!refresh) return;
    for (const token of refresh.accessTokens) this.accessTokens.delete(token);
    this.refreshTokens.delete(refreshToken);
  }
}

export type KakaoState = ProviderState<KakaoClient, KakaoTestUser>;
export type NaverState = ProviderState<NaverClient, NaverTestUser>;
