/**
 * Request headers in any of three shapes. Prefer the first two: they keep repeated headers
 * apart, which Escher signs as `name:v1,v2`. (Node's `req.headers` object joins most repeats
 * with `, ` and drops repeats of some, so a request signed with repeated headers fails with it.)
 * - `[name, value][]` pairs, in order (`name` in any case);
 * - Node's flat `rawHeaders` array `[name1, value1, name2, value2, ...]`;
 * - a record (`IncomingHttpHeaders`-like); an array value counts as repeated headers.
 */
export type HeaderPair = readonly [name: string, value: string];
export type HeaderRecord = Readonly<Record<string, string | readonly string[] | undefined>>;
export type HeadersInput = readonly HeaderPair[] | readonly string[] | HeaderRecord;

/**
 * Calls `visit` with each (name, value) in order; stops when it returns true. Checked at run time
 * (plain JavaScript callers): a number is read as text, as escher-auth does; an entry that is
 * neither, or not a pair, is no header, and headers that are no array or object are none.
 */
export function forEachHeader(
  headers: HeadersInput,
  visit: (name: string, value: string) => boolean | undefined,
): void {
  const input: unknown = headers;
  if (Array.isArray(input)) {
    if (typeof input[0] === 'string') {
      for (let i = 0; i + 1 < input.length; i += 2) {
        if (visitText(input[i], input[i + 1], visit)) return;
      }
      return;
    }
    for (const pair of input) {
      if (Array.isArray(pair) && visitText(pair[0], pair[1], visit)) return;
    }
  } else if (input !== null && typeof input === 'object') {
    const record = input as Record<string, unknown>;
    for (const name of Object.keys(record)) {
      const value = record[name];
      if (!Array.isArray(value)) {
        if (visitText(name, value, visit)) return;
      } else {
        for (const one of value) if (visitText(name, one, visit)) return;
      }
    }
  }
}

function visitText(
  name: unknown,
  value: unknown,
  visit: (name: string, value: string) => boolean | undefined,
): boolean {
  if (typeof name !== 'string') return false;
  if (typeof value === 'string') return visit(name, value) === true;
  if (typeof value === 'number') return visit(name, String(value)) === true;
  return false;
}

/** The headers as pairs, in order (a copy). */
export function toHeaderPairs(headers: HeadersInput): HeaderPair[] {
  const pairs: HeaderPair[] = [];
  forEachHeader(headers, (name, value) => {
    pairs.push([name, value]);
    return false;
  });
  return pairs;
}

/** Headers read once, in request order: names normalised ({@link normalizeName}), values as given. */
export interface HeaderList {
  readonly names: readonly string[];
  readonly values: readonly string[];
}

/** Reads `headers` once, so that several lookups and the canonical form normalise each name once. */
export function readHeaders(headers: HeadersInput): HeaderList {
  const names: string[] = [];
  const values: string[] = [];
  forEachHeader(headers, (name, value) => {
    names.push(normalizeName(name));
    values.push(value);
    return false;
  });
  return { names, values };
}

/** The value of the first header called `lowerName` in a {@link HeaderList}. */
export function headerValue(list: HeaderList, lowerName: string): string | undefined {
  const at = list.names.indexOf(lowerName);
  return at < 0 ? undefined : list.values[at];
}

/** The value of the first header called `lowerName` (case-insensitive), like Escher. */
export function findHeader(headers: HeadersInput, lowerName: string): string | undefined {
  let found: string | undefined;
  forEachHeader(headers, (name, value) => {
    if (normalizeName(name) !== lowerName) return false;
    found = value;
    return true;
  });
  return found;
}

/** Escher lower-cases, then trims, a header name. */
export function normalizeName(name: string): string {
  const lower = name.toLowerCase();
  const last = lower.length - 1;
  return isBlank(lower.charCodeAt(0)) || isBlank(lower.charCodeAt(last)) ? lower.trim() : lower;
}

/**
 * Canonical header value: trimmed, and outside double quotes every run of whitespace becomes one
 * space (`a   b "c   d"` → `a b "c   d"`). Whitespace is the ASCII set of PCRE's `\s`, as in
 * escher-php; escher-js 4.0.2 collapses only the first run of each unquoted piece, a bug that the
 * vectors do not exercise.
 */
export function normalizeValue(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && isBlank(value.charCodeAt(start))) start++;
  while (end > start && isBlank(value.charCodeAt(end - 1))) end--;
  let out: string | undefined;
  let copied = start; // value[start, copied) is already in `out`
  let quoted = false;
  for (let i = start; i < end; i++) {
    const code = value.charCodeAt(i);
    if (code === 34 /* " */) {
      quoted = !quoted;
    } else if (!quoted && isBlank(code)) {
      let runEnd = i + 1;
      while (runEnd < end && isBlank(value.charCodeAt(runEnd))) runEnd++;
      if (code !== 32 || runEnd > i + 1) {
        out = `${out ?? ''}${value.slice(copied, i)} `;
        copied = runEnd;
      }
      i = runEnd - 1;
    }
  }
  if (out !== undefined) return out + value.slice(copied, end);
  return start === 0 && end === value.length ? value : value.slice(start, end);
}

function isBlank(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
}
