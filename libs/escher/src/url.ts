/**
 * Canonical path and query of a request url (origin-form: path and optional query), as the
 * reference implementation (escher-js, on Node's legacy `url.parse` and `querystring.parse`)
 * computes them for every url a client can send. Pathological inputs where that stack silently
 * drops data (a second `#` starting a "fragment", `//user@host` turned into a host, more than 1000
 * query parameters) are kept as data here instead (see the lib's README).
 */

/** Character codes. */
const Code = {
  Tab: 9,
  CarriageReturn: 13,
  Space: 32,
  Hash: 35,
  Percent: 37,
  Plus: 43,
  Slash: 47,
  Equals: 61,
  QuestionMark: 63,
  At: 64,
  Backslash: 92,
} as const;

export interface SplitUrl {
  /** Not yet normalised (see {@link canonicalPath}). */
  readonly path: string;
  /** The raw query after the first `?`, `''` when there is none. */
  readonly query: string;
}

/** Characters `url.parse` percent-encodes when it leaves its fast path. */
const AUTO_ESCAPE: Readonly<Record<string, string>> = {
  '\t': '%09',
  '\n': '%0A',
  '\r': '%0D',
  ' ': '%20',
  '"': '%22',
  "'": '%27',
  '<': '%3C',
  '>': '%3E',
  '\\': '%5C',
  '^': '%5E',
  '`': '%60',
  '{': '%7B',
  '|': '%7C',
  '}': '%7D',
};
const AUTO_ESCAPE_RE = /[\t\n\r "'<>\\^`{|}]/g;

/** A `#`, a `\` or whitespace ({@link isSpace}'s characters, exactly). */
const SPECIAL_RE = /[\t-\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff#\\]/;

export function splitUrl(url: string): SplitUrl {
  const trimmed = trimUrl(url);
  const queryAt = trimmed.indexOf('?');
  // A # \ or whitespace anywhere, or an @ in the path: take slowSplit.
  const at = trimmed.indexOf('@');
  const special = SPECIAL_RE.test(trimmed) || (at >= 0 && (queryAt < 0 || at < queryAt));
  if (special || !isSimplePath(trimmed)) return slowSplit(trimmed);
  // The common case, what url.parse's fast path returns.
  if (queryAt < 0) return { path: trimmed, query: '' };
  return { path: trimmed.slice(0, queryAt), query: trimmed.slice(queryAt + 1) };
}

/**
 * escher-js first turns a `#` into `%23` and a `\` into `%5C` (only the first of each; here
 * every `#` is data), then `url.parse` turns later backslashes of the path into `/`, and, off its
 * fast path (an `@` in the path, whitespace, or a path not starting with exactly one or two
 * slashes), percent-encodes a fixed set of characters.
 */
function slowSplit(url: string): SplitUrl {
  let prepared = url.replaceAll('#', '%23');
  const backslash = prepared.indexOf('\\');
  if (backslash >= 0) {
    prepared = `${prepared.slice(0, backslash)}%5C${prepared.slice(backslash + 1)}`;
  }
  const queryAt = prepared.indexOf('?');
  let path = queryAt < 0 ? prepared : prepared.slice(0, queryAt);
  let query = queryAt < 0 ? '' : prepared.slice(queryAt + 1);
  path = path.replaceAll('\\', '/');
  if (path.includes('@') || hasSpace(path) || hasSpace(query) || !isSimplePath(path)) {
    path = path.replace(AUTO_ESCAPE_RE, (char) => AUTO_ESCAPE[char] ?? char);
    query = query.replace(AUTO_ESCAPE_RE, (char) => AUTO_ESCAPE[char] ?? char);
  }
  return { path, query };
}

/** `url.parse` trims C0 controls, space, NBSP and BOM at both ends. */
function trimUrl(url: string): string {
  const isTrimmed = (code: number): boolean => code < 33 || code === 0xa0 || code === 0xfeff;
  let start = 0;
  let end = url.length;
  while (start < end && isTrimmed(url.charCodeAt(start))) start++;
  while (end > start && isTrimmed(url.charCodeAt(end - 1))) end--;
  return start === 0 && end === url.length ? url : url.slice(start, end);
}

/** `url.parse` fast path: one slash, or two not followed by a third. */
function isSimplePath(path: string): boolean {
  if (path.charCodeAt(0) !== Code.Slash) return false;
  return !(path.charCodeAt(1) === Code.Slash && path.charCodeAt(2) === Code.Slash);
}

/** JavaScript `\s`. */
function isSpace(code: number): boolean {
  if (code <= Code.Space) {
    return code === Code.Space || (code >= Code.Tab && code <= Code.CarriageReturn);
  }
  if (code < 0xa0) return false;
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

function hasSpace(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (isSpace(text.charCodeAt(i))) return true;
  return false;
}

/**
 * POSIX normalisation (Node's `path.posix.normalize`): resolves `.` and `..`, collapses repeated
 * slashes, keeps a trailing slash. Percent-escapes and `+` are kept as given. Empty → `/`.
 */
export function canonicalPath(path: string): string {
  if (path === '') return '/';
  if (!path.includes('//') && !path.includes('/.') && !path.startsWith('.')) return path;
  const absolute = path.charCodeAt(0) === Code.Slash;
  const trailing = path.charCodeAt(path.length - 1) === Code.Slash;
  const out: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment !== '..') out.push(segment);
    else if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else if (!absolute) out.push('..');
  }
  let joined = out.join('/');
  if (joined === '') return absolute ? '/' : trailing ? './' : '.';
  if (trailing) joined += '/';
  return absolute ? `/${joined}` : joined;
}

export type QueryPair = readonly [key: string, value: string];

/**
 * Decodes a query string like Node's `querystring.parse`: pairs split on `&` and the first `=`,
 * empty pieces skipped, `+` is a space, and a key or value is percent-decoded only when
 * querystring's scan marks it "encoded" (then as UTF-8, or on malformed input byte-wise like
 * `querystring.unescapeBuffer`). No limit on the number of pairs (querystring stops at 1000).
 */
export function parseQuery(query: string): QueryPair[] {
  const pairs: QueryPair[] = [];
  // Where the next `%` and `+` are: a piece with neither needs no decoding.
  let percentAt = query.indexOf('%');
  let plusAt = query.indexOf('+');
  for (let start = 0; start < query.length;) {
    let end = query.indexOf('&', start);
    if (end < 0) end = query.length;
    if (end > start) {
      if (percentAt >= 0 && percentAt < start) percentAt = query.indexOf('%', start);
      if (plusAt >= 0 && plusAt < start) plusAt = query.indexOf('+', start);
      const plain = (percentAt < 0 || percentAt >= end) && (plusAt < 0 || plusAt >= end);
      pairs.push(plain ? splitPair(query, start, end) : decodePair(query.slice(start, end)));
    }
    start = end + 1;
  }
  return pairs;
}

/** query[start, end) split on its first `=`, when it holds no `%` and no `+` (nothing to decode). */
function splitPair(query: string, start: number, end: number): QueryPair {
  const eqAt = query.indexOf('=', start);
  if (eqAt < 0 || eqAt >= end) return [query.slice(start, end), ''];
  return [query.slice(start, eqAt), query.slice(eqAt + 1, end)];
}

/**
 * One `key=value` piece, with querystring.parse's exact "encoded" scan: a key or value counts as
 * encoded once a `%` is followed by two hex digits. Quirks kept: `+` does not interrupt the scan
 * of a value, and once the key is marked, the rest of the key is scanned as if it were the value.
 */
function decodePair(piece: string): QueryPair {
  let eqAt = -1;
  let keyEncoded = false;
  let valueEncoded = false;
  let check = 0;
  for (let i = 0; i < piece.length; i++) {
    const code = piece.charCodeAt(i);
    if (eqAt < 0) {
      if (code === Code.Equals) {
        eqAt = i;
        check = 0;
        continue;
      }
      if (!keyEncoded) {
        if (code === Code.Percent) {
          check = 1;
          continue;
        }
        if (check > 0) {
          if (isHexCode(code)) {
            keyEncoded = ++check === 3;
            continue;
          }
          check = 0;
        }
      }
    }
    if (code === Code.Plus || valueEncoded) continue;
    if (code === Code.Percent) check = 1;
    else if (check > 0) {
      if (isHexCode(code)) valueEncoded = ++check === 3;
      else check = 0;
    }
  }
  if (eqAt < 0) return [finishDecode(piece, keyEncoded), ''];
  return [
    finishDecode(piece.slice(0, eqAt), keyEncoded),
    finishDecode(piece.slice(eqAt + 1), valueEncoded),
  ];
}

function finishDecode(raw: string, encoded: boolean): string {
  const spaced = raw.includes('+') ? raw.replaceAll('+', ' ') : raw;
  if (!encoded || spaced === '') return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    return unescapeBytes(spaced);
  }
}

/** querystring.unescapeBuffer: valid `%XX` → byte, any other char → its low byte; then UTF-8. */
function unescapeBytes(text: string): string {
  const out = new Uint8Array(text.length);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const escaped = code === Code.Percent && i + 2 < text.length;
    if (escaped && isHex(text, i + 1) && isHex(text, i + 2)) {
      out[n++] = parseInt(text.slice(i + 1, i + 3), 16);
      i += 2;
    } else {
      out[n++] = code & 0xff;
    }
  }
  return new TextDecoder().decode(out.subarray(0, n));
}

function isHex(text: string, at: number): boolean {
  return isHexCode(text.charCodeAt(at));
}

function isHexCode(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}
