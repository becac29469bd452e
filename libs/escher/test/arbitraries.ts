// fast-check generators of Escher requests for the property and differential tests.
import fc from 'fast-check';
import type { EscherParams, HeaderPair } from '../src/index.js';

const chars = (alphabet: readonly string[], maxLength: number): fc.Arbitrary<string> =>
  fc.array(fc.constantFrom(...alphabet), { maxLength }).map((parts) => parts.join(''));

/** The characters of an ASCII string. */
const letters = (text: string): string[] => text.split('');

const ALNUM = letters('abcXYZ019');

/** Path and query pieces a client may send, including escapes, non-ASCII and odd characters. */
const URL_PIECES = [
  ...ALNUM,
  ...letters('-._~!*\'(),;:$=@+[]{}|^`"<>'),
  '%20',
  '%2F',
  '%41',
  '%4a',
  '%E1%88%B4',
  '%C3%A9',
  '%E9',
  '%zz',
  '%',
  'é',
  'ሴ',
  '😀',
  '.',
  '..',
];

export const pathSegment = chars(URL_PIECES, 6);
export const queryText = chars([...URL_PIECES, '&', '&', '=', '?', '/'], 16);

/** An origin-form url; `plain` keeps to a-z/0-9 (so one changed character changes its meaning). */
export function urlArb(plain = false): fc.Arbitrary<string> {
  const segment = plain ? chars(ALNUM, 6) : pathSegment;
  const query = plain
    ? fc
        .array(fc.tuple(chars(ALNUM, 4), chars(ALNUM, 4)), { maxLength: 4 })
        .map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&'))
    : queryText;
  return fc
    .tuple(fc.array(segment, { maxLength: 5 }), fc.option(query, { nil: undefined }))
    .map(([segments, q]) => `/${segments.join('/')}${q === undefined ? '' : `?${q}`}`);
}

const headerName = fc
  .tuple(fc.constantFrom('x', 'content', 'zoo', 'a'), chars(letters('abz-_1'), 6))
  .map(([head, tail]) => head + tail);

/** Header values with spaces, tabs and quotes (still valid as Node header values). */
const headerValue = chars([...ALNUM, ' ', '  ', '\t', '"', ',', ';', '=', '/', 'é'], 12);
export const plainHeaderValue = chars(ALNUM, 8).map((v) => `v${v}`);

export const extraHeaders = (plain = false): fc.Arbitrary<HeaderPair[]> =>
  fc.array(fc.tuple(headerName, plain ? plainHeaderValue : headerValue), { maxLength: 4 });

export const methodArb = fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'get', 'Post');

export const bodyArb = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.uint8Array({ maxLength: 40 }),
);

export const paramsArb: fc.Arbitrary<EscherParams> = fc.record({
  algoPrefix: fc.constantFrom('ANTAVO', 'ESR', 'EMS', 'AWS4'),
  vendorKey: fc.constantFrom('Antavo', 'Escher', 'EMS'),
  hashAlgo: fc.constantFrom('SHA256' as const, 'SHA512' as const),
  credentialScope: fc.constantFrom('eu/api/antavo_request', 'us-east-1/host/aws4_request', 'x'),
  authHeaderName: fc.constantFrom('Authorization', 'X-Escher-Auth', 'X-EMS-Auth'),
  dateHeaderName: fc.constantFrom('Date', 'X-Escher-Date', 'X-Ems-Date'),
});

/** A date within 2000-2099, whole seconds. */
export const dateArb = fc
  .integer({ min: Date.UTC(2000, 0, 1) / 1000, max: Date.UTC(2099, 11, 31) / 1000 })
  .map((seconds) => new Date(seconds * 1000));

export const secretArb = fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 40 });
export const accessKeyIdArb = chars([...ALNUM, '_', '-'], 12).map((id) => `k${id}`);
