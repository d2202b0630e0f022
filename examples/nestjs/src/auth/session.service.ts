import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import type { Request, Response } from 'express';
import type { AppConfig } from '../config.js';
import type { AppUser, ProviderTokens } from './user.js';

/** The app's session cookie: a signed JWT (HS256), httpOnly, SameSite=Lax. */
export const SESSION_COOKIE = 'app_session';

/** The JWT's claims. The provider tokens travel sealed (AES-256-GCM) in `tok`: signed is not secret. */
interface SessionClaims {
  sub: string;
  prv: 'kakao' | 'naver';
  name: string;
  scp?: string[];
  rexp?: number;
  auth_time?: number;
  tok: string;
}

/**
 * The app's own session, without a server-side store: after a login, a JWT signed with `JWT_SECRET` in an httpOnly,
 * SameSite=Lax cookie. The provider's tokens are needed later (to unlink or revoke), so they ride inside it,
 * encrypted with a key derived from the same secret and bound to the user: whoever reads the cookie (a log, a proxy)
 * learns nothing usable at Kakao or Naver.
 */
@Injectable()
export class SessionService {
  private readonly tokenKey: Buffer;
  private readonly ttlSeconds: number;
  private readonly secure: boolean;

  constructor(
    @Inject(JwtService) private readonly jwt: JwtService,
    @Inject(ConfigService) config: ConfigService<AppConfig, true>,
  ) {
    this.tokenKey = Buffer.from(hkdfSync('sha256', config.get('jwtSecret', { infer: true }), new Uint8Array(0), 'example-nestjs provider tokens v1', 32));
    this.ttlSeconds = config.get('sessionTtlSeconds', { infer: true });
    this.secure = config.get('secureCookies', { infer: true });
  }

  /** Signs the session for `user` and sets its cookie. */
  async issue(res: Response, user: AppUser): Promise<void> {
    const claims: SessionClaims = { sub: user.id, prv: user.provider, name: user.displayName, tok: this.seal(user) };
    if (user.scopes !== undefined) claims.scp = user.scopes;
    if (user.refreshTokenExpiresAt !== undefined) claims.rexp = user.refreshTokenExpiresAt;
    if (user.authTime !== undefined) claims.auth_time = user.authTime;
    const token = await this.jwt.signAsync(claims, { expiresIn: this.ttlSeconds });
    res.cookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: this.secure, path: '/', maxAge: this.ttlSeconds * 1000 });
  }

  /** The signed-in user, or `undefined` when the cookie is missing, expired, forged or unreadable. */
  async read(req: Pick<Request, 'cookies'>): Promise<AppUser | undefined> {
    const cookies: Record<string, unknown> = req.cookies ?? {};
    const token = cookies[SESSION_COOKIE];
    if (typeof token !== 'string' || token === '') return undefined;
    let claims: Record<string, unknown>;
    try {
      claims = await this.jwt.verifyAsync<Record<string, unknown>>(token, { algorithms: ['HS256'] });
    } catch {
      return undefined;
    }
    const { sub, prv, name, scp, rexp, auth_time: authTime, tok } = claims;
    if (typeof sub !== 'string' || (prv !== 'kakao' && prv !== 'naver') || typeof name !== 'string' || typeof tok !== 'string') return undefined;
    const tokens = this.open(tok, prv, sub);
    if (!tokens) return undefined;
    return {
      provider: prv,
      id: sub,
      displayName: name,
      scopes: Array.isArray(scp) && scp.every((item) => typeof item === 'string') ? scp : undefined,
      refreshTokenExpiresAt: typeof rexp === 'number' ? rexp : undefined,
      authTime: typeof authTime === 'number' ? authTime : undefined,
      tokens,
    };
  }

  /** Clears the session cookie (same attributes, so the browser drops it). */
  clear(res: Response): void {
    res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure: this.secure, path: '/' });
  }

  /** AES-256-GCM over the tokens, the user (`provider:id`) as associated data: base64url(iv | tag | ciphertext). */
  private seal(user: AppUser): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.tokenKey, iv);
    cipher.setAAD(Buffer.from(`${user.provider}:${user.id}`));
    const body = Buffer.concat([cipher.update(JSON.stringify(user.tokens), 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  private open(sealed: string, provider: string, id: string): ProviderTokens | undefined {
    try {
      const bytes = Buffer.from(sealed, 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', this.tokenKey, bytes.subarray(0, 12));
      decipher.setAAD(Buffer.from(`${provider}:${id}`));
      decipher.setAuthTag(bytes.subarray(12, 28));
      const parsed: unknown = JSON.parse(Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8'));
      if (typeof parsed !== 'object' || parsed === null) return undefined;
      if (!('accessToken' in parsed && 'refreshToken' in parsed && 'expiresAt' in parsed)) return undefined;
      const { accessToken, refreshToken, expiresAt } = parsed;
      if (typeof accessToken !== 'string' || typeof refreshToken !== 'string' || typeof expiresAt !== 'number') return undefined;
      return { accessToken, refreshToken, expiresAt };
    } catch {
      return undefined;
    }
  }
}
