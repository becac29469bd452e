import { API_CATALOG, type ApiId } from '@loyalty-edge/contracts';
import {
  commonConfig,
  readConfig,
  trustedProxiesConfig,
  type CommonConfig,
  type Env,
  type EnvReader,
} from '@loyalty-edge/config';

export interface GatewayConfig {
  /** `common.http` is the metrics/health port; the data plane listens on `proxy`. */
  readonly common: CommonConfig;
  readonly proxy: {
    readonly host: string;
    readonly port: number;
    /** Largest request body accepted, in bytes. */
    readonly bodyLimit: number;
    readonly upstreamTimeoutMs: number;
    /** Peers whose X-Forwarded-For is believed (normalized CIDR entries). */
    readonly trustedProxies: readonly string[];
    /** Longest wait for a whole request body after its headers (then 408). */
    readonly bodyTimeoutMs: number;
    /** Host names clients sign for (`host` or `host:port`, lower-case); empty: any. */
    readonly hosts: readonly string[];
  };
  /** Upstream base URL of every API of the catalog. */
  readonly upstreams: Readonly<Record<ApiId, string>>;
  readonly escher: {
    /** `{region}/api/antavo_request`: the scope every signature must name. */
    readonly credentialScope: string;
    readonly clockSkewSeconds: number;
    /** Refuse plain `api_key` requests on every API (production deployments). */
    readonly requireSignature: boolean;
    /** Refuse a signature seen before within the skew window (shared by every replica). */
    readonly replayProtection: boolean;
    /** Longest validity (`X-Antavo-Expires`) of a presigned URL. */
    readonly maxExpiresSeconds: number;
  };
  readonly capture: {
    /** Bytes of each request and response body kept in a failed-call record. */
    readonly bodyBytes: number;
    /** Events held while JetStream is away before new ones are dropped (and counted). */
    readonly bufferSize: number;
    /** How often per-IP request counts (for the IP filter preview) are published. */
    readonly clientIpFlushSeconds: number;
  };
  readonly rateLimit: {
    /** Requests per minute per API key or auth client of a workspace that sets none; 0: off. */
    readonly defaultPerMinute: number;
    /** How often each replica sends its counts to the others (limits/rate-sync.ts). */
    readonly syncIntervalMs: number;
  };
}

function upstreams(reader: EnvReader): Record<ApiId, string> {
  const fallback = reader.url('UPSTREAM_DEFAULT_URL', ['http', 'https'], 'http://127.0.0.1:3201');
  const result = Object.fromEntries(API_CATALOG.map((api) => [api.id, fallback])) as Record<
    ApiId,
    string
  >;
  for (const pair of reader.list('UPSTREAMS')) {
    const [id = '', url = ''] = pair.split('=', 2).map((part) => part.trim());
    if (!(id in result)) {
      reader.problem(
        'UPSTREAMS',
        `names an unknown API (${API_CATALOG.map((a) => a.id).join(', ')})`,
      );
    } else if (!/^https?:\/\/[^\s/]+/.test(url)) {
      reader.problem('UPSTREAMS', `needs an http(s) URL for ${id}`);
    } else {
      result[id as ApiId] = url.replace(/\/$/, '');
    }
  }
  return result;
}

/** `GATEWAY_HOSTS`: host names or `host:port`, comma-separated, compared without case. */
function gatewayHosts(reader: EnvReader): string[] {
  const hosts = reader.list('GATEWAY_HOSTS').map((host) => host.toLowerCase());
  const HOST =
    /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/;
  if (!hosts.every((host) => HOST.test(host))) {
    reader.problem('GATEWAY_HOSTS', 'must be host names or host:port, comma-separated');
  }
  return hosts;
}

export function loadConfig(env: Env): GatewayConfig {
  return readConfig(env, (reader) => {
    return {
      common: commonConfig(reader, 'gateway', 9080),
      proxy: {
        host: reader.string('GATEWAY_HOST', '127.0.0.1'),
        port: reader.port('GATEWAY_PORT', 8080),
        bodyLimit: reader.int('BODY_LIMIT_BYTES', 1024 * 1024, {
          min: 1024,
          max: 64 * 1024 * 1024,
        }),
        upstreamTimeoutMs: reader.int('UPSTREAM_TIMEOUT_MS', 30_000, { min: 100, max: 300_000 }),
        trustedProxies: trustedProxiesConfig(reader),
        bodyTimeoutMs: reader.int('BODY_TIMEOUT_MS', 10_000, { min: 100, max: 600_000 }),
        hosts: gatewayHosts(reader),
      },
      upstreams: upstreams(reader),
      escher: {
        credentialScope: reader.custom(
          'ESCHER_CREDENTIAL_SCOPE',
          'eu/api/antavo_request',
          (value) =>
            /^[^\s/]+(\/[^\s/]+)*$/.test(value)
              ? value
              : { error: 'must be slash-separated parts without spaces' },
        ),
        clockSkewSeconds: reader.int('ESCHER_CLOCK_SKEW_SECONDS', 300, { min: 1, max: 3600 }),
        requireSignature: reader.bool('REQUIRE_SIGNATURE', false),
        replayProtection: reader.bool('REPLAY_PROTECTION', false),
        maxExpiresSeconds: reader.int('ESCHER_MAX_EXPIRES_SECONDS', 86_400, {
          min: 1,
          max: 30 * 86_400,
        }),
      },
      capture: {
        bodyBytes: reader.int('FAILED_CALL_BODY_BYTES', 64 * 1024, { min: 0, max: 1024 * 1024 }),
        bufferSize: reader.int('AUDIT_BUFFER_SIZE', 10_000, { min: 100, max: 1_000_000 }),
        clientIpFlushSeconds: reader.int('CLIENT_IP_FLUSH_SECONDS', 60, { min: 1, max: 3600 }),
      },
      rateLimit: {
        defaultPerMinute: reader.int('RATE_LIMIT_DEFAULT_PER_MINUTE', 1500, {
          min: 0,
          max: 1_000_000_000,
        }),
        syncIntervalMs: reader.int('RATE_LIMIT_SYNC_MS', 100, { min: 20, max: 1000 }),
      },
    };
  });
}
