/** What the bucket holds for a key (its last entry), read with or without the value. */
export interface BucketEntry {
  readonly revision: number;
  /** A delete or purge marker. */
  readonly deleted: boolean;
  /** The JSON, when the scan read values (only for keys published with an unknown revision). */
  readonly value?: string | undefined;
}

/** A row of `kv_published`: what this service last wrote to the key. */
export interface PublishedRow {
  readonly key: string;
  /** The bucket revision the put or delete returned; null when back-filled and not yet seen. */
  readonly revision: number | null;
  /** null: the key was deleted. */
  readonly value: string | null;
  /** The outbox row it came from; 0 when back-filled from the table at first start. */
  readonly outboxId: number;
}

export interface ReconcilePlan {
  /** Keys whose bucket entry is this service's (value equal, revision unknown or moved): record it. */
  readonly adopt: readonly { key: string; revision: number; outboxId: number }[];
  /** Delete markers this service has no row for: recorded, so the bucket and table stay counted alike. */
  readonly markers: readonly { key: string; revision: number }[];
  /** Deleted keys whose marker is gone from the bucket: the row is dropped. */
  readonly forget: readonly { key: string; outboxId: number }[];
  /** Keys to write again from `kv_published` (a put, or a delete for a deleted key). */
  readonly repair: readonly { key: string; outboxId: number }[];
  /** Keys in the bucket this service never wrote: deleted. */
  readonly extra: readonly string[];
  /** Keys found equal. */
  readonly equal: number;
}

/**
 * Compares the bucket with what this service published, key by key, by revision: a key whose
 * bucket revision is the one its put returned is equal and left alone. Keys with a pending change
 * are skipped (the relay is about to write them). A back-filled key (revision unknown) is equal
 * when the bucket holds the same JSON.
 */
export function planReconcile(
  entries: ReadonlyMap<string, BucketEntry>,
  rows: readonly PublishedRow[],
  pending: ReadonlySet<string>,
): ReconcilePlan {
  const adopt: { key: string; revision: number; outboxId: number }[] = [];
  const markers: { key: string; revision: number }[] = [];
  const forget: { key: string; outboxId: number }[] = [];
  const repair: { key: string; outboxId: number }[] = [];
  const extra: string[] = [];
  const known = new Set<string>();
  let equal = 0;
  for (const row of rows) {
    known.add(row.key);
    if (pending.has(row.key)) continue;
    const entry = entries.get(row.key);
    const live = entry !== undefined && !entry.deleted;
    if (row.value === null) {
      if (live) repair.push({ key: row.key, outboxId: row.outboxId });
      else if (entry === undefined) forget.push({ key: row.key, outboxId: row.outboxId });
      else if (entry.revision !== row.revision) {
        adopt.push({ key: row.key, revision: entry.revision, outboxId: row.outboxId });
      } else equal += 1;
    } else if (!live) {
      repair.push({ key: row.key, outboxId: row.outboxId });
    } else if (row.revision === null) {
      if (entry.value === row.value) {
        adopt.push({ key: row.key, revision: entry.revision, outboxId: row.outboxId });
      } else repair.push({ key: row.key, outboxId: row.outboxId });
    } else if (entry.revision !== row.revision) {
      repair.push({ key: row.key, outboxId: row.outboxId });
    } else equal += 1;
  }
  for (const [key, entry] of entries) {
    if (known.has(key) || pending.has(key)) continue;
    if (entry.deleted) markers.push({ key, revision: entry.revision });
    else extra.push(key);
  }
  return { adopt, markers, forget, repair, extra, equal };
}

/** The bucket's stream state next to what this service recorded of it. */
export interface QuickState {
  readonly messages: number;
  readonly lastSeq: number;
  /** Rows of `kv_published` with a known revision, and their highest revision. */
  readonly recorded: number;
  readonly lastRecorded: number;
  /** Back-filled rows not yet compared with the bucket. */
  readonly unknown: number;
}

/**
 * True when the bucket cannot differ from what was published: as many entries (delete markers
 * included) as recorded keys, and its last write is the last one recorded. Any put, delete or
 * purge by someone else moves the stream's last sequence or its message count.
 */
export function unchangedSincePublished(state: QuickState): boolean {
  return (
    state.unknown === 0 && state.messages === state.recorded && state.lastSeq === state.lastRecorded
  );
}
