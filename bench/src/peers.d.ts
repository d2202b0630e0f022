// passport-kakao 1.0.1 ships no type declarations for its entry point.
declare module 'passport-kakao' {
  import type { Strategy as PassportStrategy } from 'passport';
  const kakao: { Strategy: new (options: object, verify: (...args: never[]) => void) => PassportStrategy };
  export default kakao;
}
