import fc from 'fast-check';
import { canonicalEntry, chainHash, GENESIS_HASH, stableJson } from './canonical.js';
import { CHAIN_LOGS, fieldsOf } from './chain-logs.js';

describe(stableJson.name, () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(stableJson({ b: 1, a: { d: [1, { z: null, y: 'x' }], c: undefined } })).toBe(
      '{"a":{"d":[1,{"y":"x","z":null}]},"b":1}',
    );
  });

  it('gives the same text whatever the key order', () => {
    expect(stableJson({ x: 1, y: { a: 2, b: 3 } })).toBe(stableJson({ y: { b: 3, a: 2 }, x: 1 }));
  });

  it('gives the text of the first implementation, so stored chains keep verifying', () => {
    // the text entries were hashed with when chains began, written the straightforward way
    const reference = (value: unknown): string => {
      if (value === null || typeof value !== 'object') {
        return value === undefined ? 'null' : JSON.stringify(value);
      }
      if (Array.isArray(value)) {
        return `[${value.map((item: unknown) => (item === undefined ? 'null' : reference(item))).join(',')}]`;
      }
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, item]) => item !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${reference(item)}`).join(',')}}`;
    };
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(stableJson(value)).toBe(reference(value));
      }),
    );
  });

  it('writes dates as ISO 8601 and undefined array items as null', () => {
    expect(stableJson([new Date('2024-01-02T03:04:05.006Z'), undefined])).toBe(
      '["2024-01-02T03:04:05.006Z",null]',
    );
  });
});

describe(chainHash.name, () => {
  const content = canonicalEntry('changes', 'ws-a', { id: 'e1', at: '2024-01-01T00:00:00.000Z' });

  it('depends on the previous hash and on the content', () => {
    const first = chainHash(GENESIS_HASH, content);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(chainHash(first, content)).not.toBe(first);
    expect(chainHash(GENESIS_HASH, canonicalEntry('changes', 'ws-b', { id: 'e1' }))).not.toBe(
      first,
    );
  });

  it('names the log: the same fields in another log hash differently', () => {
    const other = canonicalEntry('tokens', 'ws-a', { id: 'e1', at: '2024-01-01T00:00:00.000Z' });
    expect(chainHash(GENESIS_HASH, other)).not.toBe(chainHash(GENESIS_HASH, content));
  });
});

describe(fieldsOf.name, () => {
  const changes = CHAIN_LOGS.find((log) => log.name === 'changes')!;
  const values = (before: unknown, at: unknown): unknown[] =>
    changes.columns.map((column) =>
      column === 'before' ? before : column === 'at' ? at : column === 'id' ? 'e1' : null,
    );

  it('reads written JSON text and stored jsonb alike', () => {
    const written = fieldsOf(changes, values('{"b":1,"a":[1,2]}', '2024-01-01T00:00:00.000Z'));
    const stored = fieldsOf(changes, values({ a: [1, 2], b: 1 }, new Date('2024-01-01T00:00:00Z')));
    expect(stableJson(written)).toBe(stableJson(stored));
  });
});
