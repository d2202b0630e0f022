import type { Agent } from 'node:http';
import { optionalStringOption, requireStringArgument, requireStringOption, resolveTimeout } from './strategy-support.js';
import { requestToken } from './token-exchange.js';
import type { TokenExchangeConfig, TokenResult } from './token-exchange.js';

/** What a token lifecycle client keeps of its options. */
export interface ClientSettings {
  clientID: string;
  clientSecret: string | undefined;
  timeout: number;
  agent: Agent | undefined;
}

/** Checks a client's options (the strategy's options work as they are); throws `TypeError`s naming the option. */
export function readClientSettings(options: unknown, owner: string, secret: 'required' | 'optional'): ClientSettings {
  if (typeof options !== 'object' || options === null) throw new TypeError(`${owner} requires an options object`);
  const o = options as { clientID?: unknown; clientSecret?: unknown; timeout?: unknown; agent?: Agent };
  return {
    clientID: requireStringOption(o.clientID, 'clientID', owner),
    clientSecret: secret === 'required' ? requireStringOption(o.clientSecret, 'clientSecret', owner) : optionalStringOption(o.clientSecret, 'clientSecret', owner),
    timeout: resolveTimeout(o.timeout, owner),
    agent: o.agent,
  };
}

/** `grant_type=refresh_token` at `tokenURL` with the client's credentials, through the shared token exchange. */
export function refreshAccessToken(
  config: TokenExchangeConfig,
  settings: ClientSettings,
  tokenURL: string,
  refreshToken: string,
  caller: string,
): Promise<TokenResult> {
  requireStringArgument(refreshToken, 'refreshToken', caller);
  const client = { _clientId: settings.clientID, _clientSecret: settings.clientSecret, _agent: settings.agent, _getAccessTokenUrl: () => tokenURL };
  return requestToken(config, client, refreshToken, { grant_type: 'refresh_token' });
}
