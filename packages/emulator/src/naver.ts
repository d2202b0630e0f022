/**
 * Naver Login as the emulator plays it, following the project's notes, docs/providers/naver.md. Where the notes mark a
 * fact unsure (⚠), the choice made here says so.
 */
import { randomBytes } from 'node:crypto';
import type { EmulatorCore, PendingAuthorization, Route } from './core.js';
import { CODE_LIFETIME_MS, SECOND, askForConsent, readSession, startSession } from './core.js';
import { basicCredentials, bearerToken, param, redirect, sendEmpty, sendHTML, sendJSON, withQuery } from './http.js';
import type { RequestContext } from './http.js';
import { createSigningKeys, signIdToken } from './oidc.js';
import type { SigningKeys } from './oidc.js';
import { renderErrorPage } from './pages.js';
import { sha256 } from './state.js';
import type { AccessTokenRecord } from './state.js';
import type { NaverClient, NaverProfileItem, NaverTestUser } from './types.js';
import { ALL_NAVER_PROFILE_ITEMS, imageURL, isRegistered } from './users.js';
import { redirectHelp } from './kakao.js';

/** How the consent page names Naver's profile items. */
const NAVER_PROFILE_LABELS: Readonly<Record<NaverProfileItem, string>> = {
  name: '이름 (name)', email: '이메일 주소 (email)', nickname: '별명 (nickname)', profile_image: '프로필 사진 (profile image)',
  gender: '성별 (gender)', birthday: '생일 (birthday)', age: '연령대 (age range)', birthyear: '출생연도 (birth year)',
  mobile: '휴대전화번호 (mobile)',
};

/** Access tokens last 3600 s by default (B2). */
export const NAVER_ACCESS_TOKEN_SECONDS = 3600;
/** ⚠ The refresh token lifetime is not documented (B2); a year here. */
export const NAVER_REFRESH_TOKEN_SECONDS = 365 * 24 * 3600;

/** Naver JSON as the real service writes it: `/` as `\/` and non-ASCII as `\uXXXX` (B3). */
export function naverJSON(body: unknown): string {
  return JSON.stringify(body)
    .replace(/\//g, '\\/')
    .replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** B2: token errors come with HTTP 200 and `{ error, error_description }`. */
function tokenError(ctx: RequestContext, error: string, description: string): void {
  sendJSON(ctx.res, 200, naverJSON({ error, error_description: description }), 'application/json;charset=utf-8');
}

/** Access tokens: ≤256 chars of `[A-Za-z0-9+/=]`; refresh tokens: alphanumeric (B2). */
function accessTokenValue(): string {
  return `AAAA${randomBytes(48).toString('base64')}`;
}
function refreshTokenValue(): string {
  return randomBytes(32).toString('hex');
}

/** The pairwise id an app sees for a person (B3: unique per application, ≤64 base64-style chars). */
export function naverUserId(clientId: string, user: NaverTestUser): string {
  return sha256(`${clientId}:${user.personId}`);
}

/** GET|POST /oauth2.0/authorize (B1), and with `oidc` GET|POST /oauth2/authorize (B5). */
function authorize(ctx: RequestContext, core: EmulatorCore, oidc = false): void {
  const clientId = param(ctx, 'client_id') ?? '';
  const client = core.naver.clients.get(clientId);
  // B1 (DOC 3.4.1): a wrong client id or callback URL is an error page at Naver, not a redirect.
  if (!client) return sendHTML(ctx.res, 400, renderErrorPage('naver', '잘못된 요청입니다', `Unknown client_id: ${clientId}`));
  const redirectUri = param(ctx, 'redirect_uri') ?? '';
  if (!isRegistered(redirectUri, client.redirectUris)) {
    return sendHTML(ctx.res, 400, renderErrorPage('naver', '잘못된 요청입니다', `Callback URL is not registered: ${redirectUri}`, redirectHelp('naver', redirectUri)));
  }
  // An empty state is no state (B1): `?state=` gets the same warning or refusal.
  const state = param(ctx, 'state') || undefined;
  if (param(ctx, 'response_type') !== 'code') {
    return redirect(ctx.res, withQuery(redirectUri, { state, error: 'unsupported_response_type', error_description: 'response_type must be code' }));
  }
  if (state === undefined) {
    // B1: Naver's guide requires `state` (B6.3), yet real Naver logs users in without one (B1 ⚠: arctic 3, Auth.js and
    // Naver's own passport-naver send none). Accepted with a warning; `naver.requireState` (CLI --strict) refuses it.
    // ⚠ Naver's answer to a refusal is not documented: an invalid_request redirect.
    if (core.naverRequireState) return redirect(ctx.res, withQuery(redirectUri, { error: 'invalid_request', error_description: 'state is required' }));
    core.warnOnce("a Naver authorize request came without state: Naver's guide requires it (CSRF protection), though real Naver accepts it; --strict (naver.requireState) refuses it");
  }
  const challenge = oidc ? param(ctx, 'code_challenge') : undefined;
  if (oidc) {
    // B5: scope=openid is required on the OIDC path. ⚠ The answer without it is not documented: invalid_scope.
    if (!(param(ctx, 'scope') ?? '').split(/[\s,]+/).includes('openid')) {
      return redirect(ctx.res, withQuery(redirectUri, { state, error: 'invalid_scope', error_description: 'scope must include openid' }));
    }
    // B5: PKCE S256 is optional. ⚠ The answer to another method is not documented.
    if (challenge !== undefined && param(ctx, 'code_challenge_method') !== 'S256') {
      return redirect(ctx.res, withQuery(redirectUri, { state, error: 'invalid_request', error_description: 'code_challenge_method must be S256' }));
    }
  }
  const authType = param(ctx, 'auth_type');
  if (authType === 'autologin') {
    // B1: autologin works only inside the Naver app.
    return redirect(ctx.res, withQuery(redirectUri, { state, error: 'access_denied', error_description: 'unsupported browser environment.' }));
  }
  const items = naverItems(client);
  const session = readSession(ctx, core, 'naver');
  const pending: PendingAuthorization = {
    provider: 'naver',
    clientId,
    redirectUri,
    state,
    // B8 ⚠: /oauth2/authorize documents no nonce; one sent is put in the id_token, as OIDC clients expect, unless
    // `naver.idTokenNonce: false`.
    nonce: oidc && core.naverIdTokenNonce ? param(ctx, 'nonce') : undefined,
    // B5: PKCE is documented only for the /oauth2/* (OIDC) paths; the legacy endpoints ignore it.
    codeChallenge: challenge,
    requestedItems: items,
    openid: oidc,
    step: 'login',
    session,
    expiresAt: core.clock.now() + CODE_LIFETIME_MS,
  };
  const now = Math.floor(core.clock.now() / 1000);
  const autoUser = core.autoApprove.naver ? core.naver.users.get(core.autoApprove.naver) : undefined;
  if (autoUser) return approve(ctx, core, pending, autoUser, items, now);
  const required = new Set(client.requiredItems ?? []);
  let note: string | undefined;
  if (session && authType === 'reauthenticate') {
    pending.step = 'reauthenticate';
    note = 'auth_type=reauthenticate: the app asks you to enter your password again, although you are logged in.';
  } else if (session && authType === 'reprompt') {
    pending.step = 'reprompt';
    note = 'auth_type=reprompt: agree again; you may decline items you agreed to before.';
  } else if (session) {
    const granted = core.naver.grants.get(core.naver.grantKey(clientId, session.userKey));
    // Logged in and connected to the app: Naver sends the browser straight back.
    if (granted) return approve(ctx, core, pending, core.naver.users.get(session.userKey)!, [...granted], session.authTime);
    pending.step = 'consent';
  }
  // B6.7: the items come from the app's settings in the Naver console; the person may decline the optional ones.
  askForConsent(ctx, core, pending, items.map((item) => ({
    item,
    label: `${NAVER_PROFILE_LABELS[item]}${required.has(item) ? ' (필수 required)' : ' (선택 optional)'}`,
    checked: true,
    fixed: required.has(item),
  })), note);
}

/** The profile items a Naver app asks for (its console settings): `profileItems`, default all. */
function naverItems(client: NaverClient): NaverProfileItem[] {
  return client.profileItems ?? [...ALL_NAVER_PROFILE_ITEMS];
}

/** The person's decision on a Naver page: Agree logs them in (unless they only consented again) and issues a code. */
export function decide(ctx: RequestContext, core: EmulatorCore, pending: PendingAuthorization, userKey: string, agreed: readonly string[]): void {
  const user = core.naver.users.get(userKey);
  if (!user) return deny(ctx, pending);
  const keepSession = pending.session?.userKey === userKey && (pending.step === 'consent' || pending.step === 'reprompt');
  const authTime = keepSession ? pending.session!.authTime : Math.floor(core.clock.now() / 1000);
  if (!keepSession) startSession(ctx, core, 'naver', userKey, authTime);
  const required = core.naver.clients.get(pending.clientId)?.requiredItems ?? [];
  approve(ctx, core, pending, user, [...required, ...agreed], authTime);
}

/**
 * Issues a code and sends the browser back: `{callback}?code={code}&state={state}` (B1). The items agreed replace what
 * was agreed before (a reprompt can take items back).
 */
export function approve(ctx: RequestContext, core: EmulatorCore, pending: PendingAuthorization, user: NaverTestUser, agreed: readonly string[], authTime: number): void {
  const granted = new Set(agreed.filter((item) => pending.requestedItems.includes(item)));
  core.naver.grants.set(core.naver.grantKey(pending.clientId, user.key), granted);
  const code = randomBytes(12).toString('hex');
  core.naver.codes.set(code, {
    clientId: pending.clientId,
    userKey: user.key,
    redirectUri: pending.redirectUri,
    scopes: [...granted],
    state: pending.state,
    nonce: pending.nonce,
    codeChallenge: pending.codeChallenge,
    openid: pending.openid,
    authTime,
    expiresAt: core.clock.now() + CODE_LIFETIME_MS,
  });
  redirect(ctx.res, withQuery(pending.redirectUri, { code, state: pending.state }));
}

/** `{callback}?state=…&error=access_denied&error_description=…` (B1; ⚠ the description text is unverified). */
export function deny(ctx: RequestContext, pending: PendingAuthorization): void {
  redirect(ctx.res, withQuery(pending.redirectUri, { state: pending.state, error: 'access_denied', error_description: 'Canceled By User' }));
}

/**
 * The client of a token or revoke request: `client_id` and `client_secret` parameters, or (unless
 * `naver.acceptBasicAuth: false`) an `Authorization: Basic` header when the parameters carry no `client_id`.
 * ⚠ B2 documents parameters only; Auth.js's Naver provider sends Basic with no `client_id` and is used in production
 * against real Naver, so Naver evidently accepts it.
 */
function authenticateClient(ctx: RequestContext, core: EmulatorCore): NaverClient | undefined {
  let clientId = param(ctx, 'client_id');
  let clientSecret = param(ctx, 'client_secret');
  const basic = clientId === undefined && core.naverAcceptBasicAuth ? basicCredentials(ctx.req) : undefined;
  if (basic) ({ clientId, clientSecret } = basic);
  const client = core.naver.clients.get(clientId ?? '');
  return client && clientSecret === client.clientSecret ? client : undefined;
}

/** GET|POST /oauth2.0/token (B2). Parameters may come in the query (Naver's examples) or a form body. */
async function token(ctx: RequestContext, core: EmulatorCore, oidc = false): Promise<void> {
  const grantType = param(ctx, 'grant_type');
  // B5: the OIDC discovery lists token_endpoint_auth_methods "none": a public client proves itself with PKCE alone.
  const publicClient = oidc && grantType === 'authorization_code' && param(ctx, 'client_secret') === undefined && basicCredentials(ctx.req) === undefined
    ? core.naver.clients.get(param(ctx, 'client_id') ?? '')
    : undefined;
  const client = publicClient ?? authenticateClient(ctx, core);
  if (!client) {
    // B8: Naver's body for a wrong client id or secret; ⚠ its HTTP status is unknown, 200 like its other token errors.
    return tokenError(ctx, 'invalid_request', 'wrong client id / client secret pair');
  }
  if (grantType === 'authorization_code') return exchangeCode(ctx, core, client, oidc, publicClient !== undefined);
  if (grantType === 'refresh_token') return refresh(ctx, core, client, oidc);
  if (grantType === 'delete' && !oidc) return legacyDelete(ctx, core, client);
  return tokenError(ctx, 'unsupported_response_type', `grant_type is not supported: ${grantType ?? ''}`);
}

async function exchangeCode(ctx: RequestContext, core: EmulatorCore, client: NaverClient, oidc: boolean, publicClient: boolean): Promise<void> {
  const code = param(ctx, 'code') ?? '';
  const record = core.naver.codes.get(code);
  core.naver.codes.delete(code);
  // B2, B6.2: a code works once; a reused, unknown or expired code, or another state, is "no valid data in session".
  // ⚠ The docs list `state` as required here, yet passport-naver-v2 never sends it and works in production: a missing
  // state is accepted unless `requireTokenState` is set; a different one never is.
  const state = param(ctx, 'state');
  const stateMismatch = state === undefined ? core.naverRequireTokenState : state !== record?.state;
  if (!record || record.expiresAt <= core.clock.now() || record.clientId !== client.clientId || stateMismatch) {
    return tokenError(ctx, 'invalid_request', 'no valid data in session');
  }
  // A code issued with a code_challenge (on /oauth2/authorize) needs its verifier wherever it is redeemed: the legacy
  // /oauth2.0/token taking it without one would be a PKCE downgrade the emulator must not hide (B5 documents PKCE on
  // the OIDC paths only; how Naver answers across paths is unknown, so the safe answer).
  if (record.codeChallenge !== undefined || (oidc && publicClient)) {
    const verifier = param(ctx, 'code_verifier');
    if (record.codeChallenge === undefined || !verifier || sha256(verifier) !== record.codeChallenge) {
      // B5 ⚠: the answer to a wrong or missing code_verifier is not documented; Naver's usual error shape.
      return tokenError(ctx, 'invalid_grant', 'code_verifier does not match code_challenge');
    }
  }
  const now = core.clock.now();
  const refreshToken = refreshTokenValue();
  const accessToken = issueAccessToken(core, client.clientId, record.userKey, record.scopes, refreshToken);
  core.naver.refreshTokens.set(refreshToken, {
    clientId: client.clientId,
    userKey: record.userKey,
    scopes: record.scopes,
    expiresAt: now + NAVER_REFRESH_TOKEN_SECONDS * SECOND,
    openid: false,
    nonce: undefined,
    authTime: record.authTime,
    accessTokens: new Set([accessToken]),
  });
  if (oidc) {
    // B5, B8 ⚠: the OIDC token response types expires_in as an integer, and adds the id_token.
    const body: Record<string, unknown> = { access_token: accessToken, refresh_token: refreshToken, token_type: 'bearer', expires_in: NAVER_ACCESS_TOKEN_SECONDS };
    if (record.openid) body['id_token'] = await naverIdToken(ctx, core, client.clientId, record.userKey, record.nonce);
    return sendJSON(ctx.res, 200, naverJSON(body));
  }
  // B2, B6.4: expires_in is a string.
  sendJSON(ctx.res, 200, naverJSON({ access_token: accessToken, refresh_token: refreshToken, token_type: 'bearer', expires_in: String(NAVER_ACCESS_TOKEN_SECONDS) }));
}

/** The issuer of Naver id_tokens: `naver.issuer`, default `{publicOrigin}/naver` (its discovery lives under it). */
export function naverIssuer(core: EmulatorCore, origin: string): string {
  return core.naverIssuer ?? `${origin}/naver`;
}

/**
 * The OIDC `sub` an app sees. B8 ⚠: one report says it differs from `/v1/nid/me`'s `id`; by default the emulator makes
 * it differ (pairwise, per app) so that nothing comes to depend on them being equal; `naver.oidcSubjectIsId` makes it
 * equal.
 */
export function naverSubject(core: EmulatorCore, clientId: string, user: NaverTestUser): string {
  return core.naverOidcSubjectIsId ? naverUserId(clientId, user) : sha256(`oidc:${clientId}:${user.personId}`);
}

/** A Naver id_token (B5: `iss`, `aud`, `sub`, `iat`, `exp`; `nonce` when sent ⚠), signed with Naver's own key. */
async function naverIdToken(ctx: RequestContext, core: EmulatorCore, clientId: string, userKey: string, nonce: string | undefined): Promise<string> {
  const now = Math.floor(core.clock.now() / 1000);
  return signIdToken(await naverKeys(core), {
    issuer: naverIssuer(core, ctx.origin),
    audience: clientId,
    subject: naverSubject(core, clientId, core.naver.users.get(userKey)!),
    issuedAt: now,
    expiresAt: now + NAVER_ACCESS_TOKEN_SECONDS,
    nonce,
  });
}

/** Naver's signing key: made on first use (a key pair of its own, so its JWKS and Kakao's differ). */
function naverKeys(core: EmulatorCore): Promise<SigningKeys> {
  core.naverKeys ??= createSigningKeys();
  return core.naverKeys;
}

function refresh(ctx: RequestContext, core: EmulatorCore, client: NaverClient, oidc: boolean): void {
  // B8 ⚠: discovery advertises only authorization_code on the OIDC path; `naver.oidcRefresh: false` follows it.
  if (oidc && !core.naverOidcRefresh) return tokenError(ctx, 'unsupported_response_type', 'grant_type is not supported: refresh_token');
  const presented = param(ctx, 'refresh_token') ?? '';
  const record = core.naver.refreshTokens.get(presented);
  if (!record || record.expiresAt <= core.clock.now() || record.clientId !== client.clientId) {
    // ⚠ not documented: an unknown refresh token, answered like the other token errors.
    return tokenError(ctx, 'invalid_request', 'invalid refresh token');
  }
  const accessToken = issueAccessToken(core, client.clientId, record.userKey, record.scopes, presented);
  record.accessTokens.add(accessToken);
  // B6.5: no new refresh token on refresh. B8 ⚠: refresh on /oauth2/token is in the token table, not in discovery.
  const expiresIn = oidc ? NAVER_ACCESS_TOKEN_SECONDS : String(NAVER_ACCESS_TOKEN_SECONDS);
  sendJSON(ctx.res, 200, naverJSON({ access_token: accessToken, token_type: 'bearer', expires_in: expiresIn }));
}

/**
 * Tokens as the Naver SDK gets them for `userKey` in the app `clientId` (B8: the token names no app; the profile's `id`
 * is the app's pairwise id), with every item the app asks for agreed.
 */
export function issueSDKTokens(core: EmulatorCore, request: { clientId: string; userKey: string }): { accessToken: string; refreshToken: string; expiresIn: number } {
  const client = core.naver.clients.get(request.clientId);
  if (!client) throw new TypeError(`Unknown Naver app ${request.clientId}`);
  const user = core.naver.users.get(request.userKey);
  if (!user) throw new TypeError(`Unknown Naver test user "${request.userKey}"; the test users are ${[...core.naver.users.keys()].join(', ')}`);
  const scopes = naverItems(client);
  core.naver.grants.set(core.naver.grantKey(client.clientId, user.key), new Set(scopes));
  const now = core.clock.now();
  const refreshToken = refreshTokenValue();
  const accessToken = issueAccessToken(core, client.clientId, user.key, scopes, refreshToken);
  core.naver.refreshTokens.set(refreshToken, {
    clientId: client.clientId, userKey: user.key, scopes, expiresAt: now + NAVER_REFRESH_TOKEN_SECONDS * SECOND, openid: false, nonce: undefined,
    authTime: Math.floor(now / 1000), accessTokens: new Set([accessToken]),
  });
  return { accessToken, refreshToken, expiresIn: NAVER_ACCESS_TOKEN_SECONDS };
}

/** B2: the deprecated `grant_type=delete`, which answered success even for unknown tokens (and another app's, untouched). */
function legacyDelete(ctx: RequestContext, core: EmulatorCore, client: NaverClient): void {
  const accessToken = param(ctx, 'access_token') ?? '';
  if (core.naver.accessTokens.get(accessToken)?.clientId === client.clientId) core.naver.revokePair(accessToken);
  sendJSON(ctx.res, 200, naverJSON({ access_token: accessToken, result: 'success' }));
}

function issueAccessToken(core: EmulatorCore, clientId: string, userKey: string, scopes: string[], refreshToken: string): string {
  const accessToken = accessTokenValue();
  core.naver.accessTokens.set(accessToken, {
    clientId,
    userKey,
    scopes,
    expiresAt: core.clock.now() + NAVER_ACCESS_TOKEN_SECONDS * SECOND,
    refreshToken,
  });
  return accessToken;
}

/**
 * POST /oauth2.0/revoke (B2): revokes the token and its pair; 200 with an empty body, even for unknown tokens. A token
 * of another app is answered alike and left alone (RFC 7009 §2.1: a client revokes only its own tokens).
 */
function revoke(ctx: RequestContext, core: EmulatorCore): void {
  const client = authenticateClient(ctx, core);
  if (!client) {
    return sendJSON(ctx.res, 401, { error: 'unauthorized_client', error_description: 'Client authentication failed.' });
  }
  const tokenValue = param(ctx, 'token');
  if (!tokenValue) return sendJSON(ctx.res, 400, { error: 'invalid_request', error_description: 'token is required.' });
  const hint = param(ctx, 'token_type_hint') ?? 'access_token';
  const owner = (hint === 'refresh_token' ? core.naver.refreshTokens.get(tokenValue) : core.naver.accessTokens.get(tokenValue))?.clientId;
  if (owner !== client.clientId) return sendEmpty(ctx.res, 200);
  if (hint === 'refresh_token') core.naver.revokeRefresh(tokenValue);
  else core.naver.revokePair(tokenValue);
  sendEmpty(ctx.res, 200);
}

/** Finds the access token of an openapi request, or answers 028 / 024 (B3). */
function authenticateAPI(ctx: RequestContext, core: EmulatorCore): { token: string; record: AccessTokenRecord; user: NaverTestUser } | undefined {
  const token = bearerToken(ctx.req, ctx.url);
  if (token === null) {
    sendJSON(ctx.res, 401, naverJSON({ resultcode: '028', message: 'Authentication header not exists / 인증 헤더가 존재하지 않습니다.' }));
    return undefined;
  }
  const record = core.naver.accessTokens.get(token);
  if (!record || record.expiresAt <= core.clock.now()) {
    // B3 ⚠: 401 per the docs, 200 per naver/passport-naver; configurable.
    sendJSON(ctx.res, core.naverProfileErrorStatus, naverJSON({ resultcode: '024', message: 'Authentication failed / 인증에 실패했습니다.' }));
    return undefined;
  }
  return { token, record, user: core.naver.users.get(record.userKey)! };
}

/** The profile fields a token may read: the user's, limited to the items agreed (B3: only agreed fields; `id` always). */
function sharedFields(user: NaverTestUser, record: AccessTokenRecord, origin: string): Array<[string, string]> {
  const fields: Array<[NaverProfileItem, string, string | undefined]> = [
    ['nickname', 'nickname', user.nickname], ['name', 'name', user.name], ['email', 'email', user.email], ['gender', 'gender', user.gender],
    ['age', 'age', user.age], ['birthday', 'birthday', user.birthday], ['birthyear', 'birthyear', user.birthyear],
    ['profile_image', 'profile_image', imageURL(user.profileImage, origin)], ['mobile', 'mobile', user.mobile], ['mobile', 'mobile_e164', user.mobileE164],
  ];
  return fields.filter(([item, , value]) => value !== undefined && record.scopes.includes(item)).map(([, key, value]) => [key, value!]);
}

/** GET /v1/nid/me (B3): the wrapped profile, only the fields the user has and agreed to share. */
function me(ctx: RequestContext, core: EmulatorCore): void {
  const auth = authenticateAPI(ctx, core);
  if (!auth) return;
  const { user, record } = auth;
  const response: Record<string, string> = { id: naverUserId(record.clientId, user) };
  for (const [key, value] of sharedFields(user, record, ctx.origin)) response[key] = value;
  sendJSON(ctx.res, 200, naverJSON({ resultcode: '00', message: 'success', response }));
}

/** GET|POST /v1/nid/verify (B4): the token, its expiry, and with `info=true` the allowed profile items. */
function verify(ctx: RequestContext, core: EmulatorCore): void {
  const auth = authenticateAPI(ctx, core);
  if (!auth) return;
  const expires = new Date(auth.record.expiresAt);
  // ⚠ B4: the expire_date format is not shown in the docs; "YYYY-MM-DD HH:mm:ss" (UTC) here.
  const expireDate = expires.toISOString().slice(0, 19).replace('T', ' ');
  const response: Record<string, string> = { token: auth.token, expire_date: expireDate };
  if (param(ctx, 'info') === 'true') {
    const allowed = ['id', ...sharedFields(auth.user, auth.record, ctx.origin).map(([key]) => key).filter((key) => key !== 'mobile_e164')];
    response['allowed_profile'] = allowed.join(',');
  }
  sendJSON(ctx.res, 200, naverJSON({ resultcode: '00', message: 'success', response }));
}

/**
 * GET /naver/.well-known/openid-configuration: Naver's discovery (B5, as third parties fetched it), with the emulator's
 * URLs. Naver serves it at the root of nid.naver.com; on the emulator's one origin the root belongs to Kakao's, so
 * Naver's issuer is `{origin}/naver` and its discovery sits under it, where OIDC clients look for it.
 */
function discovery(ctx: RequestContext, core: EmulatorCore): void {
  sendJSON(ctx.res, 200, {
    issuer: naverIssuer(core, ctx.origin),
    authorization_endpoint: `${ctx.origin}/oauth2/authorize`,
    token_endpoint: `${ctx.origin}/oauth2/token`,
    jwks_uri: `${ctx.origin}/oauth2/jwks`,
    // B5: the non-standard, wrapped profile API.
    userinfo_endpoint: `${ctx.origin}/v1/nid/me`,
    response_types_supported: ['code'],
    scopes_supported: ['openid', 'profile'],
    grant_types_supported: ['authorization_code'],
    token_endpoint_auth_methods_supported: ['client_secret_post', 'none'],
    code_challenge_methods_supported: ['S256'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
  });
}

/** GET /oauth2/jwks (B5). */
async function jwks(ctx: RequestContext, core: EmulatorCore): Promise<void> {
  sendJSON(ctx.res, 200, (await naverKeys(core)).jwks);
}

/** Naver's endpoints, on the emulator's one origin. */
export const naverRoutes: readonly Route[] = [
  { endpoint: 'naver.oidcAuthorize', path: '/oauth2/authorize', methods: ['GET', 'POST'], handle: (ctx, core) => authorize(ctx, core, true) },
  { endpoint: 'naver.oidcToken', path: '/oauth2/token', methods: ['POST'], handle: (ctx, core) => token(ctx, core, true) },
  { endpoint: 'naver.discovery', path: '/naver/.well-known/openid-configuration', methods: ['GET'], handle: discovery },
  { endpoint: 'naver.jwks', path: '/oauth2/jwks', methods: ['GET'], handle: jwks },
  { endpoint: 'naver.authorize', path: '/oauth2.0/authorize', methods: ['GET', 'POST'], handle: (ctx, core) => authorize(ctx, core) },
  { endpoint: 'naver.token', path: '/oauth2.0/token', methods: ['GET', 'POST'], handle: (ctx, core) => token(ctx, core) },
  { endpoint: 'naver.revoke', path: '/oauth2.0/revoke', methods: ['POST'], handle: revoke },
  { endpoint: 'naver.me', path: '/v1/nid/me', methods: ['GET'], handle: me },
  { endpoint: 'naver.verify', path: '/v1/nid/verify', methods: ['GET', 'POST'], handle: verify },
];
