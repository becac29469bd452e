/** What replaces a redacted value. */
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

/** Key names compare without case, dashes, underscores or spaces: `api_key`, `Api-Key`, `apiKey`. */
function normalise(key: string): string {
  return key.toLowerCase().replace(/[-_\s]/g, '');
}

/** A key of JSON, a form or a query whose value is a secret. */
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

/**
 * A name that holds none of these once `-_+` and blanks are dropped (and no `%` escape) is not
 * sensitive by any rule here: a quick answer for the many keys of a text.
 */
const MAYBE_SENSITIVE =
  /pass|pwd|secret|key|token|auth|cookie|signature|session|csrf|xsrf|kek|credential|%/i;

/** False when no rule here (key or header name) can call `raw`, or any part of it, sensitive. */
export function mightBeSensitive(raw: string): boolean {
  return MAYBE_SENSITIVE.test(/[-_+\s]/.test(raw) ? raw.replace(/[-_+\s]/g, '') : raw);
}

/**
 * A key as written in a query, form, text or markup: sensitive when {@link isSensitiveKey} says
 * so of it as written, percent-decoded, or of any of its `.`/`[]` segments (`customer[password]`,
 * `db.password`, `api%5Fkey`).
 */
export function isSensitiveName(raw: string): boolean {
  if (!mightBeSensitive(raw)) return false;
  if (isSensitiveKey(raw)) return true;
  let key = raw;
  if (raw.includes('%') || raw.includes('+')) {
    try {
      key = decodeURIComponent(raw.replace(/\+/g, ' '));
    } catch {
      // a malformed escape: check the key as written
    }
    if (key !== raw && isSensitiveKey(key)) return true;
  }
  return key.split(/[.[\]]+/).some((part) => part !== '' && part !== key && isSensitiveKey(part));
}

/** Words that make a header name hold a secret (checked on the name without separators). */
const SECRET_HEADER_WORDS = [
  'session',
  'credential',
  'csrf',
  'xsrf',
  'auth',
  'secret',
  'passw',
  'pwd',
  'token',
  'signature',
  'cookie',
];

/** Challenges name the scheme a server wants; they carry no credential and explain a 401. */
const CHALLENGE_HEADERS = new Set(['www-authenticate', 'proxy-authenticate']);

/**
 * A header whose value is a secret: one {@link isSensitiveKey} names, or whose name contains
 * session, credential, csrf/xsrf, auth, secret, password/pwd, token, signature or cookie, or
 * ends in `key` (`x-access-key`, `sec-websocket-key`). `WWW-Authenticate` and
 * `Proxy-Authenticate` are kept.
 */
export function isSensitiveHeaderName(name: string): boolean {
  const lower = name.trim().toLowerCase();
  if (CHALLENGE_HEADERS.has(lower)) return false;
  const compact = lower.replace(/[-_.\s]/g, '');
  return (
    isSensitiveKey(lower) ||
    compact.endsWith('key') ||
    SECRET_HEADER_WORDS.some((word) => compact.includes(word))
  );
}
