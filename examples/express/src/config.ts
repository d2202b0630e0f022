/** Where each provider's strategy points: the real service, or the local emulator. */
export interface ProviderSettings {
  mode: 'real' | 'emulator';
  clientID: string;
  clientSecret: string | undefined;
  /** Set in emulator mode: the emulator's origin. */
  baseURL: string | undefined;
}

/** Everything `createApp` needs. */
export interface AppConfig {
  sessionSecret: string;
  /** Mark the session cookie `Secure` (behind HTTPS). */
  secureCookies: boolean;
  /** Deadline for each request to a provider, in ms (the strategies' `timeout`). */
  providerTimeoutMs: number;
  kakao: ProviderSettings;
  naver: ProviderSettings;
}

/** The emulator's URLs and credentials, when it runs. */
export interface EmulatorSettings {
  kakao: { baseURL: string; clientID: string; clientSecret: string | undefined };
  naver: { baseURL: string; clientID: string; clientSecret: string };
}

/** True when the environment has the real keys for a provider. */
export function hasRealKeys(env: NodeJS.ProcessEnv, provider: 'kakao' | 'naver'): boolean {
  return provider === 'kakao' ? Boolean(env['KAKAO_CLIENT_ID']) : Boolean(env['NAVER_CLIENT_ID'] && env['NAVER_CLIENT_SECRET']);
}

/**
 * Builds the configuration from the environment (see `.env.example`): a provider with keys uses the real service,
 * the other uses the emulator.
 */
export function configFromEnv(env: NodeJS.ProcessEnv, emulator: EmulatorSettings | undefined, sessionSecret: string): AppConfig {
  const fromEmulator = (provider: 'kakao' | 'naver'): ProviderSettings => {
    if (!emulator) throw new Error(`No ${provider} keys are set and the emulator is not running`);
    const settings = emulator[provider];
    return { mode: 'emulator', clientID: settings.clientID, clientSecret: settings.clientSecret, baseURL: settings.baseURL };
  };
  return {
    sessionSecret,
    secureCookies: env['SECURE_COOKIES'] === 'true',
    providerTimeoutMs: Number(env['PROVIDER_TIMEOUT_MS'] ?? 10_000),
    kakao: hasRealKeys(env, 'kakao')
      ? { mode: 'real', clientID: env['KAKAO_CLIENT_ID']!, clientSecret: env['KAKAO_CLIENT_SECRET'] || undefined, baseURL: undefined }
      : fromEmulator('kakao'),
    naver: hasRealKeys(env, 'naver')
      ? { mode: 'real', clientID: env['NAVER_CLIENT_ID']!, clientSecret: env['NAVER_CLIENT_SECRET']!, baseURL: undefined }
      : fromEmulator('naver'),
  };
}
