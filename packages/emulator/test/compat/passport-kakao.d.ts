/** passport-kakao 1.0.1 ships no types its package.json points to: what the compatibility suite uses of it. */
declare module 'passport-kakao' {
  import type { Strategy as PassportStrategy } from 'passport';

  interface KakaoStrategyOptions {
    clientID: string;
    clientSecret?: string | undefined;
    callbackURL: string;
  }
  type VerifyCallback = (accessToken: string, refreshToken: string, profile: { id: number; displayName: string }, done: (error: null, user: object) => void) => void;
  class KakaoStrategy extends PassportStrategy {
    constructor(options: KakaoStrategyOptions, verify: VerifyCallback);
  }
  export default KakaoStrategy;
}
