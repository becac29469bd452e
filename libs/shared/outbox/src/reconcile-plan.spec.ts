import {
  planReconcile,
  unchangedSincePublished,
  type BucketEntry,
  type PublishedRow,
} from './reconcile-plan.js';

const put = (revision: number, value?: string): BucketEntry => ({
  revision,
  deleted: false,
  value,
});
const marker = (revision: number): BucketEntry => ({ revision, deleted: true });
const row = (
  key: string,
  revision: number | null,
  value: string | null = '{}',
  outboxId = 1,
): PublishedRow => ({ key, revision, value, outboxId });

describe(planReconcile.name, () => {
  it('leaves keys at their published revision alone', () => {
    const plan = planReconcile(
      new Map([
        ['a', put(1)],
        ['b', put(2)],
      ]),
      [row('a', 1), row('b', 2)],
      new Set(),
    );
    expect(plan).toMatchObject({ equal: 2, repair: [], extra: [], adopt: [] });
  });

  it('repairs a key that is missing, deleted, or at another revision', () => {
    const plan = planReconcile(
      new Map([
        ['deleted', marker(7)],
        ['altered', put(9)],
      ]),
      [row('missing', 1, '{}', 11), row('deleted', 2, '{}', 12), row('altered', 3, '{}', 13)],
      new Set(),
    );
    expect(plan.repair).toEqual([
      { key: 'missing', outboxId: 11 },
      { key: 'deleted', outboxId: 12 },
      { key: 'altered', outboxId: 13 },
    ]);
  });

  it('deletes keys nobody published, and deletes again a deleted key that came back', () => {
    const plan = planReconcile(
      new Map([
        ['ghost', put(4)],
        ['gone', put(5)],
      ]),
      [row('gone', 3, null, 8)],
      new Set(),
    );
    expect(plan.extra).toEqual(['ghost']);
    expect(plan.repair).toEqual([{ key: 'gone', outboxId: 8 }]);
  });

  it('skips keys with a pending change', () => {
    const plan = planReconcile(
      new Map([['ghost', put(4)]]),
      [row('a', 1)],
      new Set(['a', 'ghost']),
    );
    expect(plan).toMatchObject({ repair: [], extra: [], equal: 0 });
  });

  it('adopts a back-filled key the bucket already holds, repairs one it holds differently', () => {
    const plan = planReconcile(
      new Map([
        ['same', put(4, '{"x":1}')],
        ['other', put(5, '{"x":1}')],
      ]),
      [row('same', null, '{"x":1}', 0), row('other', null, '{"x":2}', 0)],
      new Set(),
    );
    expect(plan.adopt).toEqual([{ key: 'same', revision: 4, outboxId: 0 }]);
    expect(plan.repair).toEqual([{ key: 'other', outboxId: 0 }]);
  });

  it('keeps delete markers counted: records unknown ones, forgets vanished ones', () => {
    const plan = planReconcile(
      new Map([
        ['old', marker(3)],
        ['moved', marker(9)],
      ]),
      [row('vanished', 2, null, 4), row('moved', 6, null, 5)],
      new Set(),
    );
    expect(plan.markers).toEqual([{ key: 'old', revision: 3 }]);
    expect(plan.forget).toEqual([{ key: 'vanished', outboxId: 4 }]);
    expect(plan.adopt).toEqual([{ key: 'moved', revision: 9, outboxId: 5 }]);
  });
});

describe(unchangedSincePublished.name, () => {
  const same = { messages: 3, lastSeq: 10, recorded: 3, lastRecorded: 10, unknown: 0 };

  it('is true only when counts and the last sequence match and nothing is unknown', () => {
    expect(unchangedSincePublished(same)).toBe(true);
    expect(unchangedSincePublished({ ...same, lastSeq: 11 })).toBe(false);
    expect(unchangedSincePublished({ ...same, messages: 2 })).toBe(false);
    expect(unchangedSincePublished({ ...same, unknown: 1 })).toBe(false);
  });

  it('holds for an empty bucket and an empty table', () => {
    expect(
      unchangedSincePublished({
        messages: 0,
        lastSeq: 0,
        recorded: 0,
        lastRecorded: 0,
        unknown: 0,
      }),
    ).toBe(true);
  });
});
