import { Batcher } from './batcher.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function recorder(options: { maxSize: number; maxWaitMs: number }, flushMs = 0) {
  const batches: number[][] = [];
  let concurrent = 0;
  let maxConcurrent = 0;
  const batcher = new Batcher<number>(options, async (items) => {
    concurrent += 1;
    maxConcurrent = Math.max(maxConcurrent, concurrent);
    await sleep(flushMs);
    batches.push(items);
    concurrent -= 1;
  });
  return { batcher, batches, maxConcurrent: () => maxConcurrent };
}

describe(Batcher.name, () => {
  it('flushes as soon as a batch is full', async () => {
    const { batcher, batches } = recorder({ maxSize: 3, maxWaitMs: 10_000 });
    [1, 2, 3, 4].forEach((n) => batcher.add(n));
    await sleep(5);
    expect(batches).toEqual([[1, 2, 3]]);
    expect(batcher.size).toBe(1);
    await batcher.drain();
    expect(batches).toEqual([[1, 2, 3], [4]]);
  });

  it('flushes a partial batch once its oldest item has waited maxWaitMs', async () => {
    const { batcher, batches } = recorder({ maxSize: 100, maxWaitMs: 30 });
    batcher.add(1);
    batcher.add(2);
    await sleep(10);
    expect(batches).toEqual([]);
    await sleep(60);
    expect(batches).toEqual([[1, 2]]);
  });

  it('runs one flush at a time and batches what arrives meanwhile', async () => {
    const { batcher, batches, maxConcurrent } = recorder({ maxSize: 2, maxWaitMs: 5 }, 20);
    for (let n = 1; n <= 7; n += 1) batcher.add(n);
    await batcher.drain();
    expect(maxConcurrent()).toBe(1);
    expect(batches.flat()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(batches.every((batch) => batch.length <= 2)).toBe(true);
  });

  it('drain resolves at once when nothing is buffered', async () => {
    const { batcher, batches } = recorder({ maxSize: 2, maxWaitMs: 5 });
    await batcher.drain();
    expect(batches).toEqual([]);
  });

  it('reports a failing flush and keeps going', async () => {
    const errors: unknown[] = [];
    const seen: number[][] = [];
    const batcher = new Batcher<number>(
      { maxSize: 1, maxWaitMs: 5 },
      (items) => {
        seen.push(items);
        return items[0] === 1 ? Promise.reject(new Error('boom')) : Promise.resolve();
      },
      (error) => errors.push(error),
    );
    batcher.add(1);
    batcher.add(2);
    await batcher.drain();
    expect(seen).toEqual([[1], [2]]);
    expect(errors).toHaveLength(1);
  });
});
