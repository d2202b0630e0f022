/**
 * Kakao Login as the emulator plays it. Every status, body and rule follows the project's notes, docs/providers/kakao.md;
 * where the notes mark a fact unsure (⚠), the choice made here says so.
 */
import type { EmulatorCore, PendingAuthorization, Route } from './core.js';
import { CODE_LIFETIME_MS, DAY, SECOND, askForConsent, endSession, readSession, startSession } from './core.js';
import { basicCredentials, bearerToken, param, redirect, sendHTML, sendJSON, withQuery } from './http.js';
import type { RequestContext } from './http.js';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { signIdToken } from './oidc.js';
import { renderErrorPage } from './pages.js';
import { randomToken, sha256 } from './state.js';
import type { AccessTokenRecord } from './state.js';
import type { KakaoConsentItem, KakaoTestUser } from './types.js';
import { ALL_KAKAO_CONSENT_ITEMS, DEFAULT_KAKAO_CLIENT, KAKAO_CONSENT_LABELS, imageURL, isRegistered } from './users.js';

/** REST API access tokens last 6 h (A3: every REST capture shows 21599). */
export const KAKAO_ACCESS_TOKEN_SECONDS = 21599;
/** Refresh tokens last 2 months (A3: captures show 5183999). */
export const KAKAO_REFRESH_TOKEN_SECONDS = 5183999;
/** A refresh token is renewed on refresh only when less than a month is left (A2 refresh rule). */
export const KAKAO_REFRESH_ROTATION_WINDOW_MS = 30 * DAY;

const CONSENT_ITEMS: ReadonlySet<string> = new Set(ALL_KAKAO_CONSENT_ITEMS);

/** kauth error body: `{ error, error_description, error_code }` (A2). */
function kauthError(ctx: RequestContext, status: number, error: string, description: string, code: string): void {
  sendJSON(ctx.res, status, { error, error_description: description, error_code: code });
}

/** kapi error body: `{ msg, code }` (A4). */
function kapiError(ctx: RequestContext, status: number, msg: string, code: number): void {
  sendJSON(ctx.res, status, { msg, code });
}

function splitList(value: string | undefined): string[] {
  return value ? value.split(/[\s,]+/).filter(Boolean) : [];
}

/** How to register a redirect URI in the emulator: the help on KOE006 and Naver's callback error page. */
export function redirectHelp(provider: 'kakao' | 'naver', uri: string): string {
  const client = provider === 'kakao' ? 'DEFAULT_KAKAO_CLIENT' : 'DEFAULT_NAVER_CLIENT';
  return `The built-in apps accept http://localhost:<port>/auth/${provider}/callback and the same on 127.0.0.1. To register ${uri}:
  command line:  kakao-naver-emulator --${provider}-redirect-uri ${uri}
  in code:       startEmulator({ ${provider}: { clients: [{ ...${client}, redirectUris: [...${client}.redirectUris, '${uri}'] }] } })
A client's redirectUris takes exact strings and RegExps (for random ports).`;
}

/** GET /oauth/authorize (A1). */
function authorize(ctx: RequestContext, core: EmulatorCore): void {
  const clientId = param(ctx, 'client_id') ?? '';
  const client = core.kakao.clients.get(clientId);
  // A1: configuration errors are an HTML page at Kakao; the browser is not sent back to the app.
  if (!client) return sendHTML(ctx.res, 400, renderErrorPage('kakao', 'Admin Settings Issue (KOE101)', `Unknown app key: ${clientId}`));
  const redirectUri = param(ctx, 'redirect_uri') ?? '';
  if (!isRegistered(redirectUri, client.redirectUris)) {
    // A7.1: KOE006 for a redirect URI not registered on this key, shown on a Kakao page.
    return sendHTML(ctx.res, 400, renderErrorPage('kakao', 'Admin Settings Issue (KOE006)', `redirect_uri is not registered: ${redirectUri}`, redirectHelp('kakao', redirectUri)));
  }
  const responseType = param(ctx, 'response_type');
  if (responseType !== 'code') {
    const code = responseType === 'token' ? 'KOE202' : 'KOE201';
    return sendHTML(ctx.res, 400, renderErrorPage('kakao', `Bad request (${code})`, 'response_type must be code.'));
  }
  const scopes = splitList(param(ctx, 'scope'));
  const configured = new Set<string>(client.consentItems ?? ALL_KAKAO_CONSENT_ITEMS);
  // A8: a consent item the app has not configured (e.g. account_email on a non-Biz app), or openid with OIDC off, is
  // KOE205 on a Kakao page (A7.11: "Invalid scope: openid"). Scope ids the emulator does not model are let through.
  const unconfigured = scopes.filter((scope) => (scope === 'openid' ? client.oidc !== true : CONSENT_ITEMS.has(scope) && !configured.has(scope)));
  if (unconfigured.length > 0) {
    return sendHTML(ctx.res, 400, renderErrorPage(
      'kakao',
      'Admin Settings Issue (KOE205)',
      `The app ${clientId} asked for consent items it has not configured: ${unconfigured.join(', ')}.`,
      `Configure them on the client: consentItems: [${unconfigured.filter((s) => s !== 'openid').map((s) => `'${s}'`).join(', ')}]${
        unconfigured.includes('openid') ? `${unconfigured.length > 1 ? ' and ' : ''}oidc: true for openid` : ''
      }. At Kakao, account_email and most other items need a Biz app. The built-in ${DEFAULT_KAKAO_CLIENT.clientId} is a Biz app with every item and OIDC on.`,
    ));
  }
  const state = param(ctx, 'state');
  const challenge = param(ctx, 'code_challenge');
  const method = param(ctx, 'code_challenge_method');
  if (challenge !== undefined && method !== 'S256') {
    // ⚠ Kakao's answer to a non-S256 challenge is not documented; discovery lists S256 only.
    return redirect(ctx.res, withQuery(redirectUri, { error: 'invalid_request', error_description: 'code_challenge_method must be S256', state }));
  }
  const explicit = scopes.filter((scope) => CONSENT_ITEMS.has(scope));
  const session = readSession(ctx, core, 'kakao');
  const pending: PendingAuthorization = {
    provider: 'kakao',
    clientId,
    redirectUri,
    state,
    nonce: param(ctx, 'nonce'),
    codeChallenge: challenge,
    requestedItems: ALL_KAKAO_CONSENT_ITEMS.filter((item) => configured.has(item)),
    // A1/A2: an id_token comes when OIDC is on for the app, except that a request naming scopes (additional consent)
    // must include openid to get one.
    openid: client.oidc === true && (scopes.includes('openid') || (scopes.length === 0 && client.idTokenOnlyWithOpenid !== true)),
    step: 'login',
    session,
    expiresAt: core.clock.now() + CODE_LIFETIME_MS,
  };
  const prompts = splitList(param(ctx, 'prompt'));
  const autoUser = core.autoApprove.kakao ? core.kakao.users.get(core.autoApprove.kakao) : undefined;
  const connected = (userKey: string) => {
    const granted = core.kakao.grants.get(core.kakao.grantKey(clientId, userKey));
    return granted && explicit.every((item) => granted.has(item)) ? granted : undefined;
  };
  const now = Math.floor(core.clock.now() / 1000);
  if (prompts.includes('none')) {
    // A1: no page at all. autoApprove's user counts as logged in.
    const userKey = autoUser?.key ?? session?.userKey;
    if (userKey === undefined) {
      // ⚠ A1: login_required is not documented by Kakao; OIDC Core's answer when nobody is logged in.
      return redirect(ctx.res, withQuery(redirectUri, { error: 'login_required', error_description: 'user authentication required.', state }));
    }
    const granted = connected(userKey);
    if (!granted) {
      // A1: prompt=none for a user not yet connected to the app (or without consent to what is asked).
      return redirect(ctx.res, withQuery(redirectUri, { error: 'consent_required', error_description: 'user consent required.', state }));
    }
    return approve(ctx, core, pending, core.kakao.users.get(userKey)!, [...granted], autoUser ? now : session!.authTime);
  }
  if (autoUser) return approve(ctx, core, pending, autoUser, autoUser.consents, now);
  let note: string | undefined;
  if (prompts.includes('create')) {
    pending.step = 'create';
    note = 'prompt=create: Kakao shows its sign-up step first. The emulator does not create accounts: choose the test user who signs up.';
  } else if (prompts.includes('select_account')) {
    pending.step = 'select_account';
    note = 'prompt=select_account: choose which Kakao Account to continue with.';
  } else if (session && prompts.includes('login')) {
    pending.step = 'reauthenticate';
    note = 'prompt=login: the app asks you to enter your password again, although you are logged in.';
  } else if (session) {
    const granted = connected(session.userKey);
    // Logged in and connected to the app: Kakao sends the browser straight back.
    if (granted) return approve(ctx, core, pending, core.kakao.users.get(session.userKey)!, [...granted], session.authTime);
    pending.step = 'consent';
  }
  const granted = session ? core.kakao.grants.get(core.kakao.grantKey(clientId, session.userKey)) : undefined;
  askForConsent(
    ctx,
    core,
    pending,
    pending.requestedItems.map((item) => {
      const before = pending.step === 'consent' && granted?.has(item) === true;
      return { item, label: `${KAKAO_CONSENT_LABELS[item as KakaoConsentItem]}${before ? ' — agreed before' : ''}`, checked: true, fixed: before };
    }),
    note,
  );
}

/**
 * The person's decision on a Kakao page: Agree logs them in (a new emulator session, unless they only consented or
 * re-chose the account they were logged in with) and issues a code.
 */
export function decide(ctx: RequestContext, core: EmulatorCore, pending: PendingAuthorization, userKey: string, agreed: readonly string[]): void {
  const user = core.kakao.users.get(userKey);
  if (!user) return deny(ctx, pending);
  const now = Math.floor(core.clock.now() / 1000);
  const keepSession = pending.session?.userKey === userKey && (pending.step === 'consent' || pending.step === 'select_account');
  const authTime = keepSession ? pending.session!.authTime : now;
  if (!keepSession) startSession(ctx, core, 'kakao', userKey, authTime);
  approve(ctx, core, pending, user, agreed, authTime);
}

/** Issues a code for `user` with the consent items they agreed to, and sends the browser back to the app. */
export function approve(
  ctx: RequestContext,
  core: EmulatorCore,
  pending: PendingAuthorization,
  user: KakaoTestUser,
  agreed: readonly string[],
  authTime: number,
): void {
  const key = core.kakao.grantKey(pending.clientId, user.key);
  const granted = core.kakao.grants.get(key) ?? new Set<string>();
  for (const item of agreed) if (pending.requestedItems.includes(item)) granted.add(item);
  core.kakao.grants.set(key, granted);
  const code = randomToken(48);
  core.kakao.codes.set(code, {
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

/** Sends the browser back with `error=access_denied` (A1: the user pressed Cancel). */
export function deny(ctx: RequestContext, pending: PendingAuthorization): void {
  redirect(ctx.res, withQuery(pending.redirectUri, { error: 'access_denied', error_description: 'User denied access', state: pending.state }));
}

/** POST /oauth/token (A2). */
async function token(ctx: RequestContext, core: EmulatorCore): Promise<void> {
  if (param(ctx, 'client_id') === undefined && basicCredentials(ctx.req)) {
    // A2: Kakao authenticates clients by client_secret_post only; credentials sent by HTTP Basic alone got
    // `invalid_client (Bad client credentials)` (OBS next-auth PR #3501), not KOE101.
    return kauthError(ctx, 401, 'invalid_client', 'Bad client credentials', 'KOE010');
  }
  const clientId = param(ctx, 'client_id') ?? '';
  const client = core.kakao.clients.get(clientId);
  if (!client) return kauthError(ctx, 401, 'invalid_client', `Not exist client_id [${clientId}]`, 'KOE101');
  // A7.4: checked only when Client Secret is ON for the key.
  if (client.clientSecret !== undefined && param(ctx, 'client_secret') !== client.clientSecret) {
    return kauthError(ctx, 401, 'invalid_client', 'Bad client credentials', 'KOE010');
  }
  const grantType = param(ctx, 'grant_type');
  if (grantType === 'authorization_code') return exchangeCode(ctx, core);
  if (grantType === 'refresh_token') return refresh(ctx, core);
  // ⚠ not documented: an unknown grant_type. Answered as a bad parameter.
  return kauthError(ctx, 400, 'unsupported_grant_type', `grant_type is not supported: ${grantType ?? ''}`, 'KOE201');
}

async function exchangeCode(ctx: RequestContext, core: EmulatorCore): Promise<void> {
  const code = param(ctx, 'code') ?? '';
  const record = core.kakao.codes.get(code);
  // A7.2: codes are single use; a second exchange (or an unknown or expired code) is KOE320.
  core.kakao.codes.delete(code);
  if (!record || record.expiresAt <= core.clock.now() || record.clientId !== param(ctx, 'client_id')) {
    return kauthError(ctx, 400, 'invalid_grant', `authorization code not found for code=${code}`, 'KOE320');
  }
  // A7.3: redirect_uri at token must be the one sent to authorize.
  if (param(ctx, 'redirect_uri') !== record.redirectUri) {
    return kauthError(ctx, 400, 'invalid_grant', 'Redirect URI mismatch.', 'KOE303');
  }
  if (record.codeChallenge !== undefined) {
    const verifier = param(ctx, 'code_verifier');
    if (!verifier || sha256(verifier) !== record.codeChallenge) {
      // ⚠ the real answer to a wrong verifier is not documented (A1): an invalid_grant on the code.
      return kauthError(ctx, 400, 'invalid_grant', 'code_verifier does not match code_challenge.', 'KOE320');
    }
  }
  const now = core.clock.now();
  const refreshToken = randomToken(48);
  const accessToken = issueAccessToken(core, record.clientId, record.userKey, record.scopes, refreshToken);
  core.kakao.refreshTokens.set(refreshToken, {
    clientId: record.clientId,
    userKey: record.userKey,
    scopes: record.scopes,
    expiresAt: now + KAKAO_REFRESH_TOKEN_SECONDS * SECOND,
    openid: record.openid,
    nonce: record.nonce,
    authTime: record.authTime,
    accessTokens: new Set([accessToken]),
  });
  const body: Record<string, unknown> = { access_token: accessToken, token_type: 'bearer', refresh_token: refreshToken };
  if (record.openid) body['id_token'] = await idToken(ctx, core, record, record.nonce);
  body['expires_in'] = KAKAO_ACCESS_TOKEN_SECONDS;
  // A2: `scope` is space-separated and includes openid when OIDC is on.
  body['scope'] = [...record.scopes, ...(record.openid ? ['openid'] : [])].join(' ');
  body['refresh_token_expires_in'] = KAKAO_REFRESH_TOKEN_SECONDS;
  sendJSON(ctx.res, 200, body);
}

async function refresh(ctx: RequestContext, core: EmulatorCore): Promise<void> {
  const presented = param(ctx, 'refresh_token') ?? '';
  const record = core.kakao.refreshTokens.get(presented);
  const now = core.clock.now();
  if (!record || record.expiresAt <= now || record.clientId !== param(ctx, 'client_id')) {
    // ⚠ the status is not documented (A2); the body is devtalk's.
    return kauthError(ctx, 400, 'invalid_grant', 'expired_or_invalid_refresh_token', 'KOE322');
  }
  // A2 refresh rule: a new refresh token only when the old one has less than a month left.
  const rotate = record.expiresAt - now < KAKAO_REFRESH_ROTATION_WINDOW_MS;
  let refreshToken = presented;
  if (rotate) {
    refreshToken = randomToken(48);
    core.kakao.refreshTokens.delete(presented);
    record.expiresAt = now + KAKAO_REFRESH_TOKEN_SECONDS * SECOND;
    core.kakao.refreshTokens.set(refreshToken, record);
    // The grant's earlier access tokens now belong to the new refresh token: a logout with any of them ends it all.
    for (const earlier of record.accessTokens) {
      const access = core.kakao.accessTokens.get(earlier);
      if (access) access.refreshToken = refreshToken;
    }
  }
  const accessToken = issueAccessToken(core, record.clientId, record.userKey, record.scopes, refreshToken);
  record.accessTokens.add(accessToken);
  const body: Record<string, unknown> = { access_token: accessToken, token_type: 'bearer' };
  // A2: with an id_token on the original grant, a refresh returns a new id_token too.
  // OIDC Core 12.2: a refreshed id_token keeps the original login's auth_time (docs/providers/kakao.md A6 says nothing otherwise).
  if (record.openid) body['id_token'] = await idToken(ctx, core, record, undefined);
  body['expires_in'] = KAKAO_ACCESS_TOKEN_SECONDS;
  if (rotate) {
    body['refresh_token'] = refreshToken;
    body['refresh_token_expires_in'] = KAKAO_REFRESH_TOKEN_SECONDS;
  }
  sendJSON(ctx.res, 200, body);
}

function issueAccessToken(core: EmulatorCore, clientId: string, userKey: string, scopes: string[], refreshToken: string, lifetime = KAKAO_ACCESS_TOKEN_SECONDS): string {
  const accessToken = randomToken(40);
  core.kakao.accessTokens.set(accessToken, {
    clientId,
    userKey,
    scopes,
    expiresAt: core.clock.now() + lifetime * SECOND,
    refreshToken,
  });
  return accessToken;
}

/** What an id_token is made from: the grant's client, user, scopes and login time. */
interface IdTokenGrant {
  clientId: string;
  userKey: string;
  scopes: string[];
  authTime: number;
}

async function idToken(
  ctx: Pick<RequestContext, 'origin'>,
  core: EmulatorCore,
  grant: IdTokenGrant,
  nonce: string | undefined,
  audience = grant.clientId,
  lifetime = KAKAO_ACCESS_TOKEN_SECONDS,
): Promise<string> {
  const { scopes } = grant;
  const user = core.kakao.users.get(grant.userKey)!;
  const now = Math.floor(core.clock.now() / 1000);
  return signIdToken(core.keys, {
    issuer: core.kakaoIssuer ?? ctx.origin,
    audience,
    subject: user.id,
    issuedAt: now,
    // A3: the id_token's exp matches the access token's lifetime.
    expiresAt: now + lifetime,
    authTime: grant.authTime,
    nonce,
    nickname: scopes.includes('profile_nickname') ? user.nickname : undefined,
    picture: scopes.includes('profile_image') ? imageURL(user.thumbnailImage, ctx.origin) : undefined,
    // A6: email only when valid and verified.
    email: scopes.includes('account_email') && user.isEmailValid && user.isEmailVerified ? user.email : undefined,
  });
}

/**
 * A3 ⚠ (Kakao's concepts table, quoted in third-party code): access tokens from the JavaScript SDK live 2 h, from the
 * native SDKs 12 h; observed as 7199 and 43199.
 */
export const KAKAO_SDK_ACCESS_TOKEN_SECONDS = { javascript: 7199, native: 43199, rest: KAKAO_ACCESS_TOKEN_SECONDS } as const;

/**
 * Tokens as a Kakao SDK (JavaScript or native) gets them for `userKey` in the app `clientId`, with no page (A10): the
 * user agrees to their usual items; with OIDC on, an id_token whose `aud` is the platform's key (A8).
 */
export async function issueSDKTokens(
  core: EmulatorCore,
  origin: string,
  request: { clientId: string; userKey: string; platform: 'javascript' | 'native' | 'rest'; nonce: string | undefined },
): Promise<{ accessToken: string; refreshToken: string; expiresIn: number; idToken: string | undefined }> {
  const client = core.kakao.clients.get(request.clientId);
  if (!client) throw new TypeError(`Unknown Kakao app ${request.clientId}`);
  const user = core.kakao.users.get(request.userKey);
  if (!user) throw new TypeError(`Unknown Kakao test user "${request.userKey}"; the test users are ${[...core.kakao.users.keys()].join(', ')}`);
  const configured = new Set<string>(client.consentItems ?? ALL_KAKAO_CONSENT_ITEMS);
  const key = core.kakao.grantKey(client.clientId, user.key);
  const granted = core.kakao.grants.get(key) ?? new Set<string>();
  for (const item of user.consents) if (configured.has(item)) granted.add(item);
  core.kakao.grants.set(key, granted);
  const lifetime = KAKAO_SDK_ACCESS_TOKEN_SECONDS[request.platform];
  const now = core.clock.now();
  const grant = { clientId: client.clientId, userKey: user.key, scopes: [...granted], authTime: Math.floor(now / 1000) };
  const refreshToken = randomToken(48);
  const accessToken = issueAccessToken(core, client.clientId, user.key, grant.scopes, refreshToken, lifetime);
  core.kakao.refreshTokens.set(refreshToken, {
    ...grant, expiresAt: now + KAKAO_REFRESH_TOKEN_SECONDS * SECOND, openid: client.oidc === true, nonce: request.nonce, accessTokens: new Set([accessToken]),
  });
  const audience = request.platform === 'javascript' ? client.javascriptKey : request.platform === 'native' ? client.nativeKey : client.clientId;
  const token = client.oidc === true ? await idToken({ origin }, core, grant, request.nonce, audience ?? client.clientId, lifetime) : undefined;
  return { accessToken, refreshToken, expiresIn: lifetime, idToken: token };
}

/** Finds the access token of a kapi request, or answers -401 (A4). */
function authenticateAPI(ctx: RequestContext, core: EmulatorCore): { token: string; record: AccessTokenRecord; user: KakaoTestUser } | undefined {
  const token = bearerToken(ctx.req, ctx.url);
  const record = token ? core.kakao.accessTokens.get(token) : undefined;
  if (!token || !record) {
    kapiError(ctx, 401, 'this access token does not exist', -401);
    return undefined;
  }
  if (record.expiresAt <= core.clock.now()) {
    kapiError(ctx, 401, 'this access token is already expired', -401);
    return undefined;
  }
  return { token, record, user: core.kakao.users.get(record.userKey)! };
}

/** GET|POST /v2/user/me (A4): only configured and consented fields, `*_needs_agreement` for the rest. */
function me(ctx: RequestContext, core: EmulatorCore): void {
  const auth = authenticateAPI(ctx, core);
  if (!auth) return;
  const { user, record } = auth;
  const client = core.kakao.clients.get(record.clientId);
  const configured = new Set<string>(client?.consentItems ?? ALL_KAKAO_CONSENT_ITEMS);
  const granted = new Set(record.scopes);
  const secure = (param(ctx, 'secure_resource') ?? '') === 'true';
  // Without secure_resource Kakao sends http image URLs (A4); the emulator's own images are http either way.
  const image = (url: string | undefined) => {
    const absolute = imageURL(url, ctx.origin);
    return absolute && !secure ? absolute.replace(/^https:/, 'http:') : absolute;
  };
  const account: Record<string, unknown> = {};
  const properties: Record<string, string> = {};
  const has = (item: KakaoConsentItem) => granted.has(item);
  const flag = (item: KakaoConsentItem, name: string) => {
    if (configured.has(item) || granted.has(item)) account[`${name}_needs_agreement`] = !has(item);
  };
  const profile: Record<string, unknown> = {};
  flag('profile_nickname', 'profile_nickname');
  flag('profile_image', 'profile_image');
  if (has('profile_nickname') && user.nickname !== undefined) {
    profile['nickname'] = user.nickname;
    properties['nickname'] = user.nickname;
  }
  if (has('profile_image') && user.profileImage !== undefined) {
    profile['thumbnail_image_url'] = image(user.thumbnailImage);
    profile['profile_image_url'] = image(user.profileImage);
    profile['is_default_image'] = false;
    properties['profile_image'] = image(user.profileImage)!;
    if (user.thumbnailImage) properties['thumbnail_image'] = image(user.thumbnailImage)!;
  }
  if (has('profile_nickname')) profile['is_default_nickname'] = false;
  if (Object.keys(profile).length > 0) account['profile'] = profile;
  flag('name', 'name');
  if (has('name') && user.name !== undefined) account['name'] = user.name;
  flag('account_email', 'email');
  if (has('account_email') && user.email !== undefined) {
    account['is_email_valid'] = user.isEmailValid ?? true;
    account['is_email_verified'] = user.isEmailVerified ?? true;
    account['email'] = user.email;
  }
  flag('age_range', 'age_range');
  if (has('age_range') && user.ageRange !== undefined) account['age_range'] = user.ageRange;
  flag('birthyear', 'birthyear');
  if (has('birthyear') && user.birthyear !== undefined) account['birthyear'] = user.birthyear;
  flag('birthday', 'birthday');
  if (has('birthday') && user.birthday !== undefined) {
    account['birthday'] = user.birthday;
    account['birthday_type'] = user.birthdayType ?? 'SOLAR';
    account['is_leap_month'] = false;
  }
  flag('gender', 'gender');
  if (has('gender') && user.gender !== undefined) account['gender'] = user.gender;
  flag('phone_number', 'phone_number');
  if (has('phone_number') && user.phoneNumber !== undefined) account['phone_number'] = user.phoneNumber;

  const body: Record<string, unknown> = { id: '__KAKAO_ID__', connected_at: '2024-01-02T03:04:05Z' };
  const keys = param(ctx, 'property_keys');
  if (keys === undefined) {
    if (Object.keys(properties).length > 0) body['properties'] = properties;
    body['kakao_account'] = account;
  } else {
    const asked = propertyKeyFields(keys);
    if (asked.malformed) return kapiError(ctx, 400, 'property_keys must be a JSON array of strings', -2);
    if (asked.unknown !== undefined) return kapiError(ctx, 400, `unknown property key: ${asked.unknown}`, -201);
    const chosen = Object.fromEntries(Object.entries(properties).filter(([name]) => asked.fields.has(`properties.${name}`)));
    if (Object.keys(chosen).length > 0) body['properties'] = chosen;
    body['kakao_account'] = Object.fromEntries(Object.entries(account).filter(([name]) => asked.fields.has(name)));
  }
  sendJSON(ctx.res, 200, kakaoJSON(body, user.id));
}

/**
 * A4 `property_keys`: which fields each valid key stands for: a `kakao_account` group with its consent flags, or a
 * deprecated `properties.*` field; `id` and the other top-level keys are accepted (the body always has `id`).
 * ⚠ docs/providers/kakao.md A4 lists the `kakao_account` keys, not the exact fields of each group: these follow the full shape in A4;
 * the top-level and `properties.*` keys are those of Kakao's own example request.
 */
const PROPERTY_KEY_FIELDS: Readonly<Record<string, readonly string[]>> = {
  id: [],
  has_signed_up: [],
  connected_at: [],
  synched_at: [],
  'properties.nickname': ['properties.nickname'],
  'properties.profile_image': ['properties.profile_image'],
  'properties.thumbnail_image': ['properties.thumbnail_image'],
  'kakao_account.profile': ['profile', 'profile_needs_agreement', 'profile_nickname_needs_agreement', 'profile_image_needs_agreement'],
  'kakao_account.name': ['name', 'name_needs_agreement'],
  'kakao_account.email': ['email', 'email_needs_agreement', 'is_email_valid', 'is_email_verified'],
  'kakao_account.age_range': ['age_range', 'age_range_needs_agreement'],
  'kakao_account.birthday': ['birthday', 'birthday_needs_agreement', 'birthday_type', 'is_leap_month'],
  'kakao_account.gender': ['gender', 'gender_needs_agreement'],
};

/** The `kakao_account` fields `property_keys` asks for, or why it can't be read: not a list (-2), an unknown key (-201). */
function propertyKeyFields(raw: string): { fields: Set<string>; malformed?: false; unknown?: undefined } | { malformed: true; unknown?: undefined } | { malformed?: false; unknown: string } {
  let keys: unknown;
  try {
    keys = JSON.parse(raw);
  } catch {
    return { malformed: true };
  }
  if (!Array.isArray(keys) || !keys.every((key) => typeof key === 'string')) return { malformed: true };
  const fields = new Set<string>();
  for (const key of keys as string[]) {
    const group = Object.hasOwn(PROPERTY_KEY_FIELDS, key) ? PROPERTY_KEY_FIELDS[key] : undefined;
    if (!group) return { unknown: key };
    for (const field of group) fields.add(field);
  }
  return { fields };
}

/**
 * GET /v1/oidc/userinfo (A6): the OIDC claims the user consented to, `sub` as in the id_token.
 * `birthdate` is `YYYY-MM-DD`, `0000-MM-DD` (birthday only) or `YYYY` (birth year only).
 */
function userinfo(ctx: RequestContext, core: EmulatorCore): void {
  const auth = authenticateAPI(ctx, core);
  if (!auth) return;
  const { user, record } = auth;
  const has = (item: KakaoConsentItem) => record.scopes.includes(item);
  const body: Record<string, unknown> = { sub: user.id };
  if (has('name') && user.name !== undefined) body['name'] = user.name;
  if (has('profile_nickname') && user.nickname !== undefined) body['nickname'] = user.nickname;
  // ⚠ A6 does not say which size `picture` is; the profile image here (the id_token carries the thumbnail).
  if (has('profile_image') && user.profileImage !== undefined) body['picture'] = imageURL(user.profileImage, ctx.origin);
  if (has('account_email') && user.email !== undefined && user.isEmailValid !== false) {
    body['email'] = user.email;
    body['email_verified'] = user.isEmailVerified ?? true;
  }
  if (has('gender') && user.gender !== undefined) {
    // A6 ⚠: `female|male` in the field table, `MALE` in the example; `kakao.userinfoGender` chooses.
    body['gender'] = core.kakaoUserinfoGender === 'uppercase' ? user.gender.toUpperCase() : user.gender;
  }
  const year = has('birthyear') ? user.birthyear : undefined;
  const day = has('birthday') && user.birthday ? `${user.birthday.slice(0, 2)}-${user.birthday.slice(2, 4)}` : undefined;
  if (year !== undefined || day !== undefined) body['birthdate'] = day === undefined ? year : `${year ?? '0000'}-${day}`;
  if (has('phone_number') && user.phoneNumber !== undefined) {
    body['phone_number'] = user.phoneNumber;
    body['phone_number_verified'] = true;
  }
  sendJSON(ctx.res, 200, body);
}

/** Serializes a body whose `id` is the placeholder, writing the id's digits as a JSON number (A7.9: 64-bit ids). */
export function kakaoJSON(body: Record<string, unknown>, id: string): string {
  if (!/^\d+$/.test(id)) throw new TypeError(`Kakao user ids are digits, got ${id}`);
  return JSON.stringify(body).replace('"__KAKAO_ID__"', id);
}

/** GET /v1/user/access_token_info (A5): id, remaining seconds, app id. */
function tokenInfo(ctx: RequestContext, core: EmulatorCore): void {
  const auth = authenticateAPI(ctx, core);
  if (!auth) return;
  const client = core.kakao.clients.get(auth.record.clientId);
  const remaining = Math.max(0, Math.floor((auth.record.expiresAt - core.clock.now()) / 1000));
  sendJSON(ctx.res, 200, kakaoJSON({ id: '__KAKAO_ID__', expires_in: remaining, app_id: client?.appId ?? 0 }, auth.user.id));
}

/** POST /v1/user/logout (A5): revokes the tokens only. */
function logout(ctx: RequestContext, core: EmulatorCore): void {
  const auth = authenticateAPI(ctx, core);
  if (!auth) return;
  core.kakao.revokePair(auth.token);
  sendJSON(ctx.res, 200, kakaoJSON({ id: '__KAKAO_ID__' }, auth.user.id));
}

/** POST /v1/user/unlink (A5): revokes consent and every token of the user for the app. */
function unlink(ctx: RequestContext, core: EmulatorCore): void {
  const auth = authenticateAPI(ctx, core);
  if (!auth) return;
  core.kakao.revokeAll(auth.record.clientId, auth.record.userKey);
  sendJSON(ctx.res, 200, kakaoJSON({ id: '__KAKAO_ID__' }, auth.user.id));
}

/** GET /oauth/logout (A5): Kakao Account logout, back to a registered logout redirect URI with the state. */
function accountLogout(ctx: RequestContext, core: EmulatorCore): void {
  const clientId = param(ctx, 'client_id') ?? '';
  const client = core.kakao.clients.get(clientId);
  if (!client) return sendHTML(ctx.res, 400, renderErrorPage('kakao', 'Admin Settings Issue (KOE101)', `Unknown app key: ${clientId}`));
  const target = param(ctx, 'logout_redirect_uri') ?? '';
  if (!isRegistered(target, client.logoutRedirectUris)) {
    return sendHTML(ctx.res, 400, renderErrorPage('kakao', 'Admin Settings Issue (KOE007)', `logout_redirect_uri is not registered: ${target}`));
  }
  // A5: this logs the person out of their Kakao Account in the browser: the emulator's session ends too.
  endSession(ctx, core, 'kakao');
  redirect(ctx.res, withQuery(target, { state: param(ctx, 'state') }));
}

/** GET /.well-known/openid-configuration (A6), with the emulator's own URLs. */
function discovery(ctx: RequestContext, core: EmulatorCore): void {
  const issuer = core.kakaoIssuer ?? ctx.origin;
  sendJSON(ctx.res, 200, {
    issuer,
    authorization_endpoint: `${ctx.origin}/oauth/authorize`,
    token_endpoint: `${ctx.origin}/oauth/token`,
    userinfo_endpoint: `${ctx.origin}/v1/oidc/userinfo`,
    jwks_uri: `${ctx.origin}/.well-known/jwks.json`,
    token_endpoint_auth_methods_supported: ['client_secret_post'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    request_uri_parameter_supported: false,
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    code_challenge_methods_supported: ['S256'],
    claims_supported: ['iss', 'aud', 'sub', 'auth_time', 'exp', 'iat', 'nonce', 'nickname', 'picture', 'email'],
  });
}

/**
 * POST /oauth/tokeninfo (A6, for debugging): the payload of an id_token this emulator signed for Kakao and not yet
 * expired (emulator time); anything else is `400 invalid_token` KOE400.
 */
async function idTokenInfo(ctx: RequestContext, core: EmulatorCore): Promise<void> {
  const idToken = param(ctx, 'id_token');
  if (!idToken) return kauthError(ctx, 400, 'invalid_token', 'id_token is required', 'KOE400');
  try {
    const { payload } = await jwtVerify(idToken, createLocalJWKSet(core.keys.jwks), {
      issuer: core.kakaoIssuer ?? ctx.origin,
      algorithms: ['RS256'],
      currentDate: new Date(core.clock.now()),
    });
    sendJSON(ctx.res, 200, payload);
  } catch {
    kauthError(ctx, 400, 'invalid_token', 'the id_token is invalid or expired', 'KOE400');
  }
}

/** GET /.well-known/jwks.json (A6). */
function jwks(ctx: RequestContext, core: EmulatorCore): void {
  sendJSON(ctx.res, 200, core.keys.jwks);
}

/** Kakao's endpoints, all on the emulator's one origin. */
export const kakaoRoutes: readonly Route[] = [
  { endpoint: 'kakao.authorize', path: '/oauth/authorize', methods: ['GET'], handle: authorize },
  { endpoint: 'kakao.token', path: '/oauth/token', methods: ['POST'], handle: token },
  { endpoint: 'kakao.me', path: '/v2/user/me', methods: ['GET', 'POST'], handle: me },
  { endpoint: 'kakao.tokenInfo', path: '/v1/user/access_token_info', methods: ['GET'], handle: tokenInfo },
  { endpoint: 'kakao.logout', path: '/v1/user/logout', methods: ['POST'], handle: logout },
  { endpoint: 'kakao.unlink', path: '/v1/user/unlink', methods: ['POST'], handle: unlink },
  { endpoint: 'kakao.accountLogout', path: '/oauth/logout', methods: ['GET'], handle: accountLogout },
  { endpoint: 'kakao.discovery', path: '/.well-known/openid-configuration', methods: ['GET'], handle: discovery },
  { endpoint: 'kakao.jwks', path: '/.well-known/jwks.json', methods: ['GET'], handle: jwks },
  { endpoint: 'kakao.idTokenInfo', path: '/oauth/tokeninfo', methods: ['POST'], handle: idTokenInfo },
  { endpoint: 'kakao.userinfo', path: '/v1/oidc/userinfo', methods: ['GET'], handle: userinfo },
];
