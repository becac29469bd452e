// Property tests: a secret planted under a sensitive key (any spelling) never survives
// redaction, whatever the body type. Counterexamples go to test/seed-corpus.ts.
import fc from 'fast-check';
import {
  jwt,
  noiseKey,
  sensitiveHeaderName,
  sensitiveKey,
  type Planted,
} from '../test/arbitraries.js';
import { STRUCTURED_BODIES } from '../test/planted-data.js';
import { TEXT_BODIES } from '../test/planted-text.js';
import { isSensitiveKey } from './names.js';
import { redactBody, redactHeaders, redactUrl, redactValue } from './redact.js';
import { redactText } from './text.js';

function redactPlanted(planted: Planted): string {
  switch (planted.kind) {
    case 'url':
      return redactUrl(planted.url);
    case 'headers':
      return JSON.stringify(redactHeaders(planted.headers));
    case 'json':
    case 'truncated-json':
    case 'form':
    case 'text':
    case 'xml':
    case 'multipart':
      return redactBody(planted.contentType, planted.body);
  }
}

const ANY_BODY = { ...STRUCTURED_BODIES, ...TEXT_BODIES };

const shown = (planted: Planted, out: string) => planted.hidden.filter((h) => out.includes(h));

describe('redaction (property)', () => {
  it('spells only keys that isSensitiveKey accepts', () => {
    fc.assert(
      fc.property(sensitiveKey(), (key) => {
        expect(isSensitiveKey(key)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it.each(Object.entries(ANY_BODY))(
    'never lets a planted secret survive in a %s body',
    (_kind, arbitrary: fc.Arbitrary<Planted>) => {
      fc.assert(
        fc.property(arbitrary, (planted) => {
          expect(shown(planted, redactPlanted(planted))).toEqual([]);
        }),
        { numRuns: 400 },
      );
    },
  );

  it('never lets a planted secret survive in any body, and redacting again changes nothing', () => {
    fc.assert(
      fc.property(fc.oneof(...Object.values(ANY_BODY)), (planted) => {
        const once = redactPlanted(planted);
        expect(shown(planted, once)).toEqual([]);
        if (
          planted.kind === 'text' ||
          planted.kind === 'xml' ||
          planted.kind === 'truncated-json'
        ) {
          expect(redactText(once)).toBe(once);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe(`${redactValue.name} (property)`, () => {
  it('never leaves a sensitive value anywhere: under a key, a header name or inside a string', () => {
    const secret = 'S3CR3T-VALUE';
    const planted = fc.oneof(
      sensitiveKey().map((key) => ({ [key]: secret })),
      sensitiveHeaderName.map((name) => ({ headers: { [name]: secret, accept: '*/*' } })),
      fc
        .tuple(noiseKey, sensitiveKey(), fc.constantFrom(': ', '=', ' = '))
        .map(([key, name, sep]) => ({ [key]: `failed with\n${name}${sep}${secret}` })),
      fc.tuple(noiseKey, jwt).map(([key, token]) => ({ [key]: `issued ${token}` })),
    );
    const tree: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        fc.string(),
        fc.integer(),
        fc.array(tie('node'), { maxLength: 3 }),
        fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), tie('node'), { maxKeys: 3 }),
        planted,
      ),
    })).node;
    fc.assert(
      fc.property(tree, (value) => {
        const out = JSON.stringify(redactValue(value));
        expect(out).not.toContain(secret);
        expect(out).not.toMatch(/eyJ[\w-]+\./);
      }),
      { numRuns: 500 },
    );
  });
});
