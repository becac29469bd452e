// Header reorderings and structural changes to the signed parts of a signed request (for the
// property tests; one-character changes are in tamper.ts).
import type { HeaderPair, HeadersInput, SignedRequest } from '../src/index.js';

/**
 * The headers in the order of `permutation` (indices), except that headers of one name keep
 * their relative order: Escher signs repeats joined in request order, so only that order counts.
 */
export function reorder(
  headers: readonly HeaderPair[],
  permutation: readonly number[],
): HeaderPair[] {
  const slots = permutation.map((i) => headers[i] ?? (['', ''] as const));
  const queues = new Map<string, HeaderPair[]>();
  for (const header of headers) {
    const name = header[0].toLowerCase();
    queues.set(name, [...(queues.get(name) ?? []), header]);
  }
  return slots.map(([name]) => queues.get(name.toLowerCase())?.shift() ?? ['', '']);
}

/** The headers as Node's flat rawHeaders, or a record of lower-case names (repeats as arrays). */
export function reshape(
  headers: readonly HeaderPair[],
  shape: 'pairs' | 'flat' | 'record',
): HeadersInput {
  if (shape === 'pairs') return headers;
  if (shape === 'flat') return headers.flat();
  const record: Record<string, string[]> = {};
  for (const [name, value] of headers) (record[name.toLowerCase()] ??= []).push(value);
  return record;
}

export const CHANGES = [
  'drop-signed-header',
  'repeat-signed-header',
  'rename-signed-header',
  'add-query-param',
  'drop-query-param',
  'add-path-segment',
  'change-body-byte',
  'append-to-body',
  'truncate-body',
  'move-date',
] as const;
export type Change = (typeof CHANGES)[number];

/**
 * `signed` with one structural change to what it signed; undefined when the change does not
 * apply (no query pair to drop, an empty body to truncate). `signedNames` are the lower-case
 * SignedHeaders; `dateOf(offsetSeconds)` writes a date header value that many seconds later.
 */
export function restructure(
  signed: SignedRequest,
  change: Change,
  pick: number,
  signedNames: readonly string[],
  dateOf: (offsetSeconds: number) => string,
  dateHeader: string,
): SignedRequest | undefined {
  const headers = signed.headers.slice(0, -1); // the signer appends the auth header last
  const auth = signed.headers[signed.headers.length - 1] ?? ['', ''];
  const signedAt = headers
    .map(([name], i) => (signedNames.includes(name.toLowerCase()) ? i : -1))
    .filter((i) => i >= 0);
  const at = signedAt[pick % Math.max(signedAt.length, 1)] ?? -1;
  const withHeaders = (list: HeaderPair[]) => ({ ...signed, headers: [...list, auth] });
  const queryAt = signed.url.indexOf('?');
  const path = queryAt < 0 ? signed.url : signed.url.slice(0, queryAt);
  const query = queryAt < 0 ? '' : signed.url.slice(queryAt + 1);
  const body = signed.body ?? '';
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : Uint8Array.from(body);
  switch (change) {
    case 'drop-signed-header':
      return withHeaders(headers.filter((_, i) => i !== at));
    case 'repeat-signed-header': {
      const [name = 'host'] = headers[at] ?? [];
      return withHeaders([...headers, [name, 'another value']]);
    }
    case 'rename-signed-header':
      return withHeaders(headers.map(([n, v], i) => (i === at ? [`${n}-renamed`, v] : [n, v])));
    case 'add-query-param':
      return { ...signed, url: `${signed.url}${queryAt < 0 ? '?' : '&'}added=1` };
    case 'drop-query-param': {
      const pieces = query.split('&');
      const filled = pieces.map((p, i) => (p === '' ? -1 : i)).filter((i) => i >= 0);
      const drop = filled[pick % Math.max(filled.length, 1)];
      if (drop === undefined) return undefined;
      return { ...signed, url: `${path}?${pieces.filter((_, i) => i !== drop).join('&')}` };
    }
    case 'add-path-segment':
      return { ...signed, url: `${path}/added${queryAt < 0 ? '' : `?${query}`}` };
    case 'change-body-byte': {
      if (bytes.length === 0) return undefined;
      const changed = Uint8Array.from(bytes);
      const i = pick % changed.length;
      changed[i] = (changed[i] ?? 0) ^ (1 << (pick % 8));
      return { ...signed, body: changed };
    }
    case 'append-to-body':
      return { ...signed, body: Uint8Array.from([...bytes, pick % 256]) };
    case 'truncate-body':
      return bytes.length === 0
        ? undefined
        : { ...signed, body: bytes.subarray(0, pick % bytes.length) };
    case 'move-date': {
      const seconds = (pick % 120) + 1;
      const date = dateOf(pick % 2 === 0 ? seconds : -seconds);
      return withHeaders(
        headers.map(([n, v]) => (n.toLowerCase() === dateHeader ? [n, date] : [n, v])),
      );
    }
  }
}
