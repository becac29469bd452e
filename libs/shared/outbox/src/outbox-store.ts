import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { keyOf, type OutboxRow } from './coalesce.js';
import type { PublishedRow, QuickState } from './reconcile-plan.js';

/** One change of a key: `value` is the JSON to put, null deletes the key. */
export interface StoredChange {
  readonly bucket: string;
  readonly key: string;
  readonly value: string | null;
}

/** A change the relay wrote to NATS, with the revision NATS gave it. */
export interface PublishedChange extends StoredChange {
  readonly outboxId: number;
  readonly revision: number;
}

export interface Backlog {
  readonly bucket: string;
  readonly depth: number;
  /** Seconds the oldest pending change has waited. */
  readonly ageSeconds: number;
}

/** Rows per statement when copying or comparing whole buckets. */
const CHUNK = 5000;

const chunks = <T>(items: readonly T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};

/** The SQL of the outbox tables (CreateKvOutbox1736000000000) in a service's own schema. */
export class OutboxStore {
  private readonly table: (name: string) => string;
  /** First key of every advisory lock of this schema's outbox. */
  private readonly lockSpace: string;

  constructor(private readonly dataSource: DataSource) {
    const schema = (dataSource.options as { schema?: string }).schema ?? 'public';
    this.table = (name) => `"${schema}".${name}`;
    this.lockSpace = `${schema}.kv_outbox`;
  }

  /**
   * Appends changes in the caller's transaction. A transaction-scoped lock per key (taken in key
   * order, released at commit) makes writers of one key commit one after the other, so the ids
   * of a key's rows follow commit order and the relay never publishes an older value last. A
   * shared lock per bucket, taken first, lets the reconcile hold writers off while it queues
   * repairs (`enqueueRepairs`). With `unlessSame`, a change equal to the key's latest value is
   * left out.
   */
  async append(
    manager: EntityManager,
    changes: readonly StoredChange[],
    unlessSame = false,
  ): Promise<number[]> {
    if (changes.length === 0) return [];
    const buckets = [...new Set(changes.map((change) => change.bucket))].sort();
    const keys = [...new Set(changes.map(keyOf))].sort();
    // one round trip: UNION ALL runs its branches in order (bucket locks, then key locks)
    await manager.query(
      `SELECT pg_advisory_xact_lock_shared(hashtext($1), hashtext(b)) FROM unnest($2::text[]) AS b
       UNION ALL
       SELECT pg_advisory_xact_lock(hashtext($3), hashtext(k)) FROM unnest($4::text[]) AS k`,
      [`${this.lockSpace}.bucket`, buckets, this.lockSpace, keys],
    );
    let wanted = changes;
    if (unlessSame) {
      const kept: StoredChange[] = [];
      for (const change of changes) {
        const rows = await manager.query<{ value: string | null }[]>(
          `SELECT value FROM (
             (SELECT value, 1 AS rank FROM ${this.table('kv_outbox')}
               WHERE bucket = $1 AND key = $2 ORDER BY id DESC LIMIT 1)
             UNION ALL
             (SELECT value, 2 FROM ${this.table('kv_published')} WHERE bucket = $1 AND key = $2)
           ) latest ORDER BY rank LIMIT 1`,
          [change.bucket, change.key],
        );
        const same = rows[0] === undefined ? change.value === null : rows[0].value === change.value;
        if (!same) kept.push(change);
      }
      wanted = kept;
      if (wanted.length === 0) return [];
    }
    const rows = await manager.query<{ id: string }[]>(
      `INSERT INTO ${this.table('kv_outbox')} (bucket, key, value)
       SELECT b, k, v FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS t(b, k, v, n)
       ORDER BY n
       RETURNING id`,
      [wanted.map((c) => c.bucket), wanted.map((c) => c.key), wanted.map((c) => c.value)],
    );
    return rows.map((row) => Number(row.id));
  }

  /**
   * The oldest pending rows after `afterId`, in id order (a drain pages by id: done rows stay in
   * the partial index until vacuum, and reading from the start each time would step over them).
   */
  async pending(limit: number, afterId = 0): Promise<OutboxRow[]> {
    const rows = await this.dataSource.query<
      { id: string; bucket: string; key: string; value: string | null }[]
    >(
      `SELECT id, bucket, key, value FROM ${this.table('kv_outbox')}
       WHERE published_at IS NULL AND id > $2 ORDER BY id LIMIT $1`,
      [limit, afterId],
    );
    return rows.map((row) => ({ ...row, id: Number(row.id) }));
  }

  /** Marks rows done and records, per key, what was published and its revision (one statement). */
  async record(published: readonly PublishedChange[], doneIds: readonly number[]): Promise<void> {
    await this.dataSource.query(
      `WITH done AS (
         UPDATE ${this.table('kv_outbox')} SET published_at = now()
         WHERE id = ANY($1::bigint[]) AND published_at IS NULL
       )
       INSERT INTO ${this.table('kv_published')} AS p (bucket, key, value, outbox_id, revision, published_at)
       SELECT b, k, v, o, r, now()
       FROM unnest($2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[]) AS t(b, k, v, o, r)
       ON CONFLICT (bucket, key) DO UPDATE
         SET value = EXCLUDED.value, outbox_id = EXCLUDED.outbox_id,
             revision = EXCLUDED.revision, published_at = EXCLUDED.published_at
         WHERE p.outbox_id <= EXCLUDED.outbox_id`,
      [
        doneIds,
        published.map((c) => c.bucket),
        published.map((c) => c.key),
        published.map((c) => c.value),
        published.map((c) => c.outboxId),
        published.map((c) => c.revision),
      ],
    );
  }

  /** Pending rows per bucket and the age of the oldest. */
  async backlog(): Promise<Backlog[]> {
    const rows = await this.dataSource.query<{ bucket: string; depth: number; age: number }[]>(
      `SELECT bucket, count(*)::int AS depth,
              extract(epoch FROM clock_timestamp() - min(created_at))::float8 AS age
       FROM ${this.table('kv_outbox')} WHERE published_at IS NULL GROUP BY bucket`,
    );
    return rows.map((row) => ({ bucket: row.bucket, depth: row.depth, ageSeconds: row.age }));
  }

  /** Of these ids, the ones still pending. */
  async stillPending(ids: readonly number[]): Promise<Set<number>> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      `SELECT id FROM ${this.table('kv_outbox')} WHERE id = ANY($1::bigint[]) AND published_at IS NULL`,
      [ids],
    );
    return new Set(rows.map((row) => Number(row.id)));
  }

  /** Drops done rows older than `seconds` (kv_published keeps each key's latest value). */
  async purgeDone(seconds: number): Promise<number> {
    const result = await this.dataSource.query<[unknown[], number]>(
      `DELETE FROM ${this.table('kv_outbox')}
       WHERE published_at IS NOT NULL AND published_at < now() - make_interval(secs => $1)`,
      [seconds],
    );
    return result[1];
  }

  /** Session lock of the relay: one replica of a service publishes at a time. */
  async tryLock(runner: QueryRunner): Promise<boolean> {
    const rows = (await runner.query('SELECT pg_try_advisory_lock(hashtext($1), 0) AS locked', [
      `${this.lockSpace}.relay`,
    ])) as { locked: boolean }[];
    return rows[0]?.locked === true;
  }

  async unlock(runner: QueryRunner): Promise<void> {
    await runner.query('SELECT pg_advisory_unlock(hashtext($1), 0)', [`${this.lockSpace}.relay`]);
  }

  /**
   * First start on an existing database: copies the bucket's records (from the owner's table)
   * into `kv_published` with an unknown revision, once; the reconcile then compares them with the
   * bucket. Keys already recorded are kept (a newer change won). False when done before.
   */
  async backfill(
    bucket: string,
    snapshot: () => Promise<readonly { key: string; value: string }[]>,
  ): Promise<number | false> {
    return this.dataSource.transaction(async (manager) => {
      const claimed = await manager.query<unknown[]>(
        `INSERT INTO ${this.table('kv_backfills')} (bucket) VALUES ($1)
         ON CONFLICT DO NOTHING RETURNING bucket`,
        [bucket],
      );
      if (claimed.length === 0) return false;
      const records = await snapshot();
      for (const chunk of chunks(records, CHUNK)) {
        await manager.query(
          `INSERT INTO ${this.table('kv_published')} (bucket, key, value, outbox_id, revision)
           SELECT $1, k, v, 0, NULL FROM unnest($2::text[], $3::text[]) AS t(k, v)
           ON CONFLICT DO NOTHING`,
          [bucket, chunk.map((r) => r.key), chunk.map((r) => r.value)],
        );
      }
      return records.length;
    });
  }

  /** Whether the bucket's table was copied (reconciling before would delete every key). */
  async backfilled(bucket: string): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>(
      `SELECT 1 FROM ${this.table('kv_backfills')} WHERE bucket = $1`,
      [bucket],
    );
    return rows.length > 0;
  }

  async quickState(bucket: string): Promise<Omit<QuickState, 'messages' | 'lastSeq'>> {
    const rows = await this.dataSource.query<{ recorded: number; unknown: number; last: string }[]>(
      `SELECT count(*) FILTER (WHERE revision IS NOT NULL)::int AS recorded,
              count(*) FILTER (WHERE revision IS NULL)::int AS unknown,
              coalesce(max(revision), 0)::bigint AS last
       FROM ${this.table('kv_published')} WHERE bucket = $1`,
      [bucket],
    );
    const row = rows[0];
    return {
      recorded: row?.recorded ?? 0,
      unknown: row?.unknown ?? 0,
      lastRecorded: Number(row?.last ?? 0),
    };
  }

  /**
   * Every recorded key of the bucket. Values are read only where the revision is unknown (to
   * compare JSON); elsewhere a put reads as '' and a delete as null, which is all the plan needs.
   */
  async published(bucket: string): Promise<PublishedRow[]> {
    const rows = await this.dataSource.query<
      { key: string; revision: string | null; outbox_id: string; value: string | null }[]
    >(
      `SELECT key, revision, outbox_id,
              CASE WHEN revision IS NULL OR value IS NULL THEN value ELSE '' END AS value
       FROM ${this.table('kv_published')} WHERE bucket = $1`,
      [bucket],
    );
    return rows.map((row) => ({
      key: row.key,
      revision: row.revision === null ? null : Number(row.revision),
      outboxId: Number(row.outbox_id),
      value: row.value,
    }));
  }

  async pendingKeys(bucket: string): Promise<Set<string>> {
    const rows = await this.dataSource.query<{ key: string }[]>(
      `SELECT DISTINCT key FROM ${this.table('kv_outbox')} WHERE bucket = $1 AND published_at IS NULL`,
      [bucket],
    );
    return new Set(rows.map((row) => row.key));
  }

  /** Records revisions found in the bucket for rows still as read (same outbox id). */
  async adopt(
    bucket: string,
    found: readonly { key: string; revision: number; outboxId: number }[],
  ): Promise<void> {
    for (const chunk of chunks(found, CHUNK)) {
      await this.dataSource.query(
        `UPDATE ${this.table('kv_published')} p SET revision = t.r
         FROM unnest($2::text[], $3::bigint[], $4::bigint[]) AS t(k, r, o)
         WHERE p.bucket = $1 AND p.key = t.k AND p.outbox_id = t.o`,
        [
          bucket,
          chunk.map((f) => f.key),
          chunk.map((f) => f.revision),
          chunk.map((f) => f.outboxId),
        ],
      );
    }
  }

  /** Delete markers of keys never recorded here, and rows of deleted keys whose marker is gone. */
  async alignMarkers(
    bucket: string,
    markers: readonly { key: string; revision: number }[],
    forget: readonly { key: string; outboxId: number }[],
  ): Promise<void> {
    for (const chunk of chunks(markers, CHUNK)) {
      await this.dataSource.query(
        `INSERT INTO ${this.table('kv_published')} (bucket, key, value, outbox_id, revision)
         SELECT $1, k, NULL, 0, r FROM unnest($2::text[], $3::bigint[]) AS t(k, r)
         ON CONFLICT DO NOTHING`,
        [bucket, chunk.map((m) => m.key), chunk.map((m) => m.revision)],
      );
    }
    for (const chunk of chunks(forget, CHUNK)) {
      await this.dataSource.query(
        `DELETE FROM ${this.table('kv_published')} p
         USING unnest($2::text[], $3::bigint[]) AS t(k, o)
         WHERE p.bucket = $1 AND p.key = t.k AND p.outbox_id = t.o AND p.value IS NULL`,
        [bucket, chunk.map((f) => f.key), chunk.map((f) => f.outboxId)],
      );
    }
  }

  /**
   * Queues repairs through the outbox, holding the bucket's lock against every writer (they take
   * it shared), so no change of a key can be in flight: a key is written again from
   * `kv_published` only if that row is still the one compared (no change since) and no change of
   * it is pending; a key nobody published is deleted under the same conditions. Returns how many
   * rows were queued.
   */
  async enqueueRepairs(
    bucket: string,
    repair: readonly { key: string; outboxId: number }[],
    extra: readonly string[],
  ): Promise<number> {
    let queued = 0;
    const work = [
      ...repair.map((r): { key: string; outboxId: number | null } => r),
      ...extra.map((key) => ({ key, outboxId: null })),
    ];
    for (const chunk of chunks(work, CHUNK)) {
      queued += await this.dataSource.transaction(async (manager) => {
        await manager.query('SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))', [
          `${this.lockSpace}.bucket`,
          bucket,
        ]);
        const fixes = chunk.filter((w) => w.outboxId !== null);
        const ghosts = chunk.filter((w) => w.outboxId === null).map((w) => w.key);
        const pendingOf = (alias: string): string =>
          `NOT EXISTS (SELECT 1 FROM ${this.table('kv_outbox')} x
                        WHERE x.bucket = $1 AND x.key = ${alias} AND x.published_at IS NULL)`;
        const fixed = await manager.query<unknown[]>(
          `INSERT INTO ${this.table('kv_outbox')} (bucket, key, value)
           SELECT p.bucket, p.key, p.value
           FROM unnest($2::text[], $3::bigint[]) WITH ORDINALITY AS t(k, o, n)
           JOIN ${this.table('kv_published')} p ON p.bucket = $1 AND p.key = t.k AND p.outbox_id = t.o
           WHERE ${pendingOf('t.k')}
           ORDER BY t.n
           RETURNING id`,
          [bucket, fixes.map((w) => w.key), fixes.map((w) => w.outboxId)],
        );
        const removed = await manager.query<unknown[]>(
          `INSERT INTO ${this.table('kv_outbox')} (bucket, key, value)
           SELECT $1, k, NULL FROM unnest($2::text[]) AS k
           WHERE NOT EXISTS (SELECT 1 FROM ${this.table('kv_published')} p
                              WHERE p.bucket = $1 AND p.key = k)
             AND ${pendingOf('k')}
           RETURNING id`,
          [bucket, ghosts],
        );
        return fixed.length + removed.length;
      });
    }
    return queued;
  }
}
