import { chainHash, GENESIS_HASH } from './canonical.js';
import { checkEnd, checkEntry, type StoredEntry, type WalkState } from './walk.js';

/** A chain of `n` intact entries (content `c<seq>`). */
function chain(n: number): StoredEntry[] {
  const entries: StoredEntry[] = [];
  let previous = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq += 1) {
    const canonical = `c${seq}`;
    const hash = chainHash(previous, canonical);
    entries.push({ seq, id: `e${seq}`, prevHash: previous, hash, canonical });
    previous = hash;
  }
  return entries;
}

async function walk(entries: readonly StoredEntry[], head?: { seq: number; hash: string }) {
  const state: WalkState = { next: 1, previous: GENESIS_HASH, entries: 0 };
  const followedBy = (hash: string, after: number): Promise<boolean> =>
    Promise.resolve(entries.some((e) => e.seq > after && e.hash === hash));
  for (const entry of entries) {
    const broken = await checkEntry(state, entry, followedBy);
    if (broken) return broken;
  }
  return checkEnd(state, head, undefined) ?? { ok: state.entries };
}

describe(checkEntry.name, () => {
  it('accepts an intact chain', async () => {
    expect(await walk(chain(5))).toEqual({ ok: 5 });
  });

  it('finds an altered entry', async () => {
    const entries = chain(5);
    entries[2] = { ...entries[2]!, canonical: 'changed' };
    expect(await walk(entries)).toMatchObject({ kind: 'altered', seq: 3, id: 'e3' });
  });

  it('finds a removed entry by the gap it leaves', async () => {
    const entries = chain(5).filter((e) => e.seq !== 3);
    expect(await walk(entries)).toMatchObject({ kind: 'removed', seq: 3, id: null });
  });

  it('finds a removed entry when the later ones were renumbered', async () => {
    const entries = chain(5)
      .filter((e) => e.seq !== 3)
      .map((e) => (e.seq > 3 ? { ...e, seq: e.seq - 1 } : e));
    expect(await walk(entries)).toMatchObject({ kind: 'removed', seq: 3, id: 'e4' });
  });

  it('finds two swapped entries', async () => {
    const [a, b, c, d] = chain(4);
    const entries = [a!, { ...c!, seq: 2 }, { ...b!, seq: 3 }, d!];
    expect(await walk(entries)).toMatchObject({ kind: 'reordered', seq: 2, id: 'e3' });
  });
});

describe(checkEnd.name, () => {
  it('finds the newest entries missing by the head', async () => {
    const entries = chain(5);
    const head = { seq: 5, hash: entries[4]!.hash };
    expect(await walk(entries.slice(0, 3), head)).toMatchObject({ kind: 'truncated', seq: 4 });
  });

  it('finds them by a signed anchor when the head was moved back too', () => {
    const state: WalkState = { next: 4, previous: 'h3', entries: 3 };
    expect(
      checkEnd(state, { seq: 3, hash: 'h3' }, { seq: 5, at: '2024-01-01T00:00:00.000Z' }),
    ).toMatchObject({ kind: 'truncated', seq: 4 });
  });
});
