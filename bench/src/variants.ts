/**
 * The strategies compared, each configured through its own public options; URLs a package hard-codes are pointed at the
 * emulator by setting the instance fields it reads them from (no file of any package is edited).
 */
import type { Strategy as PassportStrategy } from 'passport';
import OAuth2Strategy from 'passport-oauth2';
import KakaoPeer from 'passport-kakao';
import NaverPeer from 'passport-naver-v2';
import { CookieStateStore as KakaoCookieStateStore, Strategy as KakaoStrategy } from 'passport-kakao-ts';
import { CookieStateStore as NaverCookieStateStore, Strategy as NaverStrategy } from 'passport-naver-ts';

export type ProviderName = 'kakao' | 'naver';

/** What a variant needs from the running emulator. */
export interface EmulatorInfo {
  url: string;
  kakao: { clientID: string; clientSecret: string };
  naver: { clientID: string; clientSecret: string };
}

/** Every variant's verify callback: the same minimal work. */
type Done = (err: unknown, user?: Express.User | false) => void;
const verify = (_accessToken: string, _refreshToken: string, profile: { id: string | number }, done: Done) => done(null, { id: String(profile.id) });

export interface Variant {
  name: string;
  provider: ProviderName;
  /** The package whose footprint this variant shows. */
  packageName: string;
  /** The floor its ratio is taken against. */
  floor: string;
  description: string;
  /** The app CPU per login this variant should stay at or below, as a ratio to its floor's (the report says whether it does). */
  cpuTarget?: number;
  /**
   * `false`: the app keeps no session, as an app that issues its own JWT does (no express-session, `session: false`);
   * only a cookie-store variant can log in so. Compared with a floor that needs its session, the ratio shows what such
   * an app pays, not the target.
   */
  session?: false;
  create(emulator: EmulatorInfo): PassportStrategy;
}

/**
 * To add a variant: append an entry to {@link VARIANTS} (a unique `name`, its `provider` and `floor`, and `create`
 * building the strategy from the emulator's URL and credentials through public options). The app process, the rounds,
 * the report and the smoke test pick it up by name; list it in bench/README.md.
 */

/** Bare passport-oauth2 with a hand-written profile fetch: the floor. */
class FloorStrategy extends OAuth2Strategy {
  constructor(options: OAuth2Strategy.StrategyOptions, private readonly profileURL: string, provider: ProviderName) {
    super(options, verify as OAuth2Strategy.VerifyFunction);
    this.name = provider;
    this._oauth2.useAuthorizationHeaderforGET(true);
  }

  override userProfile(accessToken: string, done: (err?: unknown, profile?: unknown) => void): void {
    this._oauth2.get(this.profileURL, accessToken, (err, body) => {
      if (err) return done(new OAuth2Strategy.InternalOAuthError('Failed to fetch user profile', err));
      try {
        const json = JSON.parse(String(body)) as { id?: number; response?: { id: string } };
        done(null, { id: String(json.response?.id ?? json.id) });
      } catch (error) {
        done(error);
      }
    });
  }
}

const callback = (provider: ProviderName) => `/auth/${provider}/callback`;

/** The cookie variants' secret (a fixed 32+ byte string; any would do). */
export const BENCH_COOKIE_SECRET = 'bench-login-cookie-secret-0123456789abcdef';

export const VARIANTS: readonly Variant[] = [
  {
    name: 'floor-kakao',
    provider: 'kakao',
    packageName: 'passport-oauth2',
    floor: 'floor-kakao',
    description: 'bare passport-oauth2, hand-written profile fetch, state + PKCE',
    create: (e) =>
      new FloorStrategy(
        { authorizationURL: `${e.url}/oauth/authorize`, tokenURL: `${e.url}/oauth/token`, clientID: e.kakao.clientID, clientSecret: e.kakao.clientSecret, callbackURL: callback('kakao'), state: true, pkce: true },
        `${e.url}/v2/user/me`,
        'kakao',
      ),
  },
  {
    name: 'passport-kakao',
    provider: 'kakao',
    packageName: 'passport-kakao',
    floor: 'floor-kakao',
    description: 'passport-kakao 1.0.1, state + PKCE',
    create: (e) => {
      const strategy = new KakaoPeer.Strategy({ clientID: e.kakao.clientID, clientSecret: e.kakao.clientSecret, callbackURL: callback('kakao'), state: true, pkce: true } as never, verify as never);
      // passport-kakao overwrites authorizationURL/tokenURL options and hard-codes the profile URL.
      const fields = strategy as unknown as { _oauth2: { _authorizeUrl: string; _accessTokenUrl: string }; _userProfileURL: string };
      fields._oauth2._authorizeUrl = `${e.url}/oauth/authorize`;
      fields._oauth2._accessTokenUrl = `${e.url}/oauth/token`;
      fields._userProfileURL = `${e.url}/v2/user/me`;
      return strategy as unknown as PassportStrategy;
    },
  },
  {
    name: 'ours-kakao',
    provider: 'kakao',
    packageName: 'passport-kakao-ts',
    floor: 'floor-kakao',
    description: 'passport-kakao-ts, OAuth mode, state + PKCE',
    cpuTarget: 1.05,
    create: (e) => new KakaoStrategy({ clientID: e.kakao.clientID, clientSecret: e.kakao.clientSecret, baseURL: e.url, callbackURL: callback('kakao'), pkce: true }, verify),
  },
  {
    name: 'ours-kakao-idtoken',
    provider: 'kakao',
    packageName: 'passport-kakao-ts',
    floor: 'floor-kakao',
    description: 'passport-kakao-ts, id_token-only (one round trip), state + PKCE + nonce',
    create: (e) =>
      new KakaoStrategy({ clientID: e.kakao.clientID, clientSecret: e.kakao.clientSecret, baseURL: e.url, callbackURL: callback('kakao'), pkce: true, profileFrom: 'idToken' }, verify),
  },
  {
    name: 'ours-kakao-cookie',
    provider: 'kakao',
    packageName: 'passport-kakao-ts',
    floor: 'floor-kakao',
    description: 'passport-kakao-ts, OAuth mode, state + PKCE in a CookieStateStore cookie',
    cpuTarget: 1.05,
    create: (e) =>
      new KakaoStrategy(
        { clientID: e.kakao.clientID, clientSecret: e.kakao.clientSecret, baseURL: e.url, callbackURL: callback('kakao'), pkce: true, store: new KakaoCookieStateStore({ secret: BENCH_COOKIE_SECRET }) },
        verify,
      ),
  },
  {
    name: 'ours-kakao-cookie-nosession',
    provider: 'kakao',
    packageName: 'passport-kakao-ts',
    floor: 'floor-kakao',
    description: 'passport-kakao-ts, OAuth mode, state + PKCE in a CookieStateStore cookie, in an app without sessions (JWT-style)',
    session: false,
    create: (e) =>
      new KakaoStrategy(
        { clientID: e.kakao.clientID, clientSecret: e.kakao.clientSecret, baseURL: e.url, callbackURL: callback('kakao'), pkce: true, store: new KakaoCookieStateStore({ secret: BENCH_COOKIE_SECRET }) },
        verify,
      ),
  },
  {
    name: 'ours-kakao-oidc-cookie',
    provider: 'kakao',
    packageName: 'passport-kakao-ts',
    floor: 'floor-kakao',
    description: 'passport-kakao-ts, OIDC (id_token verified, then profile), state + PKCE + nonce in a CookieStateStore cookie',
    create: (e) =>
      new KakaoStrategy(
        { clientID: e.kakao.clientID, clientSecret: e.kakao.clientSecret, baseURL: e.url, callbackURL: callback('kakao'), pkce: true, oidc: true, store: new KakaoCookieStateStore({ secret: BENCH_COOKIE_SECRET }) },
        verify,
      ),
  },
  {
    name: 'floor-kakao-lean',
    provider: 'kakao',
    packageName: 'passport-oauth2',
    floor: 'floor-kakao-lean',
    description: 'bare passport-oauth2, hand-written profile fetch, state and PKCE off, no session: the leanest login',
    session: false,
    create: (e) =>
      new FloorStrategy(
        { authorizationURL: `${e.url}/oauth/authorize`, tokenURL: `${e.url}/oauth/token`, clientID: e.kakao.clientID, clientSecret: e.kakao.clientSecret, callbackURL: callback('kakao'), state: false },
        `${e.url}/v2/user/me`,
        'kakao',
      ),
  },
  {
    name: 'ours-kakao-lean',
    provider: 'kakao',
    packageName: 'passport-kakao-ts',
    floor: 'floor-kakao-lean',
    description: 'passport-kakao-ts, state and PKCE off (insecureAllowLoginCSRF), no session: the same work as its floor',
    cpuTarget: 1.05,
    session: false,
    create: (e) =>
      new KakaoStrategy({ clientID: e.kakao.clientID, clientSecret: e.kakao.clientSecret, baseURL: e.url, callbackURL: callback('kakao'), state: false, pkce: false, insecureAllowLoginCSRF: true }, verify),
  },
  {
    name: 'floor-naver',
    provider: 'naver',
    packageName: 'passport-oauth2',
    floor: 'floor-naver',
    description: 'bare passport-oauth2, hand-written profile fetch, state',
    create: (e) =>
      new FloorStrategy(
        { authorizationURL: `${e.url}/oauth2.0/authorize`, tokenURL: `${e.url}/oauth2.0/token`, clientID: e.naver.clientID, clientSecret: e.naver.clientSecret, callbackURL: callback('naver'), state: true },
        `${e.url}/v1/nid/me`,
        'naver',
      ),
  },
  {
    name: 'passport-naver-v2',
    provider: 'naver',
    packageName: 'passport-naver-v2',
    floor: 'floor-naver',
    description: 'passport-naver-v2 2.0.8, state',
    create: (e) => {
      const strategy = new NaverPeer.Strategy(
        { clientID: e.naver.clientID, clientSecret: e.naver.clientSecret, callbackURL: callback('naver'), authorizationURL: `${e.url}/oauth2.0/authorize`, tokenURL: `${e.url}/oauth2.0/token`, state: true } as never,
        verify as never,
      );
      // passport-naver-v2 hard-codes the profile URL.
      (strategy as unknown as { _profileURL: string })._profileURL = `${e.url}/v1/nid/me`;
      return strategy as unknown as PassportStrategy;
    },
  },
  {
    name: 'ours-naver',
    provider: 'naver',
    packageName: 'passport-naver-ts',
    floor: 'floor-naver',
    description: 'passport-naver-ts, state',
    cpuTarget: 1.05,
    create: (e) => new NaverStrategy({ clientID: e.naver.clientID, clientSecret: e.naver.clientSecret, baseURL: e.url, callbackURL: callback('naver') }, verify),
  },
  {
    name: 'ours-naver-oidc',
    provider: 'naver',
    packageName: 'passport-naver-ts',
    floor: 'floor-naver',
    description: 'passport-naver-ts, OpenID Connect (/oauth2/*, id_token verified, then profile), state + PKCE + nonce',
    create: (e) => new NaverStrategy({ clientID: e.naver.clientID, clientSecret: e.naver.clientSecret, baseURL: e.url, callbackURL: callback('naver'), oidc: true }, verify),
  },
  {
    name: 'ours-naver-cookie',
    provider: 'naver',
    packageName: 'passport-naver-ts',
    floor: 'floor-naver',
    description: 'passport-naver-ts, state in a CookieStateStore cookie',
    cpuTarget: 1.05,
    create: (e) =>
      new NaverStrategy({ clientID: e.naver.clientID, clientSecret: e.naver.clientSecret, baseURL: e.url, callbackURL: callback('naver'), store: new NaverCookieStateStore({ secret: BENCH_COOKIE_SECRET }) }, verify),
  },
  {
    name: 'ours-naver-cookie-nosession',
    provider: 'naver',
    packageName: 'passport-naver-ts',
    floor: 'floor-naver',
    description: 'passport-naver-ts, state in a CookieStateStore cookie, in an app without sessions (JWT-style)',
    session: false,
    create: (e) =>
      new NaverStrategy({ clientID: e.naver.clientID, clientSecret: e.naver.clientSecret, baseURL: e.url, callbackURL: callback('naver'), store: new NaverCookieStateStore({ secret: BENCH_COOKIE_SECRET }) }, verify),
  },
  {
    name: 'floor-naver-lean',
    provider: 'naver',
    packageName: 'passport-oauth2',
    floor: 'floor-naver-lean',
    description: 'bare passport-oauth2, hand-written profile fetch, state off, no session: the leanest login',
    session: false,
    create: (e) =>
      new FloorStrategy(
        { authorizationURL: `${e.url}/oauth2.0/authorize`, tokenURL: `${e.url}/oauth2.0/token`, clientID: e.naver.clientID, clientSecret: e.naver.clientSecret, callbackURL: callback('naver'), state: false },
        `${e.url}/v1/nid/me`,
        'naver',
      ),
  },
  {
    name: 'ours-naver-lean',
    provider: 'naver',
    packageName: 'passport-naver-ts',
    floor: 'floor-naver-lean',
    description: 'passport-naver-ts, state off (insecureAllowLoginCSRF), no session: the same work as its floor',
    cpuTarget: 1.05,
    session: false,
    create: (e) =>
      new NaverStrategy({ clientID: e.naver.clientID, clientSecret: e.naver.clientSecret, baseURL: e.url, callbackURL: callback('naver'), state: false, insecureAllowLoginCSRF: true }, verify),
  },
];
