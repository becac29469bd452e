// Single-character changes to the signed parts of a signed request (for the property tests).
import type { SignedRequest } from '../src/index.js';
export type Part = 'method' | 'path' | 'query' | 'header' | 'date' | 'signature' | 'body';
export const PARTS: readonly Part[] = [
  'method',
  'path',
  'query',
  'header',
  'date',
  'signature',
  'body',
];

/** Positions in text[from, to) of the characters matching `pattern`. */
function positions(text: string, pattern: RegExp, from = 0, to = text.length): number[] {
  const found: number[] = [];
  for (let i = from; i < to; i++) if (pattern.test(text.charAt(i))) found.push(i);
  return found;
}

/** Replaces the character at one of `candidates` (chosen by `pick`) by another of its class. */
function change(text: string, candidates: readonly number[], pick: number): string | undefined {
  const i = candidates[pick % Math.max(candidates.length, 1)];
  if (i === undefined) return undefined;
  const char = text.charAt(i);
  const other = /\d/.test(char) ? String((Number(char) + 1) % 10) : char === 'q' ? 'r' : 'q';
  return text.slice(0, i) + other + text.slice(i + 1);
}

/**
 * Changes one character of `part` (a letter or digit, so that the meaning changes for sure;
 * canonicalisation makes e.g. `%4a`/`%4A` equivalent on purpose). Undefined when the part has
 * nothing to change. `dateHeader` is the configured date header name.
 */
export function tamper(
  signed: SignedRequest,
  part: Part,
  pick: number,
  dateHeader: string,
): SignedRequest | undefined {
  const alnum = /[A-Za-z0-9]/;
  const queryAt = signed.url.indexOf('?');
  const pathEnd = queryAt < 0 ? signed.url.length : queryAt;
  switch (part) {
    case 'method': {
      const method = signed.method.toUpperCase() === 'PUT' ? 'PATCH' : 'PUT';
      return { ...signed, method, body: signed.body ?? '' };
    }
    case 'path':
    case 'query': {
      const [from, to] = part === 'path' ? [0, pathEnd] : [pathEnd, signed.url.length];
      const url = change(signed.url, positions(signed.url, alnum, from, to), pick);
      return url === undefined ? undefined : { ...signed, url };
    }
    case 'body': {
      const body = signed.body ?? '';
      if (typeof body === 'string') return { ...signed, body: change(`${body}x`, [0], 0) };
      const bytes = Uint8Array.from(body.length === 0 ? [0] : body);
      bytes[0] = (bytes[0] ?? 0) ^ 1;
      return { ...signed, body: bytes };
    }
    case 'header':
    case 'date':
    case 'signature': {
      const headers = signed.headers;
      const auth = headers.length - 1; // the signer appends the auth header last
      const index =
        part === 'signature'
          ? auth
          : part === 'date'
            ? headers.findIndex(([name]) => name.toLowerCase() === dateHeader.toLowerCase())
            : pick % auth;
      const [name, value] = headers[index] ?? ['', ''];
      const candidates =
        part === 'signature'
          ? positions(value, alnum, value.lastIndexOf('=') + 1)
          : positions(value, part === 'date' ? /\d/ : alnum);
      const changed = change(value, candidates, pick);
      if (changed === undefined) return undefined;
      const replaced = headers.map((header, i) =>
        i === index ? ([name, changed] as const) : header,
      );
      return { ...signed, headers: replaced };
    }
  }
}
