// Redaction by pattern, for text of any kind: plain text, HTML, XML, multipart, a JSON body cut
// short, a log message, a string inside JSON. Every rule scans forward once (bodies may be a
// MiB): regexes start only where a name or a quote starts, values are measured by hand.
import { isSensitiveHeaderName, isSensitiveName, mightBeSensitive, REDACTED } from './names.js';

/**
 * Replaces, wherever they appear: the value after a sensitive key and `:`, `=`, `:=` or `=>`
 * (quoted or bare keys and values; to the end of the line for a key that starts a line and for
 * Authorization); the content of a sensitive multipart field or XML element, and the `value` of
 * an element whose `name`/`key`/`id` attribute is sensitive; `Bearer`/`Basic` credentials;
 * JWTs; the password of a `scheme://user:password@` URL. The rest of the text is kept.
 */
export function redactText(text: string): string {
  if (!MAYBE_SECRET.test(text)) return text;
  let out = /content-disposition/i.test(text) ? redactMultipartFields(text) : text;
  out = out.includes('<') ? redactElements(out) : out;
  out = redactPairs(out);
  if (/bearer|basic/i.test(out)) {
    out = out.replace(CREDENTIAL, (match, scheme: string, space: string, token: string) => {
      const secret = credentialIn(scheme, token);
      return secret === 0 ? match : `${scheme}${space}${REDACTED}${token.slice(secret)}`;
    });
  }
  if (out.includes('eyJ')) out = out.replace(JWT, REDACTED);
  return out.includes('://') ? out.replace(USERINFO, `$1:${REDACTED}@`) : out;
}

/** Text without any of these holds nothing the rules below would redact. */
const MAYBE_SECRET = /[:=<]|eyJ|bearer|basic/i;

// ---- key/value pairs ----------------------------------------------------------------------

const NAME_CHAR = String.raw`[\w$%.\[\]-]`;
/**
 * A key and its separator: `\"key\"` (inside a JSON string), `"key"`, `'key'`, or a bare key of
 * up to three words starting where a name starts. Quoted keys hold no `:` or `=`, so a key
 * never swallows a pair.
 */
const PAIR = new RegExp(
  String.raw`(?:\\(["'])([^"'\\\r\n:=]{1,200})\\\1` +
    String.raw`|(["'])([^"'\\\r\n:=]{1,200})\3` +
    String.raw`|(?<!${NAME_CHAR})(${NAME_CHAR}+(?:[ \t]${NAME_CHAR}+){0,2}))` +
    String.raw`[ \t]*(:=|=>|:|=)[ \t]*`,
  'g',
);
const BULLETS = /^(?:[^A-Za-z0-9 \t]+[ \t]+)+/;
/** `X-Session-Id`: at the start of a line, read as a header (HTTP dumps, multipart parts). */
const HEADER_NAME = /^[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)+$/;

function redactPairs(text: string): string {
  let out = '';
  let copied = 0;
  PAIR.lastIndex = 0;
  for (let m = PAIR.exec(text); m !== null; m = PAIR.exec(text)) {
    if (!mightBeSensitive(m[2] ?? m[4] ?? m[5] ?? '')) continue;
    const keyQuote = m[1] !== undefined ? `\\${m[1]}` : (m[3] ?? '');
    const bare = m[5] !== undefined;
    // a list bullet (`- key: x`, `-- key: x`) is not a word of the key
    const key = bare ? (m[5] ?? '').replace(BULLETS, '') : (m[2] ?? m[4] ?? '');
    const valueStart = PAIR.lastIndex;
    // `\npassword: x` inside a JSON string: the key starts after the escape, on a new line
    const afterEscape = bare && text.charCodeAt(m.index - 1) === BACKSLASH && /^[nrt]./.test(key);
    const startsLine = bare && (afterEscape || atLineStart(text, m.index));
    const keys = afterEscape ? [key, key.slice(1)] : [key];
    if (!keys.some((k) => isSensitivePairKey(k, bare, startsLine))) continue;
    // `password: a b` and `secret = a b` own their line; `login with pwd=x more` does not
    const ownsLine = startsLine && (m[6] === ':' || !/[ \t]/.test(key));
    const toLineEnd = ownsLine || /authorization$/i.test(key);
    const end = valueEnd(text, valueStart, keyQuote, toLineEnd);
    if (end === valueStart) continue;
    out += text.slice(copied, valueStart) + replacement(text, valueStart, keyQuote);
    copied = end;
    PAIR.lastIndex = end;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

function isSensitivePairKey(key: string, bare: boolean, startsLine: boolean): boolean {
  if (!bare) return isSensitiveName(key);
  if (startsLine && HEADER_NAME.test(key) && isSensitiveHeaderName(key)) return true;
  // `Your api key: x`: the last one, two or three words
  const words = key.split(/[ \t]/);
  for (let n = 1; n <= words.length; n++) {
    if (isSensitiveName(words.slice(-n).join(''))) return true;
  }
  return false;
}

/** Only blanks (and a list bullet) between the line start and `at`. */
function atLineStart(text: string, at: number): boolean {
  let i = at - 1;
  while (i >= 0 && (text[i] === ' ' || text[i] === '\t')) i--;
  if (i >= 0 && (text[i] === '-' || text[i] === '*') && i < at - 1) {
    i--;
    while (i >= 0 && (text[i] === ' ' || text[i] === '\t')) i--;
  }
  return i < 0 || text[i] === '\n' || text[i] === '\r';
}

const BACKSLASH = 92;

/** Where the value starting at `start` ends (exclusive). */
function valueEnd(text: string, start: number, keyQuote: string, toLineEnd: boolean): number {
  const c = text[start];
  if (c === '"' || c === "'") return quotedEnd(text, start, c);
  if (c === '\\' && (text[start + 1] === '"' || text[start + 1] === "'")) {
    return escapedQuotedEnd(text, start);
  }
  if (c === '{' || c === '[') return balancedEnd(text, start, keyQuote.length === 2);
  if (toLineEnd) return lineEnd(text, start);
  return tokenEnd(text, start, keyQuote === '"' || keyQuote === '\\"');
}

/** After the closing quote; the end of the text when there is none (a value cut short). */
function quotedEnd(text: string, start: number, quote: string): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === quote) return i + 1;
  }
  return text.length;
}

/** `\"…\"` inside a JSON string: ends at the next `\"` that is not itself escaped (`\\\"`). */
function escapedQuotedEnd(text: string, start: number): number {
  const quote = text[start + 1];
  for (let i = start + 2; i < text.length - 1; i++) {
    if (text[i] === '\\' && text[i + 1] === quote && text[i - 1] !== '\\') return i + 2;
  }
  return text.length;
}

/** A JSON array or object, strings skipped; the end of the text when it is cut short. */
function balancedEnd(text: string, start: number, escaped: boolean): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (escaped && c === '\\' && text[i + 1] === '"') {
      i = escapedQuotedEnd(text, i) - 1;
    } else if (!escaped && c === '"') {
      i = quotedEnd(text, i, '"') - 1;
    } else if (c === '{' || c === '[') {
      depth++;
    } else if ((c === '}' || c === ']') && --depth === 0) {
      return i + 1;
    }
  }
  return text.length;
}

/**
 * Up to a line break. Not an escaped one (`\n` inside a JSON string): in plain text that is two
 * characters of the value, and stopping there could show the rest of a password.
 */
function lineEnd(text: string, start: number): number {
  LINE_BREAK.lastIndex = start;
  return LINE_BREAK.exec(text)?.index ?? text.length;
}

const LINE_BREAK = /[\r\n]/g;

const TOKEN_END = /[\s&,;<"']|\\["']/g;
const JSON_TOKEN_END = /[\s&,;<"'}\]]|\\["']/g;

/** An unquoted value: up to a blank, `&,;<`, a quote (`\"` too), or (after a JSON key) `}]`. */
function tokenEnd(text: string, start: number, json: boolean): number {
  const end = json ? JSON_TOKEN_END : TOKEN_END;
  end.lastIndex = start;
  return end.exec(text)?.index ?? text.length;
}

/** The marker, quoted like the value was (or like a JSON value, after a quoted key). */
function replacement(text: string, start: number, keyQuote: string): string {
  const c = text[start];
  if (c === '"' || c === "'") return `${c}${REDACTED}${c}`;
  if (c === '\\') return `\\${text[start + 1] ?? ''}${REDACTED}\\${text[start + 1] ?? ''}`;
  return keyQuote === '"' || keyQuote === '\\"' ? `${keyQuote}${REDACTED}${keyQuote}` : REDACTED;
}

// ---- multipart fields ---------------------------------------------------------------------

const DISPOSITION = /content-disposition[ \t]*:[^\r\n]*/gi;
const FIELD_NAME = /(?<![\w-])name\*?[ \t]*=[ \t]*(?:"([^"\r\n]*)"|([^;\s]+))/i;
const BLANK_LINE = /\r?\n\r?\n/g;
const NEXT_BOUNDARY = /\r?\n--/g;

/** The content of a multipart part whose field name is sensitive, found by its headers. */
function redactMultipartFields(text: string): string {
  let out = '';
  let copied = 0;
  DISPOSITION.lastIndex = 0;
  for (let m = DISPOSITION.exec(text); m !== null; m = DISPOSITION.exec(text)) {
    const field = FIELD_NAME.exec(m[0]);
    const name = field?.[1] ?? field?.[2];
    if (name === undefined || !isSensitiveName(name)) continue;
    BLANK_LINE.lastIndex = DISPOSITION.lastIndex;
    const blank = BLANK_LINE.exec(text);
    if (blank === null) break; // cut short inside the part's headers: no content to hide
    const start = BLANK_LINE.lastIndex;
    NEXT_BOUNDARY.lastIndex = start;
    const end = NEXT_BOUNDARY.exec(text)?.index ?? text.length;
    if (end > start) {
      out += text.slice(copied, start) + REDACTED;
      copied = end;
    }
    DISPOSITION.lastIndex = Math.max(end, start);
  }
  return copied === 0 ? text : out + text.slice(copied);
}

// ---- XML and HTML elements ----------------------------------------------------------------

/** An opening tag; one cut short at the end of the text counts too. */
const TAG = /<([A-Za-z_][\w.:-]*)([^<>]*)(?:>|$)/g;
const NAMING_ATTRIBUTE =
  /(?:^|\s)(?:name|key|id|field|param|property|type)[ \t]*=[ \t]*(?:"([^"]*)"|'([^']*)'|([^\s"'>/]+))/gi;
const VALUE_ATTRIBUTE =
  /(\s(?:value|content|data|default)[ \t]*=[ \t]*)(?:"[^"]*"?|'[^']*'?|[^\s"'>/]+)/gi;

/** HTML elements without content: `<input name="password" value="…">` ends at its `>`. */
const VOID_ELEMENTS = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
]);

/**
 * `<password>…</password>` (any namespace prefix) and `<field name="password">…</field>`:
 * the content up to the closing tag; `<input name="password" value="…">`: the value. Such an
 * element with no closing tag (cut short) loses its text up to the next tag.
 */
function redactElements(text: string): string {
  let out = '';
  let copied = 0;
  const unclosed = new Set<string>();
  TAG.lastIndex = 0;
  for (let m = TAG.exec(text); m !== null; m = TAG.exec(text)) {
    const [tag, name = '', attributes = ''] = m;
    const byAttribute = [...attributes.matchAll(NAMING_ATTRIBUTE)].some((a) =>
      isSensitiveName(a[1] ?? a[2] ?? a[3] ?? ''),
    );
    const byName = isSensitiveName(name.slice(name.lastIndexOf(':') + 1));
    if (!byAttribute && !byName) continue;
    const tagEnd = TAG.lastIndex;
    let contentEnd = tagEnd;
    if (!attributes.endsWith('/')) {
      const close = closingTag(text, name, tagEnd, unclosed);
      if (close >= 0) contentEnd = close;
      else if (byName || !VOID_ELEMENTS.has(name.toLowerCase())) contentEnd = nextTag(text, tagEnd);
    }
    out += text.slice(copied, m.index);
    out += byAttribute ? tag.replace(VALUE_ATTRIBUTE, `$1"${REDACTED}"`) : tag;
    if (contentEnd > tagEnd) out += REDACTED;
    copied = contentEnd;
    TAG.lastIndex = contentEnd;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** Where `</name` starts (any case), or -1; names once missing are not searched again. */
function closingTag(text: string, name: string, from: number, unclosed: Set<string>): number {
  const key = name.toLowerCase();
  if (unclosed.has(key)) return -1;
  const close = new RegExp(`</${name.replace(/[.]/g, '\\.')}\\s*>`, 'gi');
  close.lastIndex = from;
  const found = close.exec(text);
  if (found === null) unclosed.add(key);
  return found?.index ?? -1;
}

/** The next `<` that starts a tag: CDATA sections and comments are content. */
function nextTag(text: string, from: number): number {
  for (let at = text.indexOf('<', from); at >= 0; at = text.indexOf('<', at + 1)) {
    const close = text.startsWith('<![CDATA[', at)
      ? ']]>'
      : text.startsWith('<!--', at)
        ? '-->'
        : '';
    if (close === '') return at;
    const end = text.indexOf(close, at);
    if (end < 0) break;
    at = end;
  }
  return text.length;
}

// ---- credentials, JWTs, URL passwords -----------------------------------------------------

const CREDENTIAL = /\b(bearer|basic)([ \t]+)([\w.~+/-]+=*)/gi;

/**
 * How many characters of `token` are a credential (0 for none): `Basic` with base64 of
 * `user:password`; `Bearer` with 8+ token characters, one of them a digit or punctuation (so that
 * prose like "Bearer tokens" stays).
 */
function credentialIn(scheme: string, token: string): number {
  if (scheme.toLowerCase() === 'basic') {
    const base64 = /^[A-Za-z0-9+/]{4,}={0,2}/.exec(token)?.[0] ?? '';
    return Buffer.from(base64, 'base64').toString('latin1').includes(':') ? base64.length : 0;
  }
  return token.length >= 8 && /[\d.~+/_-]/.test(token) ? token.length : 0;
}

/** Three to five base64url parts, the first a JSON object (`eyJ` = `{"`): a JWS or JWE. */
const JWT = /(?<![\w-])eyJ[\w-]+(?:\.[\w-]*){2,4}/g;

const USERINFO = /(?<![\w+.-])([a-z][\w+.-]*:\/\/[^\s/?#@:]*):([^\s/?#@]+)@/gi;
