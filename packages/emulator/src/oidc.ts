import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import type { JWK } from 'jose';
import { randomToken } from './state.js';

/** The emulator's Kakao OIDC signing key: made at start, RS256, with a `kid`. */
export interface SigningKeys {
  kid: string;
  privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
  /** The public JWKS document served at `/.well-known/jwks.json`. */
  jwks: { keys: JWK[] };
}

/** Makes a fresh RS256 key pair and its JWKS. */
export async function createSigningKeys(): Promise<SigningKeys> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const kid = randomToken(12);
  const jwk = await exportJWK(publicKey);
  return { kid, privateKey, jwks: { keys: [{ ...jwk, kid, alg: 'RS256', use: 'sig' }] } };
}

/** What goes into an id_token (docs/providers/kakao.md A6 for Kakao, docs/providers/naver.md B5 for Naver). */
export interface IdTokenClaims {
  issuer: string;
  audience: string;
  subject: string;
  issuedAt: number;
  expiresAt: number;
  /** Kakao's id_tokens carry `auth_time` (A6); Naver documents none. */
  authTime?: number | undefined;
  nonce?: string | undefined;
  nickname?: string | undefined;
  picture?: string | undefined;
  email?: string | undefined;
}

/** Signs an id_token with the emulator's key (RS256, `kid` in the header). */
export function signIdToken(keys: SigningKeys, claims: IdTokenClaims): Promise<string> {
  const payload: Record<string, unknown> = {};
  if (claims.authTime !== undefined) payload['auth_time'] = claims.authTime;
  if (claims.nonce !== undefined) payload['nonce'] = claims.nonce;
  if (claims.nickname !== undefined) payload['nickname'] = claims.nickname;
  if (claims.picture !== undefined) payload['picture'] = claims.picture;
  if (claims.email !== undefined) payload['email'] = claims.email;
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: keys.kid })
    .setIssuer(claims.issuer)
    .setAudience(claims.audience)
    .setSubject(claims.subject)
    .setIssuedAt(claims.issuedAt)
    .setExpirationTime(claims.expiresAt)
    .sign(keys.privateKey);
}
