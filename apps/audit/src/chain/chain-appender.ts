import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { RecordType } from '../ingest/audit-record.js';
import { ChainHeadEntity } from '../store/chain-head.entity.js';
import { canonicalEntry, chainHash, GENESIS_HASH } from './canonical.js';
import {
  CHAIN_LOGS,
  chainKeyOf,
  fieldsOf,
  rowOf,
  type ChainedRecord,
  type ChainLog,
} from './chain-logs.js';

interface Pending {
  readonly log: ChainLog;
  readonly key: string;
  readonly id: string;
  readonly at: string;
  readonly row: unknown[];
}

interface Head {
  seq: number;
  hash: string;
}

/**
 * A batch's inserts into ids that were free when checked came back short: a concurrent writer
 * stored one of them meanwhile. Nothing is kept (the transaction rolls back) and the writer
 * retries the batch, when the id is known and skipped: a chain never gets a gap.
 */
export class ChainRaceError extends Error {
  readonly code = 'chain_race';
}

/** JSON text per insert parameter at most: PostgreSQL takes up to 1 GB per value. */
const JSON_PER_PARAMETER = 64 * 1024 * 1024;

const compare = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);

const byKey = (a: readonly string[], b: readonly string[]): number => {
  for (let i = 0; i < a.length; i += 1) {
    const [x = '', y = ''] = [a[i], b[i]];
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
};

const headKey = (log: string, workspace: string): string => `${log}\n${workspace}`;

/**
 * Appends a batch's entries to their hash chains inside the batch's transaction, in two
 * statements: the first creates missing heads and locks every head the batch touches (sorted by
 * log and workspace, so concurrent writers never deadlock) and reads which event ids are stored
 * already (skipped before any position is given out, so a redelivery leaves no gap); the entries
 * then get their positions, previous hashes and own hashes here, and the second statement
 * inserts them and moves the heads.
 */
@Injectable()
export class ChainAppender {
  constructor(private readonly dataSource: DataSource) {}

  async append(
    manager: EntityManager,
    records: readonly ChainedRecord[],
  ): Promise<Map<RecordType, number>> {
    const written = new Map<RecordType, number>();
    const pending: Pending[] = [];
    for (const log of CHAIN_LOGS) {
      written.set(log.type, 0);
      const seen = new Set<string>();
      for (const record of records) {
        // the first of each id (a batch can hold a redelivery of its own message)
        if (record.type !== log.type || seen.has(record.event.id)) continue;
        seen.add(record.event.id);
        const row = rowOf(record);
        const key = chainKeyOf(record.event.workspaceId);
        pending.push({ log, key, id: record.event.id, at: row[2] as string, row });
      }
    }
    if (pending.length === 0) return written;

    const { heads, known } = await this.lockHeads(manager, pending);
    const fresh = pending.filter((p) => !known.has(headKey(p.log.name, p.id)));
    // within a chain, in the order the events occurred
    fresh.sort(
      (a, b) =>
        compare(a.log.name, b.log.name) ||
        compare(a.key, b.key) ||
        compare(a.at, b.at) ||
        compare(a.id, b.id),
    );
    const rows = new Map<ChainLog, Record<string, unknown>[]>();
    for (const entry of fresh) {
      const head = heads.get(headKey(entry.log.name, entry.key));
      if (!head) throw new Error('chain head not locked');
      const fields = fieldsOf(entry.log, entry.row);
      const hash = chainHash(head.hash, canonicalEntry(entry.log.name, entry.key, fields));
      head.seq += 1;
      const list = rows.get(entry.log) ?? [];
      // the fields as stored: jsonb columns as structures, `at` as ISO 8601
      list.push({ ...fields, seq: head.seq, prev_hash: head.hash, hash });
      rows.set(entry.log, list);
      head.hash = hash;
    }
    const moved = new Set(fresh.map((e) => headKey(e.log.name, e.key)));
    const inserted = await this.store(manager, rows, heads, moved);
    for (const [log, list] of rows) {
      if (inserted.get(log) !== list.length) {
        throw new ChainRaceError('an event id was stored meanwhile');
      }
      written.set(log.type, list.length);
    }
    return written;
  }

  /**
   * One statement: creates missing heads and locks every head the batch touches, in one stable
   * order (an upsert that leaves the row as it is: it locks like SELECT … FOR UPDATE and also
   * returns the heads it just created), and reads the batch's event ids already stored.
   */
  private async lockHeads(
    manager: EntityManager,
    pending: readonly Pending[],
  ): Promise<{ heads: Map<string, Head>; known: Set<string> }> {
    const table = this.dataSource.getMetadata(ChainHeadEntity).tablePath;
    const keys = [...new Set(pending.map((p) => headKey(p.log.name, p.key)))]
      .map((key) => key.split('\n') as [string, string])
      .sort(byKey);
    const params: unknown[] = [keys.map(([log]) => log), keys.map(([, ws]) => ws), GENESIS_HASH];
    const knownSelects = CHAIN_LOGS.flatMap((log) => {
      const ids = pending.filter((p) => p.log === log).map((p) => p.id);
      if (ids.length === 0) return [];
      params.push(log.name, ids);
      const logTable = this.dataSource.getMetadata(log.entity).tablePath;
      return [
        `SELECT 'known', $${params.length - 1}::text, id, NULL::bigint, NULL::text
         FROM ${logTable} WHERE id = ANY($${params.length}::text[])`,
      ];
    });
    const rows = await manager.query<
      {
        kind: 'head' | 'known';
        log: string;
        key: string;
        seq: string | null;
        hash: string | null;
      }[]
    >(
      `WITH locked AS (
         INSERT INTO ${table} AS h (log, workspace, seq, hash, start_seq, start_hash)
         SELECT k.log, k.workspace, 0, $3, 1, $3
         FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS k(log, workspace, n)
         ORDER BY k.n
         ON CONFLICT (log, workspace) DO UPDATE SET seq = h.seq
         RETURNING h.log, h.workspace, h.seq, h.hash
       )
       SELECT 'head' AS kind, log, workspace AS key, seq, hash FROM locked
       ${knownSelects.map((select) => `UNION ALL ${select}`).join('\n')}`,
      params,
    );
    const heads = new Map<string, Head>();
    const known = new Set<string>();
    for (const row of rows) {
      if (row.kind === 'known') known.add(headKey(row.log, row.key));
      else heads.set(headKey(row.log, row.key), { seq: Number(row.seq), hash: row.hash ?? '' });
    }
    return { heads, known };
  }

  /**
   * One statement: inserts the new entries (each log's rows as JSON, typed by the table's own
   * row type) and moves the heads; returns how many rows each log's inserts added.
   */
  private async store(
    manager: EntityManager,
    rows: ReadonlyMap<ChainLog, readonly Record<string, unknown>[]>,
    heads: ReadonlyMap<string, Head>,
    moved: ReadonlySet<string>,
  ): Promise<Map<ChainLog, number>> {
    if (moved.size === 0) return new Map();
    const entries = [...moved].sort().map((key) => {
      const [log = '', workspace = ''] = key.split('\n');
      const head = heads.get(key);
      return { log, workspace, seq: head?.seq ?? 0, hash: head?.hash ?? '' };
    });
    const params: unknown[] = [
      entries.map((e) => e.log),
      entries.map((e) => e.workspace),
      entries.map((e) => e.seq),
      entries.map((e) => e.hash),
    ];
    const inserts: { log: ChainLog; name: string }[] = [];
    const ctes: string[] = [];
    for (const [log, list] of rows) {
      const table = this.dataSource.getMetadata(log.entity).tablePath;
      const columns = [...log.columns, 'seq', 'prev_hash', 'hash'].join(', ');
      for (const json of jsonChunks(list)) {
        params.push(json);
        const name = `i${inserts.length}`;
        inserts.push({ log, name });
        ctes.push(
          `${name} AS (INSERT INTO ${table} (${columns})
             SELECT ${columns} FROM json_populate_recordset(NULL::${table}, $${params.length}::json)
             ON CONFLICT (id) DO NOTHING RETURNING 1)`,
        );
      }
    }
    const headTable = this.dataSource.getMetadata(ChainHeadEntity).tablePath;
    ctes.push(
      `moved AS (UPDATE ${headTable} h SET seq = v.seq, hash = v.hash
         FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[]) AS v(log, workspace, seq, hash)
         WHERE h.log = v.log AND h.workspace = v.workspace RETURNING 1)`,
    );
    const counts = inserts.map(({ name }) => `(SELECT count(*) FROM ${name})::int AS ${name}`);
    const [result] = await manager.query<Record<string, number>[]>(
      `WITH ${ctes.join(',\n')}
       SELECT (SELECT count(*) FROM moved)::int AS moved${counts.map((c) => `, ${c}`).join('')}`,
      params,
    );
    const inserted = new Map<ChainLog, number>();
    for (const { log, name } of inserts) {
      inserted.set(log, (inserted.get(log) ?? 0) + (result?.[name] ?? 0));
    }
    return inserted;
  }
}

/** JSON arrays of the rows, each at most JSON_PER_PARAMETER long (one row may be longer). */
function jsonChunks(rows: readonly Record<string, unknown>[]): string[] {
  const out: string[] = [];
  let parts: string[] = [];
  let length = 0;
  for (const row of rows) {
    const json = JSON.stringify(row);
    if (parts.length > 0 && length + json.length > JSON_PER_PARAMETER) {
      out.push(`[${parts.join(',')}]`);
      parts = [];
      length = 0;
    }
    parts.push(json);
    length += json.length + 1;
  }
  if (parts.length > 0) out.push(`[${parts.join(',')}]`);
  return out;
}
