import { API_CATALOG, type ApiId } from '@loyalty-edge/contracts';
import { GatewayErrorCodes } from '@loyalty-edge/gateway-contracts';
import { BEARER_SCOPES } from '@loyalty-edge/token-contracts';
import { refusal } from '../proxy/refusal.js';

/** An upstream base URL, taken apart once (URL getters are not free on the hot path). */
export interface Upstream {
  /** `scheme://host:port`, the key of the upstream's connection pool. */
  readonly origin: string;
  /** The base path without a trailing slash: '' or '/v2'. */
  readonly basePath: string;
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
    origin: url.origin,
    basePath: url.pathname === '/' ? '' : url.pathname.replace(/\/$/, ''),
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

  /**
   * The API of a request path, as {@link route} finds it, or UNSAFE_PATH when an upstream that
   * decodes and normalises paths could serve it from another API (or from one where the gateway
   * found none): a dot segment in any reading, or an encoded slash or `;` that moves it.
   */
  routeSafely(path: string): RoutedApi | undefined | typeof UNSAFE_PATH {
    const view = upstreamView(path);
    if (view === undefined) return UNSAFE_PATH;
    const api = this.route(path);
    if (view !== path && this.route(view)?.id !== api?.id) return UNSAFE_PATH;
    return api;
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

/** The answer of {@link ApiRouter.routeSafely} for a path an upstream could resolve elsewhere. */
export const UNSAFE_PATH: unique symbol = Symbol('unsafe path');

/** A path no API of the catalog serves. */
export const UNKNOWN_ENDPOINT = refusal({
  status: 404,
  code: GatewayErrorCodes.unknownEndpoint,
  message: 'Unknown endpoint',
  decision: 'unknown_endpoint',
  reason: 'unknown_endpoint',
});

/** The answer to {@link UNSAFE_PATH}. */
export const INVALID_PATH = refusal({
  status: 400,
  code: GatewayErrorCodes.invalidPath,
  message: 'Invalid request path',
  decision: 'unknown_endpoint',
  reason: 'unsafe_path',
});

/** Anything that needs a closer look: an escape, a `;`, a backslash, a segment starting with a dot. */
const SUSPECT = /[%;\\]|\/\./;
const ESCAPE = /%[0-9a-f]{2}/i;
/**
 * Encodings no client needs and some servers decode anyway: overlong UTF-8 (`%c0%ae` is `.` to a
 * lenient decoder) and IIS's `%uXXXX`.
 */
const EXOTIC = /%c[01]|%e0%[89]|%f0%8|%u[0-9a-f]{4}/i;
/** A segment of dots and blanks with a dot (`.`, `..`, `.. `, `...`): Windows trims blanks and dots. */
const DOTS = /^[\s.]*\.[\s.]*$/;
/** A decoded control character (`%00` ends a path for a C server): no path needs one. */
const CONTROL = /[\u0000-\u001f\u007f]/;
/** Percent-decodings a path may need before it is plain; any more is refused. */
const MAX_DECODINGS = 3;

const decodeOnce = (path: string): string =>
  path.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));

/**
 * The path as an upstream that normalises leniently would see it (percent-decoded until plain,
 * `;` parameters removed from each segment), or undefined when some reading of it has a dot
 * segment (`..`, `..;`, `%2e%2e`, `%252e%252e`, ...), a backslash (encoded or not), a control
 * character, an exotic encoding, or still has escapes after three decodings. A plain path comes
 * back as it is.
 */
export function upstreamView(path: string): string | undefined {
  if (path.charCodeAt(0) !== 47 /* / */) return undefined;
  if (!SUSPECT.test(path)) return path;
  let current = path;
  for (let decodings = 0; ; decodings += 1) {
    if (current.includes('\\') || EXOTIC.test(current) || CONTROL.test(current)) return undefined;
    const segments = current.split('/');
    for (let i = 0; i < segments.length; i += 1) {
      const segment = segments[i] ?? '';
      const semicolon = segment.indexOf(';');
      const bare = semicolon === -1 ? segment : segment.slice(0, semicolon);
      if (DOTS.test(bare)) return undefined;
      segments[i] = bare;
    }
    if (!ESCAPE.test(current)) return segments.join('/');
    if (decodings === MAX_DECODINGS) return undefined;
    current = decodeOnce(current);
  }
}

/**
 * Whether the gateway may route `path` at all: no dot segment, backslash or exotic encoding in
 * any reading of it (see {@link upstreamView}); an upstream that resolved them would serve
 * another API than the one the gateway checked.
 */
export function isSafePath(path: string): boolean {
  return upstreamView(path) !== undefined;
}
