/**
 * The one redaction function set (docs/security.md). Every log line, audit record and failed-call
 * record passes through here before it is serialised.
 */
export const REDACTED = '[REDACTED]';

const SENSITIVE = new Set([
  'password',
  'passwd',
  'pwd',
  'secret',
  'apisecret',
  'clientsecret',
  'apikey',
  'accesstoken',
  'refreshtoken',
  'idtoken',
  'token',
  'authorization',
  'proxyauthorization',
  'cookie',
  'setcookie',
  'signature',
  'xantavosignature',
  'sessionid',
  'csrftoken',
  'xcsrftoken',
  'privatekey',
  'kek',
]);

/** Key names compare without case, dashes or underscores: `api_key`, `Api-Key`, `apiKey`. */
function normalise(key: string): string {
  return key.toLowerCase().replace(/[-_\s]/g, '');
}

export function isSensitiveKey(key: string): boolean {
  const name = normalise(key);
  return (
    SENSITIVE.has(name) ||
    name.includes('password') ||
    name.endsWith('apikey') ||
    name.endsWith('secret') ||
    name.endsWith('token') ||
    name.endsWith('signature')
  );
}

/** Redacts sensitive keys at any depth of a JSON-like value. Returns a new value. */
export function redactValue(value: unknown, depth = 0): unknown {
  if (depth > 64) return REDACTED;
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1));
  if (value !== null && typeof value === 'object') {
    if (value instanceof Error) return { name: value.name, message: value.message };
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      out[key] = isSensitiveKey(key) ? REDACTED : redactValue(child, depth + 1);
    }
    return out;
  }
  return value;
}

export function redactHeaders(
  headers: Readonly<Record<string, string | readonly string[] | undefined>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name] = isSensitiveKey(name)
      ? REDACTED
      : Array.isArray(value)
        ? value.join(', ')
        : String(value);
  }
  return out;
}

/** Redacts sensitive parameters of a query string or form body (`a=1&password=x`). */
export function redactQuery(query: string): string {
  if (query === '') return query;
  return query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const rawKey = eq === -1 ? pair : pair.slice(0, eq);
      let key = rawKey;
      try {
        key = decodeURIComponent(rawKey.replace(/\+/g, ' '));
      } catch {
        // keep the raw key: a malformed escape is still checked as written
      }
      // `customer[password]=x` is sensitive too: check every bracketed segment
      if (key.split(/[[\]]+/).some((segment) => segment !== '' && isSensitiveKey(segment))) {
        return `${rawKey}=${REDACTED}`;
      }
      return pair;
    })
    .join('&');
}

/**
 * Redacts the query string of a path or URL (`/events?api_key=...`). Everything after the `?`
 * counts as query, a `#` included: a server reads it that way, so a secret behind a `#` is
 * redacted too.
 */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q === -1) return url;
  return `${url.slice(0, q + 1)}${redactQuery(url.slice(q + 1))}`;
}

/**
 * Redacts a request or response body by its content type: JSON at any depth, form bodies by
 * field. Anything else that is not plainly textual is replaced by a size note.
 */
export function redactBody(contentType: string | undefined, body: string): string {
  if (body === '') return body;
  const type = (contentType ?? '').toLowerCase();
  if (type.includes('json') || (type === '' && /^\s*[[{]/.test(body))) {
    try {
      return JSON.stringify(redactValue(JSON.parse(body)));
    } catch {
      return redactLoose(body);
    }
  }
  if (type.includes('application/x-www-form-urlencoded')) return redactQuery(body);
  if (type.startsWith('text/') || type.includes('xml') || type === '') return redactLoose(body);
  return `[${Buffer.byteLength(body)} bytes of ${type}]`;
}

/** A JSON value at the start of the rest of a text: a string, number, literal, or a bracketed run. */
const LOOSE_PAIR =
  /"((?:[^"\\]|\\.){1,200})"\s*:\s*("(?:[^"\\]|\\.)*"?|-?\d[\d.eE+-]*|true|false|null|\[[^\]]*\]?|\{[^}]*\}?)/g;
const LOOSE_PARAM = /([A-Za-z0-9_.\-[\]]{1,200})=([^&\s]*)/g;

/**
 * Best effort for text that does not parse (a truncated JSON body, say): every `"key": value`
 * and `key=value` whose key is sensitive loses its value, whatever the value's type.
 */
function redactLoose(text: string): string {
  return text
    .replace(LOOSE_PAIR, (pair, key: string) =>
      isSensitiveKey(key) ? `"${key}":"${REDACTED}"` : pair,
    )
    .replace(LOOSE_PARAM, (pair, key: string) =>
      key.split(/[[\]]+/).some((part) => part !== '' && isSensitiveKey(part))
        ? `${key}=${REDACTED}`
        : pair,
    );
}
