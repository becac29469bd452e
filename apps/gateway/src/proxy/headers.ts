import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { endToEndHeaders } from '@loyalty-edge/http';
import { TRUSTED_HEADERS } from '@loyalty-edge/loyalty-contracts';

/** Headers a client may not send through: credentials and the ones the gateway vouches for. */
const DROPPED_INBOUND = new Set([
  'host',
  'authorization',
  'cookie',
  'content-length',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'forwarded',
  ...Object.values(TRUSTED_HEADERS),
]);

/** End-to-end request headers for the upstream, without hop-by-hop headers or credentials. */
export function upstreamRequestHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  return endToEndHeaders(headers, DROPPED_INBOUND);
}

/** End-to-end response headers for the client. */
export function clientResponseHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  return endToEndHeaders(headers);
}

/** Removes gateway credentials (`api_key`, presigned `X-Antavo-*`) from a query or form body. */
export function withoutCredentials(query: string): string {
  if (query === '' || (!query.includes('api_key') && !/x-antavo-/i.test(query))) return query;
  let kept = '';
  let start = 0;
  while (start <= query.length) {
    let end = query.indexOf('&', start);
    if (end === -1) end = query.length;
    const eq = query.indexOf('=', start);
    const name = query.slice(start, eq === -1 || eq > end ? end : eq).toLowerCase();
    if (name !== 'api_key' && !name.startsWith('x-antavo-')) {
      kept = kept === '' ? query.slice(start, end) : `${kept}&${query.slice(start, end)}`;
    }
    start = end + 1;
  }
  return kept;
}
