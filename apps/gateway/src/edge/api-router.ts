import { API_CATALOG, type ApiId } from '@loyalty-edge/contracts';

/** An upstream base URL, taken apart once (URL getters are not free on the hot path). */
export interface Upstream {
  readonly https: boolean;
  readonly hostname: string;
  readonly port: string;
  /** The base path without a trailing slash: '' or '/v2'. */
  readonly basePath: string;
  readonly host: string;
}

export interface RoutedApi {
  readonly id: ApiId;
  readonly upstream: Upstream;
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
        api: { id: api.id, upstream: upstreamOf(upstreams[api.id]) },
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
