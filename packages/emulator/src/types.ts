/** Kakao consent items the emulator knows (Kakao Login → Consent items). */
export type KakaoConsentItem =
  | 'profile_nickname'
  | 'profile_image'
  | 'account_email'
  | 'name'
  | 'gender'
  | 'age_range'
  | 'birthday'
  | 'birthyear'
  | 'phone_number';

/** A Kakao test user: what their account holds, and what they agree to share by default. */
export interface KakaoTestUser {
  /** A short handle for pages, the CLI and `autoApprove`, e.g. `kakao-full`. */
  key: string;
  /** What the consent page shows. */
  label: string;
  /** The Kakao user id, as decimal digits (ids above 2^53 are sent exactly). */
  id: string;
  nickname?: string;
  profileImage?: string;
  thumbnailImage?: string;
  email?: string;
  isEmailValid?: boolean;
  isEmailVerified?: boolean;
  name?: string;
  gender?: 'female' | 'male';
  ageRange?: string;
  birthyear?: string;
  /** `MMDD`. */
  birthday?: string;
  birthdayType?: 'SOLAR' | 'LUNAR';
  phoneNumber?: string;
  /** Items this user agrees to when approved by `autoApprove` (the page ticks every item the app asks for). */
  consents: KakaoConsentItem[];
}

/** A Kakao app (one REST API key). */
export interface KakaoClient {
  /** The REST API key. */
  clientId: string;
  /** Set when "Client Secret" is ON for the key; then the token endpoint checks it (KOE010). */
  clientSecret?: string | undefined;
  /** Registered redirect URIs: exact strings, or patterns for tests on random ports. */
  redirectUris: Array<string | RegExp>;
  /** Registered logout redirect URIs for `/oauth/logout` (KOE007 otherwise). */
  logoutRedirectUris?: Array<string | RegExp>;
  /**
   * Consent items configured in the console; asked for on every login. Asking (`scope`) for one that is not here is
   * KOE205. Default: all (a Biz app: at Kakao, `account_email` and most items need one).
   */
  consentItems?: KakaoConsentItem[];
  /**
   * OpenID Connect turned on: an id_token with every code exchange, except when a `scope` is named without `openid`
   * (A1). Off: asking for `openid` is KOE205.
   */
  oidc?: boolean;
  /**
   * With `oidc` on, issue an id_token only when the login asks for `openid`. Not Kakao's behaviour (A2: OIDC on means
   * an id_token with every login): the built-in app sets it so that strategies in plain OAuth mode get the token
   * response they always got. Default false.
   */
  idTokenOnlyWithOpenid?: boolean;
  /** The numeric app id `access_token_info` reports, and the unlink webhook's `app_id`. */
  appId?: number;
  /** The app's JavaScript key (A8): the `aud` of id_tokens issued to the JavaScript SDK. */
  javascriptKey?: string;
  /** The app's native app key (A8): the `aud` of id_tokens issued to the Android and iOS SDKs. */
  nativeKey?: string;
  /**
   * The unlink webhook registered under [App] > [Webhook] (A9): called when a test user unlinks the app or deletes
   * their account (pages, {@link Emulator.unlinkApp}, {@link Emulator.deleteAccount}), with
   * `Authorization: KakaoAK {adminKey}`.
   */
  webhook?: { url: string; adminKey: string; method?: 'GET' | 'POST' };
}

/** A Naver test user. Every field given is shared when the app has that profile item. */
export interface NaverTestUser {
  key: string;
  label: string;
  /** A stable per-person value; the `id` apps see is derived from it per app (pairwise), as Naver does. */
  personId: string;
  nickname?: string;
  name?: string;
  email?: string;
  gender?: 'F' | 'M' | 'U';
  /** `40-49`. */
  age?: string;
  /** `MM-DD`. */
  birthday?: string;
  birthyear?: string;
  profileImage?: string;
  mobile?: string;
  mobileE164?: string;
}

/** Naver profile items an app can ask for (set in the Naver console, not by scope: docs/providers/naver.md B6.7). */
export type NaverProfileItem = 'name' | 'email' | 'nickname' | 'profile_image' | 'gender' | 'birthday' | 'age' | 'birthyear' | 'mobile';

/** A Naver app. */
export interface NaverClient {
  clientId: string;
  /** Required by every Naver token call. */
  clientSecret: string;
  /** Registered callback URLs: exact strings, or patterns for tests on random ports. */
  redirectUris: Array<string | RegExp>;
  /** The profile items the app asks for (its console settings). Default: all. */
  profileItems?: NaverProfileItem[];
  /** Items the person cannot decline on the consent page (필수). Default: none; the others are optional (선택). */
  requiredItems?: NaverProfileItem[];
  /** The 연결끊기 Callback URL (B7): called, signed and encrypted as Naver does, when a test user disconnects the app. */
  deauthorizeCallbackURL?: string;
}

/** Endpoint names, for faults and request counts. */
export type EndpointName =
  | 'kakao.authorize'
  | 'kakao.token'
  | 'kakao.me'
  | 'kakao.tokenInfo'
  | 'kakao.idTokenInfo'
  | 'kakao.logout'
  | 'kakao.unlink'
  | 'kakao.accountLogout'
  | 'kakao.discovery'
  | 'kakao.jwks'
  | 'kakao.userinfo'
  | 'naver.authorize'
  | 'naver.token'
  | 'naver.me'
  | 'naver.revoke'
  | 'naver.verify'
  | 'naver.oidcAuthorize'
  | 'naver.oidcToken'
  | 'naver.discovery'
  | 'naver.jwks';

/**
 * A fault to inject at one endpoint. Several may be set at once; `times` limits how many requests it hits
 * (default: all until cleared).
 */
export interface Fault {
  /** Wait this long before answering. */
  latencyMs?: number;
  /** Answer with this status and `body` (default an empty body) instead of the real answer. */
  status?: number;
  /** A body to send instead of the real one (with `status`, or 200): e.g. malformed JSON or an HTML page. */
  body?: string;
  /** Content type for `body`. Default `text/html; charset=utf-8`. */
  contentType?: string;
  /** Accept the request and never answer (the connection stays open until the emulator closes). */
  hang?: boolean;
  /** Apply to the next N requests only (with `probability`: the next N requests it is drawn for). */
  times?: number;
  /**
   * Apply to each request with this probability (0 to 1), drawn per request: e.g. `0.05` for 5% of answers under load.
   * A fault that is not drawn lets the request through to the next fault in the list, or to the real answer. Draws
   * come from {@link EmulatorOptions.faultSeed}'s generator when set, else `Math.random`. Default 1 (every request).
   */
  probability?: number;
}

/** Which user approves automatically, per provider: no page is shown (for automated tests and benchmarks). */
export interface AutoApprove {
  kakao?: string | undefined;
  naver?: string | undefined;
}

/** Options of {@link startEmulator}. */
export interface EmulatorOptions {
  /** Default 0: any free port. */
  port?: number;
  /** Default `127.0.0.1`. */
  host?: string;
  /**
   * The origin clients reach the emulator at, e.g. `http://localhost:4000`: the issuer of id_tokens and every URL the
   * emulator hands out (discovery, images, {@link Emulator.url}) use it. Default: the address it listens on, as printed
   * (`http://127.0.0.1:<port>`). Strict OIDC clients must fetch discovery from exactly this origin.
   */
  publicOrigin?: string;
  kakao?: {
    clients?: KakaoClient[];
    users?: KakaoTestUser[];
    /** The `iss` of id_tokens. Default: {@link EmulatorOptions.publicOrigin}. */
    issuer?: string;
    /**
     * How `/v1/oidc/userinfo` writes `gender`: Kakao's field table says `female`/`male`, its own example shows `MALE`
     * (docs/providers/kakao.md A6 ⚠). Default `lowercase`.
     */
    userinfoGender?: 'lowercase' | 'uppercase';
  };
  naver?: {
    clients?: NaverClient[];
    users?: NaverTestUser[];
    /**
     * HTTP status of profile API failures. Naver's docs say 401; naver/passport-naver says Naver answered 200.
     * Default 401.
     */
    profileErrorStatus?: 200 | 401;
    /**
     * Refuse authorize requests without `state`, as Naver's guide says (B1), with an `invalid_request` redirect. Real
     * Naver logs users in without one (arctic 3, Auth.js's Naver provider and Naver's own passport-naver send none; B1
     * ⚠), so by default the emulator accepts them too and warns once (see {@link EmulatorOptions.warn}). The CLI's
     * `--strict` sets this. Default false.
     */
    requireState?: boolean;
    /**
     * Refuse a code exchange without `state` (the docs list it as required; passport-naver-v2 never sends it and works).
     * A `state` that differs from the authorize request's is always refused. Default false.
     */
    requireTokenState?: boolean;
    /**
     * Accept client credentials in an `Authorization: Basic` header at the token endpoint when the body has no
     * `client_id` (Auth.js's Naver provider sends them so and works against real Naver; Naver documents only parameters,
     * docs/providers/naver.md B2 ⚠). `false` answers such requests as a wrong client id / secret pair. Default true.
     */
    acceptBasicAuth?: boolean;
    /**
     * The `iss` of Naver id_tokens (OIDC, B5). Default `{publicOrigin}/naver`: real Naver's is its host, but the
     * emulator's root discovery document is Kakao's, so Naver's lives at `{issuer}/.well-known/openid-configuration`.
     */
    issuer?: string;
    /**
     * Make the OIDC `sub` equal `/v1/nid/me`'s `id`. B8 ⚠: one report says they differ; by default they do here, so
     * that an app cannot come to depend on them being equal. Default false.
     */
    oidcSubjectIsId?: boolean;
    /**
     * Put the `nonce` an OIDC authorize request sent into the id_token. B8 ⚠: `/oauth2/authorize` documents no `nonce`;
     * `false` leaves it out, as Naver may (the strategy then accepts the login unless `requireNonce`). Default true.
     */
    idTokenNonce?: boolean;
    /**
     * Accept `grant_type=refresh_token` at `/oauth2/token`. B8 ⚠: the token table lists it, discovery advertises only
     * `authorization_code`; `false` answers it as an unsupported grant. Default true.
     */
    oidcRefresh?: boolean;
  };
  /** Approve logins without a page, as the given users. */
  autoApprove?: AutoApprove;
  /** Latency added to every request, in ms (a real provider's distance). Default 0. */
  latencyMs?: number;
  /** Print one line per request to stderr. */
  log?: boolean;
  /**
   * Where the emulator's warnings go: a request real providers take but their guides forbid (a Naver authorize without
   * `state`), once per kind and emulator. Default: one line on stderr.
   */
  warn?: (message: string) => void;
  /**
   * Seed of the generator that draws {@link Fault.probability}, so that a run with faults can be repeated exactly (given
   * the same order of requests). Default: `Math.random`.
   */
  faultSeed?: number;
}
