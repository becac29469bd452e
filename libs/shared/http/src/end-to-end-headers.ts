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
function connectionListed(value: string | undefined): Set<string> | undefined {
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
  const listed = connectionListed(headers.connection);
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

/** A header's bytes as Node's own parser reads them. */
function latin1(part: Buffer | string | undefined): string {
  return typeof part === 'string' ? part : (part?.toString('latin1') ?? '');
}

/**
 * {@link endToEndHeaders} for headers as they arrive on the wire (name, value, name, value, …,
 * as Node's `rawHeaders` or an HTTP client's raw array): the same rule, the result a flat
 * array of lower-cased names and values that `writeHead` takes as it is.
 */
export function endToEndRawHeaders(raw: readonly (Buffer | string)[]): string[] {
  const out: string[] = [];
  let connection: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = latin1(raw[i]).toLowerCase();
    const value = latin1(raw[i + 1]);
    if (name === 'connection')
      connection = connection === undefined ? value : `${connection}, ${value}`;
    else if (!HOP_BY_HOP_HEADERS.has(name)) out.push(name, value);
  }
  const listed = connectionListed(connection?.toLowerCase());
  if (listed === undefined) return out;
  const kept: string[] = [];
  for (let i = 0; i < out.length; i += 2) {
    const name = out[i] ?? '';
    if (!listed.has(name)) kept.push(name, out[i + 1] ?? '');
  }
  return kept;
}
