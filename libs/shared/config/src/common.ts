import { parseEntry } from '@loyalty-edge/ip-range';
import type { EnvReader } from './env-reader.js';

/** Settings every service shares: where NATS and PostgreSQL are, ports, logging. */
export interface CommonConfig {
  readonly app: string;
  readonly http: { readonly host: string; readonly port: number };
  readonly nats: {
    readonly url: string;
    readonly prefix: string;
    readonly user?: string;
    readonly password?: string;
    readonly requestTimeoutMs: number;
    /**
     * Copies of every JetStream stream and KV bucket the service creates (NATS_JS_REPLICAS, 1 to 5):
     * 1 on a single NATS server, 3 on a 3-node cluster. An existing object with fewer is raised at
     * start by its owner, never lowered.
     */
    readonly replicas: number;
  };
  readonly log: { readonly level: 'debug' | 'info' | 'warn' | 'error' };
}

const PREFIX = /^[A-Za-z][A-Za-z0-9_-]{0,30}$/;

/** NATS_URL: one server or several, comma-separated (a cluster), each nats:// or tls://. */
function natsUrls(value: string): string | { error: string } {
  const urls = value.split(',').map((url) => url.trim());
  const each = urls.length > 1 ? ' (each of the comma-separated servers)' : '';
  for (const url of urls) {
    let protocol: string;
    try {
      protocol = new URL(url).protocol;
    } catch {
      return { error: `must be a valid URL${each}` };
    }
    if (protocol !== 'nats:' && protocol !== 'tls:') {
      return { error: `must be a nats or tls URL${each}` };
    }
  }
  return urls.join(',');
}

export function commonConfig(reader: EnvReader, app: string, defaultPort: number): CommonConfig {
  const user = reader.optionalString('NATS_USER');
  const password = reader.optionalString('NATS_PASSWORD');
  return {
    app,
    http: { host: reader.string('HOST', '127.0.0.1'), port: reader.port('PORT', defaultPort) },
    nats: {
      url: reader.custom('NATS_URL', 'nats://127.0.0.1:4222', natsUrls),
      prefix: reader.custom('NATS_PREFIX', 'le', (value) =>
        PREFIX.test(value)
          ? value
          : { error: 'must be a letter then up to 30 letters, digits, _ or -' },
      ),
      ...(user === undefined ? {} : { user }),
      ...(password === undefined ? {} : { password }),
      requestTimeoutMs: reader.int('NATS_REQUEST_TIMEOUT_MS', 3000, { min: 50, max: 60_000 }),
      replicas: reader.int('NATS_JS_REPLICAS', 1, { min: 1, max: 5 }),
    },
    log: { level: reader.oneOf('LOG_LEVEL', ['debug', 'info', 'warn', 'error'], 'info') },
  };
}

/**
 * `TRUSTED_PROXIES`: addresses or CIDR ranges whose X-Forwarded-For is believed, normalised
 * (`10.1.2.3/8` → `10.0.0.0/8`). Empty by default: the header is then never read.
 */
export function trustedProxiesConfig(reader: EnvReader): string[] {
  return reader.list('TRUSTED_PROXIES').flatMap((text, index) => {
    const parsed = parseEntry(text);
    if (parsed.ok) return [parsed.entry.normalized];
    reader.problem('TRUSTED_PROXIES', `entry ${index + 1} is invalid (${parsed.reason})`);
    return [];
  });
}

/** Where a service keeps its data: `DATABASE_URL`, and its own schema `<DB_SCHEMA_PREFIX><name>`. */
export interface DatabaseConfig {
  readonly url: string;
  readonly schema: string;
  /** `DB_CONNECT_TIMEOUT_MS`: a new connection that takes longer fails (the edge answers 503). */
  readonly connectTimeoutMs: number;
  /**
   * `DB_QUERY_TIMEOUT_MS`: a query without an answer for this long fails on the client side, so a
   * network partition (no reset, packets dropped) cannot hold a request until TCP gives up.
   */
  readonly queryTimeoutMs: number;
}

export function databaseConfig(reader: EnvReader, schema: string): DatabaseConfig {
  return {
    url: reader.url(
      'DATABASE_URL',
      ['postgres', 'postgresql'],
      'postgres://postgres@127.0.0.1:5432/postgres',
    ),
    schema: `${reader.string('DB_SCHEMA_PREFIX', '')}${schema}`,
    connectTimeoutMs: reader.int('DB_CONNECT_TIMEOUT_MS', 5_000, { min: 100, max: 120_000 }),
    queryTimeoutMs: reader.int('DB_QUERY_TIMEOUT_MS', 30_000, { min: 100, max: 3_600_000 }),
  };
}
