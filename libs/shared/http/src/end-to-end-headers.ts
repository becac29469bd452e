import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

/** Headers that belong to one connection and are never forwarded (RFC 9110 §7.6.1). */
export const HOP_BY_HOP_HEADERS: ReadonlySet<string> = new Set([
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

/** Header names a `Connection` header lists (they are hop-by-hop too). */
function connectionListed(headers: IncomingHttpHeaders): Set<string> | undefined {
  const value = headers.connection;
  if (value === undefined || value === 'keep-alive' || value === 'close') return undefined;
  return new Set(value.split(',').map((name) => name.trim().toLowerCase()));
}

/**
 * The end-to-end headers of a message a proxy forwards: without hop-by-hop headers, those the
 * `Connection` header names, and any in `drop`. Runs once per proxied message, so it stays a
 * plain loop.
 */
export function endToEndHeaders(
  headers: IncomingHttpHeaders,
  drop?: ReadonlySet<string>,
): OutgoingHttpHeaders {
  const listed = connectionListed(headers);
  const out: OutgoingHttpHeaders = {};
  for (const name in headers) {
    const value = headers[name];
    if (
      value === undefined ||
      HOP_BY_HOP_HEADERS.has(name) ||
      listed?.has(name) ||
      drop?.has(name)
    ) {
      continue;
    }
    out[name] = value;
  }
  return out;
}
