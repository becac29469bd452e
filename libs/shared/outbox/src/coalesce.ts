/** A pending row of `kv_outbox`. */
export interface OutboxRow {
  readonly id: number;
  readonly bucket: string;
  readonly key: string;
  /** The JSON to put; null deletes the key. */
  readonly value: string | null;
}

export interface Coalesced {
  /** The latest row of each key, in the order of those rows' ids. */
  readonly latest: readonly OutboxRow[];
  /** Every row id of a key (the latest and the ones it supersedes), by `bucket/key`. */
  readonly ids: ReadonlyMap<string, readonly number[]>;
}

export const keyOf = (row: { readonly bucket: string; readonly key: string }): string =>
  `${row.bucket}/${row.key}`;

/**
 * Keeps the latest change of each key: several pending rows of one key are published once, with
 * the newest value, and all of them are marked done together.
 */
export function coalesce(rows: readonly OutboxRow[]): Coalesced {
  const latest = new Map<string, OutboxRow>();
  const ids = new Map<string, number[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const current = latest.get(key);
    if (current === undefined || current.id < row.id) latest.set(key, row);
    const list = ids.get(key);
    if (list) list.push(row.id);
    else ids.set(key, [row.id]);
  }
  return { latest: [...latest.values()].sort((a, b) => a.id - b.id), ids };
}
