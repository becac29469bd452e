// Property tests: sign → verify round trips, header reordering, tamper detection (one character
// or a structural change), derived keys = secrets.
import fc from 'fast-check';
import {
  accessKeyIdArb,
  bodyArb,
  dateArb,
  extraHeaders,
  methodArb,
  paramsArb,
  plainHeaderValue,
  secretArb,
  urlArb,
} from '../test/arbitraries.js';
import { CHANGES, reorder, reshape, restructure } from '../test/mutations.js';
import { PARTS, tamper } from '../test/tamper.js';
import type { EscherParams } from './config.js';
import { deriveSigningKey } from './crypto.js';
import { toLongDate, toRfc1123, toShortDate } from './dates.js';
import { EscherError } from './errors.js';
import type { HeaderPair } from './headers.js';
import { EscherSigner } from './signer.js';
import { EscherVerifier } from './verifier.js';

interface Input {
  readonly params: EscherParams;
  readonly accessKeyId: string;
  readonly secret: string;
  readonly method: string;
  readonly url: string;
  readonly headers: readonly HeaderPair[];
  readonly body: string | Uint8Array;
  readonly date: Date;
  /** Verifier clock minus signing time, in seconds (within the default 300 s skew). */
  readonly drift: number;
}

const inputArb = (plain = false): fc.Arbitrary<Input> =>
  fc.record({
    params: paramsArb,
    accessKeyId: accessKeyIdArb,
    secret: secretArb,
    method: methodArb,
    url: urlArb(plain),
    headers: extraHeaders(plain),
    body: bodyArb,
    date: dateArb,
    drift: fc.integer({ min: -299, max: 299 }),
  });

function sign(input: Input) {
  const signer = new EscherSigner({
    ...input.params,
    accessKeyId: input.accessKeyId,
    key: { secret: input.secret },
    now: () => input.date,
  });
  const request = {
    method: input.method,
    url: input.url,
    headers: [['Host', 'api.example.com'] as const, ...input.headers],
    body: input.body,
  };
  return signer.sign(
    request,
    input.headers.map(([name]) => name),
  ).request;
}

function verifierOf(input: Input): EscherVerifier {
  const now = new Date(input.date.getTime() + input.drift * 1000);
  return new EscherVerifier({ ...input.params, now: () => now });
}

const bySecret = (input: Input) => (id: string) =>
  id === input.accessKeyId ? { secret: input.secret } : undefined;

/** Regression seeds (fixed inputs that once failed or that exercise a corner of the rules). */
const SEEDS: Input[] = [
  {
    params: {
      algoPrefix: 'ANTAVO',
      vendorKey: 'Antavo',
      authHeaderName: 'Authorization',
      dateHeaderName: 'Date',
      credentialScope: 'eu/api/antavo_request',
    },
    accessKeyId: 'k1',
    secret: 's',
    method: 'post',
    url: '/v1/events?b=2&a=%E9&a=é&+=+',
    headers: [
      ['Content-Type', 'application/json;  charset="utf  8"'],
      ['X-Zoo', 'a'],
      ['x-zoo', ' b '],
    ],
    body: '{"customer":"ü"}',
    date: new Date('2024-02-29T23:59:59Z'),
    drift: -299,
  },
  {
    params: { hashAlgo: 'SHA512' },
    accessKeyId: 'k-2_',
    secret: 'x',
    method: 'GET',
    url: '/users/a@b.com/./{x}/../%zz#frag?q=#',
    headers: [],
    body: new Uint8Array([0xff, 0xfe, 0x00]),
    date: new Date('2000-01-01T00:00:00Z'),
    drift: 299,
  },
  {
    params: {},
    accessKeyId: 'k',
    secret: 'secret with spaces',
    method: 'DELETE',
    url: '//a\\b\\c?&&=&x',
    headers: [['A', '\t']],
    body: '',
    date: new Date('2099-12-31T23:59:59Z'),
    drift: 0,
  },
];

describe(EscherVerifier.name, () => {
  it('accepts every request the signer signed', () => {
    fc.assert(
      fc.property(inputArb(), (input) => {
        expect(verifierOf(input).authenticate(sign(input), bySecret(input))).toBe(
          input.accessKeyId,
        );
      }),
      { numRuns: 500 },
    );
  });

  it.each(SEEDS)('accepts the signed seed request for $url', (input) => {
    expect(verifierOf(input).authenticate(sign(input), bySecret(input))).toBe(input.accessKeyId);
  });

  it('rejects a request whose signed parts changed by one character', () => {
    fc.assert(
      fc.property(inputArb(true), fc.constantFrom(...PARTS), fc.nat(), (input, part, pick) => {
        const dateHeader = input.params.dateHeaderName ?? 'X-Escher-Date';
        const tampered = tamper(sign(input), part, pick, dateHeader);
        fc.pre(tampered !== undefined);
        expect(() => verifierOf(input).authenticate(tampered, bySecret(input))).toThrow(
          EscherError,
        );
      }),
      { numRuns: 700 },
    );
  });

  it('accepts a signed request after any reordering of its headers, in any shape', () => {
    // sort keys → a permutation; same-name headers keep their order (Escher joins them in order)
    const order = fc.array(fc.nat(), { minLength: 8, maxLength: 8 });
    const unsigned = fc.array(
      fc.tuple(fc.constantFrom('X-Unsigned', 'user-agent'), plainHeaderValue),
      {
        maxLength: 2,
      },
    );
    const shape = fc.constantFrom('pairs' as const, 'flat' as const, 'record' as const);
    fc.assert(
      fc.property(
        inputArb(),
        order,
        unsigned,
        shape,
        fc.boolean(),
        (input, keys, extra, form, upper) => {
          const signed = sign(input);
          const permutation = signed.headers
            .map((_, i) => i)
            .sort((a, b) => (keys[a] ?? 0) - (keys[b] ?? 0) || a - b);
          const headers = [...reorder(signed.headers, permutation), ...extra].map(
            ([name, value]) => [upper ? name.toUpperCase() : name, value] as const,
          );
          const request = { ...signed, headers: reshape(headers, form) };
          expect(verifierOf(input).authenticate(request, bySecret(input))).toBe(input.accessKeyId);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('rejects a request whose repeated signed header changed order', () => {
    fc.assert(
      fc.property(inputArb(true), (plain) => {
        const input = {
          ...plain,
          headers: [...plain.headers, ['X-Rep', 'first'], ['x-rep', 'second']] as const,
        };
        const signed = sign(input);
        const swapped = signed.headers.map(([name, value]) =>
          name.toLowerCase() === 'x-rep'
            ? ([name, value === 'first' ? 'second' : 'first'] as const)
            : ([name, value] as const),
        );
        expect(() =>
          verifierOf(input).authenticate({ ...signed, headers: swapped }, bySecret(input)),
        ).toThrow(EscherError);
      }),
      { numRuns: 200 },
    );
  });

  it('rejects a request after a structural change to a signed part', () => {
    fc.assert(
      fc.property(inputArb(), fc.constantFrom(...CHANGES), fc.nat(), (input, change, pick) => {
        const dateHeader = (input.params.dateHeaderName ?? 'X-Escher-Date').toLowerCase();
        const dateOf = (offset: number) => {
          const date = new Date(input.date.getTime() + offset * 1000);
          return dateHeader === 'date' ? toRfc1123(date) : toLongDate(date);
        };
        const names = ['host', dateHeader, ...input.headers.map(([name]) => name.toLowerCase())];
        const signed = sign(input);
        const changed = restructure(signed, change, pick, names, dateOf, dateHeader);
        fc.pre(changed !== undefined);
        const verifier = verifierOf(input);
        let toSign: string;
        try {
          toSign = verifier.prepare(changed).stringToSign;
        } catch (error) {
          expect(error).toBeInstanceOf(EscherError);
          return;
        }
        // the change reached what is signed, and the signature no longer matches
        expect(toSign).not.toBe(verifier.prepare(signed).stringToSign);
        expect(() => verifier.authenticate(changed, bySecret(input))).toThrow(EscherError);
      }),
      { numRuns: 700 },
    );
  });

  it('verifies the same with a derived signing key as with the secret', () => {
    fc.assert(
      fc.property(inputArb(), (input) => {
        const { algoPrefix = 'ESR', credentialScope = 'escher_request' } = input.params;
        const signed = sign(input);
        const derived = (id: string, shortDate: string, hashAlgo: 'SHA256' | 'SHA512') =>
          id === input.accessKeyId
            ? {
                signingKey: deriveSigningKey(
                  input.secret,
                  algoPrefix,
                  hashAlgo,
                  shortDate,
                  credentialScope,
                ),
              }
            : undefined;
        const verifier = verifierOf(input);
        expect(verifier.authenticate(signed, derived)).toBe(
          verifier.authenticate(signed, bySecret(input)),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('signs the same with a derived signing key as with the secret', () => {
    fc.assert(
      fc.property(inputArb(), (input) => {
        const {
          algoPrefix = 'ESR',
          hashAlgo = 'SHA256',
          credentialScope = 'escher_request',
        } = input.params;
        const shortDate = toShortDate(input.date);
        const signingKey = deriveSigningKey(
          input.secret,
          algoPrefix,
          hashAlgo,
          shortDate,
          credentialScope,
        );
        const base = { ...input.params, accessKeyId: input.accessKeyId, now: () => input.date };
        const request = { method: input.method, url: input.url, headers: [], body: input.body };
        const withKey = new EscherSigner({ ...base, key: { signingKey } }).sign(request);
        const withSecret = new EscherSigner({ ...base, key: { secret: input.secret } }).sign(
          request,
        );
        expect(withKey.authHeader).toBe(withSecret.authHeader);
      }),
      { numRuns: 100 },
    );
  });
});
