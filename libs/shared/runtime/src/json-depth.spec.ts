import { nestedDeeperThan } from './json-depth.js';

const arrays = (depth: number): unknown => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`);
const objects = (depth: number): unknown =>
  JSON.parse(`${'{"a":'.repeat(depth - 1)}{}${'}'.repeat(depth - 1)}`);

describe(nestedDeeperThan.name, () => {
  it('counts every object and array as one level', () => {
    expect(nestedDeeperThan({}, 1)).toBe(false);
    expect(nestedDeeperThan({ a: [] }, 1)).toBe(true);
    expect(nestedDeeperThan({ a: [] }, 2)).toBe(false);
    expect(nestedDeeperThan([1, 'x', null, true], 1)).toBe(false);
  });

  it('lets scalars and bodies at the limit through', () => {
    for (const value of [undefined, null, 'text', 42])
      expect(nestedDeeperThan(value, 1)).toBe(false);
    expect(nestedDeeperThan(arrays(32), 32)).toBe(false);
    expect(nestedDeeperThan(objects(32), 32)).toBe(false);
    expect(nestedDeeperThan(arrays(33), 32)).toBe(true);
    expect(nestedDeeperThan(objects(33), 32)).toBe(true);
  });

  it('finds a deep branch beside shallow ones', () => {
    const body = { a: 1, b: [{ c: 'x' }], d: { e: arrays(30) } };
    expect(nestedDeeperThan(body, 32)).toBe(false);
    expect(nestedDeeperThan({ ...body, f: [arrays(31)] }, 32)).toBe(true);
  });

  it('walks 100,000 levels without overflowing the stack', () => {
    expect(nestedDeeperThan(arrays(100_000), 32)).toBe(true);
    expect(nestedDeeperThan(objects(100_000), 100_000)).toBe(false);
  });
});
