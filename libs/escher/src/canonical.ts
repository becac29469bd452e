import type { HashAlgo } from './config.js';
import { hashHex } from './crypto.js';
import { normalizeValue, readHeaders, type HeaderList, type HeadersInput } from './headers.js';
import type { QueryPair } from './url.js';

/**
 * The canonical query: keys and values encoded like `encodeURIComponent` plus `'()` (so `!*~`
 * stay literal), sorted by key, a repeated key's values sorted by their decoded text (what
 * escher-js does). Pairs whose key is `skipKey` are left out (a pre-signed URL's signature).
 */
export function canonicalQuery(pairs: readonly QueryPair[], skipKey?: string): string {
  if (pairs.length === 0) return '';
  const entries: { readonly head: string; readonly raw: string }[] = [];
  for (const [key, value] of pairs) {
    if (key !== skipKey) entries.push({ head: `${encodeComponent(key)}=`, raw: value });
  }
  entries.sort((a, b) =>
    a.head < b.head ? -1 : a.head > b.head ? 1 : a.raw < b.raw ? -1 : a.raw > b.raw ? 1 : 0,
  );
  let out = '';
  for (const entry of entries) {
    out += `${out === '' ? '' : '&'}${entry.head}${encodeComponent(entry.raw)}`;
  }
  return out;
}

/** `%00` … `%FF` */
const BYTE_ESCAPES = Array.from(
  { length: 256 },
  (_, value) => `%${value.toString(16).toUpperCase().padStart(2, '0')}`,
);

/** `encodeURIComponent` + `'()` → `%27 %28 %29`; a lone surrogate is encoded as U+FFFD. */
export function encodeComponent(text: string): string {
  let i = 0;
  while (i < text.length && isLiteral(text.charCodeAt(i))) i++;
  if (i === text.length) return text;
  let out = '';
  let from = 0; // text[from, i) is literal and not yet in `out`
  for (; i < text.length; i++) {
    let code = text.charCodeAt(i);
    if (isLiteral(code)) continue;
    out += text.slice(from, i);
    if (code >= 0xd800 && code <= 0xdfff) {
      const next = text.charCodeAt(i + 1);
      if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        code = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
        i++;
      } else {
        code = 0xfffd;
      }
    }
    if (code < 0x80) out += byte(code);
    else if (code < 0x800) out += byte(0xc0 | (code >> 6)) + byte(0x80 | (code & 63));
    else if (code < 0x10000) {
      out += byte(0xe0 | (code >> 12)) + byte(0x80 | ((code >> 6) & 63)) + byte(0x80 | (code & 63));
    } else {
      out +=
        byte(0xf0 | (code >> 18)) +
        byte(0x80 | ((code >> 12) & 63)) +
        byte(0x80 | ((code >> 6) & 63)) +
        byte(0x80 | (code & 63));
    }
    from = i + 1;
  }
  return out + text.slice(from);
}

function byte(value: number): string {
  return BYTE_ESCAPES[value] ?? '';
}

/** A-Z a-z 0-9 - _ . ! ~ * */
function isLiteral(code: number): boolean {
  return (
    (code >= 97 && code <= 122) ||
    (code >= 65 && code <= 90) ||
    (code >= 48 && code <= 57) ||
    code === 45 ||
    code === 95 ||
    code === 46 ||
    code === 33 ||
    code === 126 ||
    code === 42
  );
}

export interface CanonicalHeaders {
  /** `name:value` lines joined by `\n`, sorted by name. */
  readonly lines: string;
  /** The signed header names present in the request, sorted, `;`-joined. */
  readonly signedHeaders: string;
}

/**
 * Canonical form of the headers named in `names` (lower-case, any order, duplicates allowed).
 * Repeated headers are joined with `,` in request order. Names that the request lacks are left
 * out, as Escher does.
 */
export function canonicalHeaders(
  headers: HeadersInput,
  names: readonly string[],
): CanonicalHeaders {
  return canonicalHeaderList(readHeaders(headers), names);
}

/** {@link canonicalHeaders} of headers already read. */
export function canonicalHeaderList(list: HeaderList, names: readonly string[]): CanonicalHeaders {
  // Sorted with duplicates next to each other; a name's values go to its first place.
  const sorted = names.length === 1 ? names : [...names].sort();
  const values = new Array<string | undefined>(sorted.length);
  const headerNames = list.names;
  for (let h = 0; h < headerNames.length; h++) {
    const at = sorted.indexOf(headerNames[h] ?? '');
    if (at >= 0) {
      const previous = values[at];
      const normalized = normalizeValue(list.values[h] ?? '');
      values[at] = previous === undefined ? normalized : `${previous},${normalized}`;
    }
  }
  let lines = '';
  let signedHeaders = '';
  for (let i = 0; i < sorted.length; i++) {
    const value = values[i];
    if (value === undefined) continue;
    const name = sorted[i] ?? '';
    lines += `${lines === '' ? '' : '\n'}${name}:${value}`;
    signedHeaders += `${signedHeaders === '' ? '' : ';'}${name}`;
  }
  return { lines, signedHeaders };
}

export interface CanonicalParts {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly headers: CanonicalHeaders;
  /** Hex hash of the body (or of `UNSIGNED-PAYLOAD` for a pre-signed URL). */
  readonly payloadHash: string;
}

/** `METHOD\npath\nquery\nheader lines\n\nsigned;headers\npayload hash` */
export function canonicalRequest(parts: CanonicalParts): string {
  return `${parts.method}\n${parts.path}\n${parts.query}\n${parts.headers.lines}\n\n${parts.headers.signedHeaders}\n${parts.payloadHash}`;
}

/** `<prefix>-HMAC-<algo>\n<long date>\n<short date>/<scope>\n<hex hash of canonical request>` */
export function stringToSign(
  algoPrefix: string,
  hashAlgo: HashAlgo,
  longDate: string,
  credentialScope: string,
  canonical: string,
): string {
  return `${algoPrefix}-HMAC-${hashAlgo}\n${longDate}\n${longDate.slice(0, 8)}/${credentialScope}\n${hashHex(hashAlgo, canonical)}`;
}
