// fast-check generators for the redaction property tests: bodies of every kind with one secret
// planted under a sensitive key (any spelling), amid random noise.
import fc from 'fast-check';
import { isSensitiveHeaderName, isSensitiveKey, redactText } from '../src/index.js';

/** Sensitive names as words; each is spelled in the styles below. */
const SENSITIVE_WORDS: readonly (readonly string[])[] = [
  ['password'],
  ['passwd'],
  ['pwd'],
  ['secret'],
  ['api', 'secret'],
  ['client', 'secret'],
  ['api', 'key'],
  ['access', 'token'],
  ['refresh', 'token'],
  ['id', 'token'],
  ['token'],
  ['authorization'],
  ['proxy', 'authorization'],
  ['cookie'],
  ['set', 'cookie'],
  ['signature'],
  ['x', 'antavo', 'signature'],
  ['session', 'id'],
  ['csrf', 'token'],
  ['private', 'key'],
  ['kek'],
  ['new', 'password'],
  ['password', 'confirmation'],
  ['x', 'api', 'key'],
  ['webhook', 'secret'],
];

type Style = 'snake' | 'kebab' | 'camel' | 'pascal' | 'upper' | 'flat' | 'title' | 'spaced';
const capital = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

function spell(words: readonly string[], style: Style): string {
  switch (style) {
    case 'snake':
      return words.join('_');
    case 'kebab':
      return words.join('-');
    case 'camel':
      return words.map((w, i) => (i === 0 ? w : capital(w))).join('');
    case 'pascal':
      return words.map(capital).join('');
    case 'upper':
      return words.join('_').toUpperCase();
    case 'flat':
      return words.join('');
    case 'title':
      return words.map(capital).join('-');
    case 'spaced':
      return words.map(capital).join(' ');
  }
}

const NO_SPACES: readonly Style[] = ['snake', 'kebab', 'camel', 'pascal', 'upper', 'flat', 'title'];

/** A sensitive key in any spelling (`spaced` only where a key may hold spaces). */
export const sensitiveKey = (spaces = true): fc.Arbitrary<string> =>
  fc
    .tuple(
      fc.constantFrom(...SENSITIVE_WORDS),
      fc.constantFrom(...(spaces ? [...NO_SPACES, 'spaced' as const] : NO_SPACES)),
    )
    .map(([words, style]) => spell(words, style));

/** Header names that hold a secret: the keys above, and the header-only ones. */
export const sensitiveHeaderName: fc.Arbitrary<string> = fc.oneof(
  sensitiveKey(false),
  fc
    .tuple(
      fc.constantFrom(
        'x-session',
        'x-session-id',
        'x-credentials',
        'x-csrf',
        'x-auth',
        'x-auth-token',
        'x-access-key',
        'x-api-secret',
        'proxy-authorization',
        'x-amz-security-token',
        'sec-websocket-key',
      ),
      fc.boolean(),
    )
    .map(([name, upper]) => (upper ? name.toUpperCase() : name)),
);

const chars = (alphabet: string, min: number, max: number) =>
  fc
    .array(fc.constantFrom(...alphabet.split('')), { minLength: min, maxLength: max })
    .map((list) => list.join(''));

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** A secret without blanks or delimiters (`&,;<` quotes, backslash): fits anywhere. */
export const tokenSecret = fc
  .tuple(chars(ALNUM, 1, 1), chars(`${ALNUM}_-+/=.~!@#$%^*():?|`, 7, 23))
  .map(([head, tail]) => head + tail);
/** A secret that may hold blanks and quotes but no line break (a line's value, a multipart field). */
export const lineSecret = fc
  .string({ unit: 'grapheme', minLength: 8, maxLength: 24 })
  .filter((s) => !/[\r\n]/.test(s) && s.trim().length >= 6);
/** Anything at all (JSON strings, form values and header values are escaped or stand alone). */
export const anySecret = fc
  .string({ unit: 'binary', minLength: 8, maxLength: 24 })
  .filter((s) => s.trim().length >= 6);
/** token68 (RFC 7235) with a digit, as a Bearer token. */
export const bearerToken = fc
  .tuple(chars(`${ALNUM}-._~+/`, 8, 30), fc.integer({ min: 0, max: 9 }))
  .map(([token, digit]) => `${token}${digit}`);
const base64url = (min: number) => chars(`${ALNUM}-_`, min, 40);
export const jwt = fc
  .tuple(base64url(4), base64url(4), base64url(0))
  .map(([header, payload, signature]) => `eyJ${header}.${payload}.${signature}`);

/** Keys and values of noise: never a sensitive key. */
export const noiseKey = fc
  .stringMatching(/^[a-z][a-z0-9_]{0,8}$/)
  .filter(
    (key) => !isSensitiveKey(key) && !isSensitiveHeaderName(key) && !/^(basic|bearer)/.test(key),
  );
export const noiseText = fc.string({ maxLength: 16 });
/** Noise that redaction leaves as it is (so that it cannot hide a bug by being redacted). */
export const plainText = fc
  .string({ unit: fc.constantFrom(...`${ALNUM} .,!?-`.split('')), maxLength: 20 })
  .filter((text) => redactText(text) === text);

/** A planted secret: the redacted output must show none of `hidden`. */
export type Planted =
  | {
      readonly kind: 'json' | 'truncated-json' | 'form' | 'text' | 'xml' | 'multipart';
      readonly contentType: string | undefined;
      readonly body: string;
      readonly hidden: readonly string[];
    }
  | { readonly kind: 'url'; readonly url: string; readonly hidden: readonly string[] }
  | {
      readonly kind: 'headers';
      readonly headers: Record<string, string | string[]>;
      readonly hidden: readonly string[];
    };

/** Where the secret goes; replaced after the noise is laid out. */
export const HOLE = '\u27e6HOLE\u27e7';

/** The forms a secret takes in each kind of body. */
export const jsonEscaped = (secret: string) => JSON.stringify(secret).slice(1, -1);
export const formEncoded = (secret: string) => encodeURIComponent(secret);

/** A body with its secret, or undefined when the noise around the secret held it already. */
export type Filled = { readonly body: string; readonly hidden: readonly string[] } | undefined;

/** `template` with HOLE filled; undefined when the noise around it holds a hidden form itself. */
export function fill(template: string, value: string, hidden: readonly string[]): Filled {
  const skeleton = template.split(HOLE).join('');
  if (hidden.some((h) => h === '' || skeleton.includes(h) || h.includes(HOLE))) return undefined;
  return { body: template.split(HOLE).join(value), hidden };
}
