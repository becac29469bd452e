import { readConfig, trustedProxiesConfig, type Env } from '@loyalty-edge/config';

export interface AdminWebConfig {
  readonly http: { readonly host: string; readonly port: number };
  /** Where `/api/*` is forwarded to (the management API), without a trailing slash. */
  readonly managementApiUrl: string;
  readonly log: { readonly level: 'debug' | 'info' | 'warn' | 'error' };
  /** Forwarded calls that take longer are answered with 504. */
  readonly proxyTimeoutMs: number;
  /**
   * TRUSTED_PROXIES: peers in front of this server (the ingress controller) whose
   * X-Forwarded-For is believed when finding the client's address; empty: the socket peer.
   */
  readonly trustedProxies: readonly string[];
}

export function loadConfig(env: Env): AdminWebConfig {
  return readConfig(env, (reader) => ({
    http: { host: reader.string('HOST', '127.0.0.1'), port: reader.port('PORT', 8082) },
    managementApiUrl: reader
      .url('MANAGEMENT_API_URL', ['http', 'https'], 'http://127.0.0.1:8081')
      .replace(/\/+$/, ''),
    log: { level: reader.oneOf('LOG_LEVEL', ['debug', 'info', 'warn', 'error'], 'info') },
    proxyTimeoutMs: reader.int('PROXY_TIMEOUT_MS', 30_000, { min: 100, max: 600_000 }),
    trustedProxies: trustedProxiesConfig(reader),
  }));
}
