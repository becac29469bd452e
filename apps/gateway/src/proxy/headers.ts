import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { TRUSTED_HEADERS } from '@loyalty-edge/loyalty-contracts';

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

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

function connectionListed(headers: IncomingHttpHeaders): Set<string> | undefined {
  const value = headers.connection;
  if (value === undefined || value === 'keep-alive' || value === 'close') return undefined;
  return new Set(value.split(',').map((name) => name.trim().toLowerCase()));
}

/** End-to-end request headers for the upstream, without hop-by-hop headers or credentials. */
export function upstreamRequestHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const listed = connectionListed(headers);
  const out: OutgoingHttpHeaders = {};
  for (const name in headers) {
    if (HOP_BY_HOP.has(name) || DROPPED_INBOUND.has(name) || listed?.has(name)) continue;
    out[name] = headers[name];
  }
  return out;
}

/** End-to-end response headers for the client. */
export function clientResponseHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const listed = connectionListed(headers);
  const out: OutgoingHttpHeaders = {};
  for (const name in headers) {
    if (HOP_BY_HOP.has(name) || listed?.has(name)) continue;
    out[name] = headers[name];
  }
  return out;
}

/** Removes gateway credentials (`api_key`, presigned `X-Antavo-*`) from a query or form body. */
export function withoutCredentials(query: string): string {
  if (query === '' || (!query.includes('api_key') && !/x-antavo-/i.test(query))) return query;
  return query
    .split('&')
    .filter((pair) => {
      const name = (pair.split('=', 1)[0] ?? '').toLowerCase();
      return name !== 'api_key' && !name.startsWith('x-antavo-');
    })
    .join('&');
}
