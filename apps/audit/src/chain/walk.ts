import type { ChainBreak } from '@loyalty-edge/audit-contracts';
import { chainHash } from './canonical.js';

/** One stored entry as the walk sees it. */
export interface StoredEntry {
  readonly seq: number;
  readonly id: string;
  readonly prevHash: string;
  readonly hash: string;
  /** The canonical content recomputed from the stored fields. */
  readonly canonical: string;
}

/** Where the walk stands: the next position expected and the hash it must follow. */
export interface WalkState {
  next: number;
  previous: string;
  entries: number;
}

/**
 * Checks one entry against the chain so far; returns the break it shows, if any. `followedBy`
 * says whether a later entry of the chain has the given hash (tells reordered from removed).
 */
export async function checkEntry(
  state: WalkState,
  entry: StoredEntry,
  followedBy: (hash: string, after: number) => Promise<boolean>,
  anchor?: { readonly seq: number; readonly hash: string },
): Promise<ChainBreak | null> {
  if (entry.seq > state.next) {
    return {
      kind: 'removed',
      seq: state.next,
      id: null,
      detail: `entries ${state.next}..${entry.seq - 1} are missing before ${entry.id}`,
    };
  }
  if (entry.seq < state.next) {
    return {
      kind: 'reordered',
      seq: entry.seq,
      id: entry.id,
      detail: 'a position holds two entries',
    };
  }
  if (chainHash(entry.prevHash, entry.canonical) !== entry.hash) {
    return {
      kind: 'altered',
      seq: entry.seq,
      id: entry.id,
      detail: 'content does not match its hash',
    };
  }
  if (entry.prevHash !== state.previous) {
    return (await followedBy(entry.prevHash, entry.seq))
      ? {
          kind: 'reordered',
          seq: entry.seq,
          id: entry.id,
          detail: 'the entry it was chained after now comes later',
        }
      : {
          kind: 'removed',
          seq: entry.seq,
          id: entry.id,
          detail: 'the entry it was chained after is missing',
        };
  }
  if (anchor?.seq === entry.seq && anchor.hash !== entry.hash) {
    return {
      kind: 'altered',
      seq: entry.seq,
      id: entry.id,
      detail: 'differs from the signed anchor',
    };
  }
  state.next += 1;
  state.previous = entry.hash;
  state.entries += 1;
  return null;
}

/** After the last entry: the head and the newest anchor must not name more than was found. */
export function checkEnd(
  state: WalkState,
  head: { readonly seq: number; readonly hash: string } | undefined,
  anchor: { readonly seq: number; readonly at: string } | undefined,
): ChainBreak | null {
  const last = state.next - 1;
  if (anchor && anchor.seq > last) {
    return {
      kind: 'truncated',
      seq: last + 1,
      id: null,
      detail: `entries ${last + 1}..${anchor.seq} are missing (signed anchor of ${anchor.at})`,
    };
  }
  if (head && head.seq > last) {
    return {
      kind: 'truncated',
      seq: last + 1,
      id: null,
      detail: `entries ${last + 1}..${head.seq} are missing (chain head)`,
    };
  }
  if (head && head.seq === last && head.hash !== state.previous) {
    return { kind: 'altered', seq: last, id: null, detail: 'the chain head names another hash' };
  }
  return null;
}
