import { coalesce, type OutboxRow } from './coalesce.js';

const row = (id: number, key: string, value: string | null, bucket = 'b'): OutboxRow => ({
  id,
  bucket,
  key,
  value,
});

describe(coalesce.name, () => {
  it('keeps the latest change of each key, in id order, with every id it supersedes', () => {
    const { latest, ids } = coalesce([
      row(1, 'a', '1'),
      row(2, 'b', '1'),
      row(3, 'a', '2'),
      row(4, 'c', '1'),
      row(5, 'a', null),
    ]);
    expect(latest.map((r) => [r.id, r.key, r.value])).toEqual([
      [2, 'b', '1'],
      [4, 'c', '1'],
      [5, 'a', null],
    ]);
    expect(ids.get('b/a')).toEqual([1, 3, 5]);
    expect(ids.get('b/b')).toEqual([2]);
  });

  it('tells the same key in two buckets apart', () => {
    const { latest } = coalesce([row(1, 'k', '1', 'x'), row(2, 'k', '2', 'y')]);
    expect(latest).toHaveLength(2);
  });

  it('takes the highest id even when rows arrive out of order', () => {
    expect(coalesce([row(9, 'a', 'new'), row(3, 'a', 'old')]).latest).toEqual([row(9, 'a', 'new')]);
  });
});
