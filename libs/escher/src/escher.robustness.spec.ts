// Property tests: arbitrary input never makes the auth header parser, the canonicaliser, the
// verifier or the signer throw anything but an EscherError (a plain-JavaScript caller may pass
// anything; Node hands the gateway only strings).
import fc from 'fast-check';
import { bodyArb, methodArb, urlArb } from '../test/arbitraries.js';
import { parseAuthHeader, parsePresignParams, type Claims } from './auth-header.js';
import { canonicalHeaders, canonicalQuery, encodeComponent } from './canonical.js';
import { parseDateMs } from './dates.js';
import { EscherError } from './errors.js';
import { normalizeValue, type HeadersInput } from './headers.js';
import type { EscherRequest } from './request.js';
import { EscherSigner } from './signer.js';
import { canonicalPath, parseQuery, splitUrl } from './url.js';
import { EscherVerifier } from './verifier.js';

const NOW = new Date('2024-01-01T12:00:00Z');
const ALGO_HEAD = 'ESR-HMAC-';
const signer = new EscherSigner({ accessKeyId: 'AKID', key: { secret: 's' }, now: () => NOW });
const verifier = new EscherVerifier({ now: () => NOW });
const lookup = (id: string) => (id === 'AKID' ? { secret: 's' } : undefined);

/** Runs `run`; an EscherError is a fine answer, anything else thrown fails the property. */
function onlyEscherErrors(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    if (!(error instanceof EscherError)) throw error;
  }
}

// -- generators ---------------------------------------------------------------------------

/** Pieces that matter to the parsers: separators, the auth header's words, odd characters. */
const PIECES = [
  ...' ,;=/:-_.%+?#&@\\"\t\r\nAaZz09fé'.split(''),
  'Credential=',
  ', SignedHeaders=',
  ', Signature=',
  'SHA256',
  'SHA512',
  ALGO_HEAD,
  '20240101',
  '%zz',
  '\ud800',
  '😀',
  '..',
];
const piecesText = fc
  .array(fc.constantFrom(...PIECES), { maxLength: 30 })
  .map((list) => list.join(''));
const anyText = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), piecesText);

/** Edits at random places: a few characters removed, a piece inserted. */
const edits = fc.array(
  fc.record({ at: fc.nat(), remove: fc.nat(4), insert: fc.constantFrom('', ...PIECES) }),
  { minLength: 1, maxLength: 4 },
);
function edit(text: string, list: readonly { at: number; remove: number; insert: string }[]) {
  let out = text;
  for (const { at, remove, insert } of list) {
    const i = at % (out.length + 1);
    out = out.slice(0, i) + insert + out.slice(i + remove);
  }
  return out;
}

/** Anything a plain-JavaScript caller might pass as headers. */
const anyHeaders: fc.Arbitrary<unknown> = fc.oneof(
  fc.array(fc.tuple(anyText, anyText), { maxLength: 4 }),
  fc.array(anyText, { maxLength: 6 }),
  fc.dictionary(anyText, fc.oneof(anyText, fc.array(anyText, { maxLength: 2 })), { maxKeys: 4 }),
  fc.array(fc.anything(), { maxLength: 3 }),
  fc.dictionary(fc.string(), fc.anything(), { maxKeys: 3 }),
  fc.anything(),
);
const anyBody: fc.Arbitrary<unknown> = fc.oneof(bodyArb, fc.anything());
const anyMethod: fc.Arbitrary<unknown> = fc.oneof(methodArb, anyText, fc.anything());
const anyUrl: fc.Arbitrary<unknown> = fc.oneof(urlArb(), anyText, fc.anything());

/** A signed request with one of its parts replaced by something arbitrary or edited. */
const damagedRequest: fc.Arbitrary<EscherRequest> = fc
  .record({
    url: urlArb(),
    body: bodyArb,
    part: fc.constantFrom('auth', 'date', 'host', 'method', 'url', 'body', 'headers'),
    edits,
    headers: anyHeaders,
    value: fc.oneof(anyMethod, anyBody),
  })
  .map(({ url, body, part, edits: list, headers, value }) => {
    const { request } = signer.sign({ method: 'POST', url, headers: [['Host', 'h']], body });
    const replace = (name: string) =>
      request.headers.map(([n, v]) => [n, n.toLowerCase() === name ? edit(v, list) : v] as const);
    switch (part) {
      case 'auth':
        return { ...request, headers: replace('x-escher-auth') };
      case 'date':
        return { ...request, headers: replace('x-escher-date') };
      case 'host':
        return { ...request, headers: replace('host') };
      case 'url':
        return { ...request, url: edit(request.url, list) };
      case 'headers':
        return { ...request, headers: headers as HeadersInput };
      case 'method':
        return { ...request, method: value as string };
      case 'body':
        return { ...request, body: value as string };
    }
  });

// -- properties ---------------------------------------------------------------------------

const render = (c: Claims) =>
  `${ALGO_HEAD}${c.hashAlgo} Credential=${c.accessKeyId}/${c.shortDate}/${c.credentialScope}, SignedHeaders=${c.signedHeaders.join(';')}, Signature=${c.signature}`;

describe(parseAuthHeader.name, () => {
  const valid = signer.sign({ method: 'GET', url: '/', headers: [['Host', 'h']] }).authHeader;

  it('never throws, and what it accepts renders back to the same claims', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          anyText,
          edits.map((list) => edit(valid, list)),
        ),
        (value) => {
          const claims = parseAuthHeader(value, ALGO_HEAD);
          if (claims !== undefined)
            expect(parseAuthHeader(render(claims), ALGO_HEAD)).toEqual(claims);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('never throws on the parameters of a pre-signed URL', () => {
    const pair = fc.tuple(
      fc.oneof(
        anyText,
        fc
          .constantFrom('Algorithm', 'Credentials', 'Date', 'Expires', 'SignedHeaders', 'Signature')
          .map((name) => `X-Escher-${name}`),
      ),
      anyText,
    );
    fc.assert(
      fc.property(fc.array(pair, { maxLength: 8 }), (pairs) => {
        parsePresignParams(pairs, 'X-Escher-', ALGO_HEAD);
      }),
      { numRuns: 500 },
    );
  });
});

describe('canonicalisation of arbitrary input', () => {
  it('never throws on any url, header or date text', () => {
    fc.assert(
      fc.property(
        anyText,
        fc.array(fc.tuple(anyText, anyText), { maxLength: 4 }),
        (text, pairs) => {
          const { path, query } = splitUrl(text);
          canonicalPath(path);
          canonicalQuery(parseQuery(query), text);
          canonicalHeaders(pairs, [text, ...pairs.map(([name]) => name.toLowerCase())]);
          normalizeValue(text);
          encodeComponent(text);
          parseDateMs(text);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe(EscherVerifier.name, () => {
  it('throws only EscherErrors for a signed request with a damaged part', () => {
    fc.assert(
      fc.property(damagedRequest, (request) => {
        onlyEscherErrors(() => verifier.authenticate(request, lookup));
      }),
      { numRuns: 1000 },
    );
  });

  it('throws only EscherErrors for arbitrary requests', () => {
    fc.assert(
      fc.property(anyMethod, anyUrl, anyHeaders, anyBody, (method, url, headers, body) => {
        const request = { method, url, headers, body } as EscherRequest;
        onlyEscherErrors(() => verifier.authenticate(request, lookup));
      }),
      { numRuns: 500 },
    );
  });
});

describe(EscherSigner.name, () => {
  it('throws only EscherErrors for arbitrary requests', () => {
    fc.assert(
      fc.property(anyMethod, anyUrl, anyHeaders, anyBody, (method, url, headers, body) => {
        const request = { method, url, headers, body } as EscherRequest;
        onlyEscherErrors(() => signer.sign(request, ['content-type']));
      }),
      { numRuns: 500 },
    );
  });
});

/** Inputs that once threw a TypeError (fast-check counterexamples), kept as fixed cases. */
const SHAPE_SEEDS: [string, unknown, unknown][] = [
  ['null headers', null, undefined],
  ['undefined headers', undefined, undefined],
  ['a pair without a value', [['Host']], undefined],
  ['a null pair', [null], undefined],
  ['pairs of numbers', [[1, 2]], undefined],
  ['a record holding null', { host: null }, undefined],
  ['a record holding a number', { host: 5, 'x-escher-date': '20240101T120000Z' }, undefined],
  ['a number body on a GET', [['Host', 'h']], 5],
  ['an object body on a GET', [['Host', 'h']], { length: 1 }],
];

describe('malformed request seeds', () => {
  it.each(SHAPE_SEEDS)('answers %s with a result or an EscherError', (_what, headers, body) => {
    const request = { method: 'GET', url: '/', headers, body } as EscherRequest;
    onlyEscherErrors(() => verifier.authenticate(request, lookup));
    onlyEscherErrors(() => signer.sign(request));
  });
});
