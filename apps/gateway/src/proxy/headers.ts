import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { endToEndHeaders } from '@loyalty-edge/http';
import { TRUSTED_HEADERS } from '@loyalty-edge/loyalty-contracts';

/**
 * Headers a client may not send through: credentials, the ones the gateway vouches for (its whole
 * `x-le-` namespace, not only the names it sets today), and the ones some frameworks let
 * override the URL or the method after the gateway checked them.
 */
class DroppedInbound extends Set<string> {
  override has(name: string): boolean {
    return super.has(name) || name.startsWith('x-le-');
  }
}

const DROPPED_INBOUND: ReadonlySet<string> = new DroppedInbound([
  'host',
  'authorization',
  'cookie',
  'content-length',
  // answered by this server already (100 Continue); the upstream gets the whole body
  'expect',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-forwarded-port',
  'x-forwarded-prefix',
  'x-real-ip',
  'forwarded',
  'x-original-url',
  'x-rewrite-url',
  'x-http-method-override',
  'x-http-method',
  'x-method-override',
  ...Object.values(TRUSTED_HEADERS),
]);

/** End-to-end request headers for the upstream, without hop-by-hop headers or credentials. */
export function upstreamRequestHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  return endToEndHeaders(headers, DROPPED_INBOUND);
}

/** A parameter name as a server reads it (`api%5Fkey` is `api_key`), lower-cased. */
function decodeName(raw: string): string {
  if (!raw.includes('%') && !raw.includes('+')) return raw.toLowerCase();
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' ')).toLowerCase();
  } catch {
    return raw.toLowerCase();
  }
}

/** Removes gateway credentials (`api_key`, presigned `X-Antavo-*`) from a query or form body. */
export function withoutCredentials(query: string): string {
  if (
    query === '' ||
    (!/api(?:_|%5f)key/i.test(query) && !/x(?:-|%2d)antavo(?:-|%2d)/i.test(query))
  ) {
    return query;
  }
  let kept = '';
  let start = 0;
  while (start <= query.length) {
    let end = query.indexOf('&', start);
    if (end === -1) end = query.length;
    const eq = query.indexOf('=', start);
    const name = decodeName(query.slice(start, eq === -1 || eq > end ? end : eq));
    if (name !== 'api_key' && !name.startsWith('x-antavo-')) {
      kept = kept === '' ? query.slice(start, end) : `${kept}&${query.slice(start, end)}`;
    }
    start = end + 1;
  }
  return kept;
}
