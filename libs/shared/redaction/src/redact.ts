/**
 * The one redaction function set (docs/security.md). Every log line, audit record and failed-call
 * record passes through here before it is serialised.
 */
import { isSensitiveHeaderName, isSensitiveKey, isSensitiveName, REDACTED } from './names.js';
import { redactText } from './text.js';

export { isSensitiveHeaderName, isSensitiveKey, REDACTED } from './names.js';

/**
 * Redacts sensitive keys at any depth of a JSON-like value, and every string by pattern
 * ({@link redactText}). An object under a key ending in `headers` is redacted by header name.
 * Returns a new value.
 */
export function redactValue(value: unknown, depth = 0): unknown {
  if (depth > 64) return REDACTED;
  if (typeof value === 'string') return redactText(value);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1));
  if (value !== null && typeof value === 'object') {
    if (value instanceof Error) return { name: value.name, message: redactText(value.message) };
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      out[key] = isSensitiveKey(key)
        ? REDACTED
        : isHeadersObject(key, child)
          ? redactHeaderValues(child, depth + 1)
          : redactValue(child, depth + 1);
    }
    return out;
  }
  return value;
}

function isHeadersObject(key: string, value: unknown): value is Record<string, unknown> {
  return (
    /headers$/i.test(key) && value !== null && typeof value === 'object' && !Array.isArray(value)
  );
}

function redactHeaderValues(headers: Record<string, unknown>, depth: number): unknown {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(headers)) {
    out[name] = isSensitiveHeaderName(name) ? REDACTED : redactValue(value, depth + 1);
  }
  return out;
}

/**
 * Redacts headers by name ({@link isSensitiveHeaderName}), and the other values by pattern
 * (a JWT, or `?access_token=` in a `Referer`). Repeated values are joined with `, `.
 */
export function redactHeaders(
  headers: Readonly<Record<string, string | readonly string[] | undefined>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name] = isSensitiveHeaderName(name)
      ? REDACTED
      : redactText(Array.isArray(value) ? value.join(', ') : String(value));
  }
  return out;
}

/**
 * Redacts sensitive parameters of a query string or form body (`a=1&password=x`, also
 * `customer[password]=x` and `api%5Fkey=x`); other values are redacted by pattern, decoded
 * (`next=%2Fcb%3Ftoken%3Dx`).
 */
export function redactQuery(query: string): string {
  if (query === '') return query;
  return query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const rawKey = eq === -1 ? pair : pair.slice(0, eq);
      if (isSensitiveName(rawKey)) return `${rawKey}=${REDACTED}`;
      return eq === -1 ? pair : `${rawKey}=${redactParamValue(pair.slice(eq + 1))}`;
    })
    .join('&');
}

function redactParamValue(raw: string): string {
  let decoded = raw;
  try {
    decoded = decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    // a malformed escape: redact the value as written
  }
  if (decoded === raw) return redactText(raw);
  const redacted = redactText(decoded);
  if (redacted === decoded) return redactText(raw);
  return redacted.split(REDACTED).map(encodeURIComponent).join(REDACTED);
}

/**
 * Redacts the query string of a path or URL (`/events?api_key=...`). Everything after the `?`
 * counts as query, a `#` included: a server reads it that way, so a secret behind a `#` is
 * redacted too.
 */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q === -1) return redactText(url);
  return `${redactText(url.slice(0, q))}?${redactQuery(url.slice(q + 1))}`;
}

/**
 * Redacts a request or response body by its content type: JSON at any depth (and every string in
 * it by pattern), form bodies by field, multipart bodies by part, and any other text (text/*,
 * XML, YAML, JavaScript, no type, JSON that does not parse) by pattern ({@link redactText}).
 * Anything else is replaced by a size note.
 */
export function redactBody(contentType: string | undefined, body: string): string {
  if (body === '') return body;
  const full = (contentType ?? '').toLowerCase();
  const type = full.split(';', 1)[0]?.trim() ?? '';
  if (type.includes('json') || (type === '' && /^\s*[[{]/.test(body))) {
    try {
      return JSON.stringify(redactValue(JSON.parse(body)));
    } catch {
      return redactText(body);
    }
  }
  if (type === 'application/x-www-form-urlencoded') return redactQuery(body);
  if (type.startsWith('multipart/')) {
    const boundary = boundaryOf(contentType ?? '');
    return boundary === undefined ? redactText(body) : redactMultipart(body, boundary);
  }
  if (isText(type)) return redactText(body);
  return `[${Buffer.byteLength(body)} bytes of ${full}]`;
}

const TEXT_TYPES = /^text\/|xml|yaml|javascript|ecmascript|graphql|^message\/http$/;

/** Textual media types; no type or a malformed one counts as text. */
function isText(type: string): boolean {
  return type === '' || !type.includes('/') || TEXT_TYPES.test(type);
}

function boundaryOf(contentType: string): string | undefined {
  const match = /;\s*boundary\s*=\s*(?:"([^"]+)"|([^\s;]+))/i.exec(contentType);
  return match?.[1] ?? match?.[2];
}

/**
 * Each part on its own: a part whose field name is sensitive loses its content, the others are
 * redacted by their own content type (text/plain when they have none). Headers are kept.
 */
function redactMultipart(body: string, boundary: string): string {
  const delimiter = `--${boundary}`;
  return body
    .split(delimiter)
    .map((piece, i) => (i === 0 || piece.startsWith('--') ? redactText(piece) : redactPart(piece)))
    .join(delimiter);
}

function redactPart(part: string): string {
  const blank = /\r?\n\r?\n/.exec(part);
  if (blank === null) return redactText(part);
  const headers = part.slice(0, blank.index + blank[0].length);
  const rest = part.slice(headers.length);
  const trailer = /\r?\n$/.exec(rest)?.[0] ?? '';
  const content = rest.slice(0, rest.length - trailer.length);
  const name = /(?<![\w-])name\*?\s*=\s*(?:"([^"]*)"|([^;\s]+))/i.exec(headers);
  const sensitive = name !== null && isSensitiveName(name[1] ?? name[2] ?? '');
  const type = /^content-type[ \t]*:[ \t]*([^\r\n]*)/im.exec(headers)?.[1] ?? 'text/plain';
  const redacted = sensitive ? REDACTED : content === '' ? '' : redactBody(type, content);
  return `${redactText(headers)}${redacted}${trailer}`;
}
