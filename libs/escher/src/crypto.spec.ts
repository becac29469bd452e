// The verifier's HMAC (two one-shot hashes over memoised pads) against Node's createHmac, and
// the constant-time signature comparison.
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import type { HashAlgo } from './config.js';
import { hmacHex, signatureMatches } from './crypto.js';

const algoArb = fc.constantFrom<HashAlgo>('SHA256', 'SHA512');
/** Keys shorter than, as long as and longer than both block sizes (64 and 128 bytes). */
const keyArb = fc.oneof(
  fc.uint8Array({ maxLength: 200 }),
  fc
    .constantFrom(32, 64, 128, 129)
    .chain((length) => fc.uint8Array({ minLength: length, maxLength: length })),
);
/** Strings to sign, including non-ASCII, lone surrogates and ones past the scratch buffer. */
const dataArb = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ minLength: 1400, maxLength: 1500 }),
);

const reference = (algo: HashAlgo, key: Uint8Array, data: string): string =>
  createHmac(algo.toLowerCase(), key).update(data).digest('hex');

describe(hmacHex.name, () => {
  it('gives the digest of createHmac, with and without memoised pads', () => {
    fc.assert(
      fc.property(algoArb, keyArb, dataArb, fc.boolean(), (algo, key, data, cacheKey) => {
        expect(hmacHex(algo, key, data, cacheKey)).toBe(reference(algo, key, data));
      }),
      { numRuns: 1000 },
    );
  });

  it('keeps the pads of one key buffer apart per algorithm and across messages', () => {
    const key = Buffer.from('a day key of thirty-two bytes ..');
    for (const data of ['', 'one', 'two', 'é'.repeat(90)]) {
      for (const algo of ['SHA256', 'SHA512', 'SHA256'] as const) {
        expect(hmacHex(algo, key, data, true)).toBe(reference(algo, key, data));
      }
    }
  });
});

describe(signatureMatches.name, () => {
  const expected = reference('SHA256', Buffer.from('key'), 'data');

  it('accepts the same digest, in either hex case', () => {
    expect(signatureMatches(expected, expected)).toBe(true);
    expect(signatureMatches(expected, expected.toUpperCase())).toBe(true);
  });

  it('refuses another digest, a prefix, an extension and text that is not hex', () => {
    const other = reference('SHA256', Buffer.from('key'), 'date');
    expect(signatureMatches(expected, other)).toBe(false);
    expect(signatureMatches(expected, expected.slice(0, -2))).toBe(false);
    expect(signatureMatches(expected, `${expected}00`)).toBe(false);
    expect(signatureMatches(expected, `${expected.slice(0, -1)}g`)).toBe(false);
    expect(signatureMatches(expected, 'z'.repeat(expected.length))).toBe(false);
  });
});
