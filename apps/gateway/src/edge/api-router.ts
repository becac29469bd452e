import { API_CATALOG, type ApiId } from '@loyalty-edge/contracts';
import { BEARER_SCOPES } from '@loyalty-edge/token-contracts';

/** An upstream base URL, taken apart once (URL getters are not free on the hot path). */
export interface Upstream {
  readonly https: boolean;
  readonly hostname: string;
  readonly port: string;
  /** The base path without a trailing slash: '' or '/v2'. */
  readonly basePath: string;
  readonly host: string;
}

/**
 * How an API's callers authenticate, decided once per API: api keys and Escher signatures,
 * Bearer tokens with the scope the API needs, or none at all for the token endpoint, which the
 * gateway answers itself.
 */
export type ApiAccess =
  | { readonly kind: 'keys' }
  | { readonly kind: 'bearer'; readonly scope: string }
  | { readonly kind: 'token-endpoint' };

export interface RoutedApi {
  readonly id: ApiId;
  readonly upstream: Upstream;
  readonly access: ApiAccess;
}

function accessOf(id: ApiId): ApiAccess {
  if (id === 'auth-token') return { kind: 'token-endpoint' };
  const scope = BEARER_SCOPES[id];
  return scope === undefined ? { kind: 'keys' } : { kind: 'bearer', scope };
}

function upstreamOf(base: string): Upstream {
  const url = new URL(base);
  return {
    https: url.protocol === 'https:',
    hostname: url.hostname,
    port: url.port,
    basePath: url.pathname === '/' ? '' : url.pathname.replace(/\/$/, ''),
    host: url.host,
  };
}

/**
 * Maps a request path to an API of the catalog by its longest matching prefix, on segment
 * boundaries (`/events` matches `/events` and `/events/bulk`, never `/eventsx`).
 */
export class ApiRouter {
  private readonly prefixes: { prefix: string; api: RoutedApi }[];

  constructor(upstreams: Readonly<Record<ApiId, string>>) {
    this.prefixes = API_CATALOG.flatMap((api) =>
      api.pathPrefixes.map((prefix) => ({
        prefix,
        api: { id: api.id, upstream: upstreamOf(upstreams[api.id]), access: accessOf(api.id) },
      })),
    ).sort((a, b) => b.prefix.length - a.prefix.length);
  }

  route(path: string): RoutedApi | undefined {
    for (const { prefix, api } of this.prefixes) {
      if (
        path.startsWith(prefix) &&
        (path.length === prefix.length || path[prefix.length] === '/')
      ) {
        return api;
      }
    }
    return undefined;
  }
}

const DOT_SEGMENT = /(?:^|\/)(?:\.|%2e){1,2}(?:\/|$)/i;

/**
 * A path with `.` or `..` segments (plain or percent-encoded) or a backslash is refused: an
 * upstream that resolves them would serve another API than the one the gateway checked.
 */
export function isSafePath(path: string): boolean {
  return (
    path.startsWith('/') && !DOT_SEGMENT.test(path) && !path.includes('\\') && !/%5c/i.test(path)
  );
}
