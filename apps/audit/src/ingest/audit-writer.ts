import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, type EntityTarget, type ObjectLiteral } from 'typeorm';
import type { ClientIpCountsEvent } from '@loyalty-edge/audit-contracts';
import { ChainAppender, ChainRaceError } from '../chain/chain-appender.js';
import type { ChainedRecord } from '../chain/chain-logs.js';
import { ClientIpCountEntity, ClientIpEventEntity } from '../store/client-ip-count.entity.js';
import type { AuditRecord, RecordType } from './audit-record.js';
import {
  chunks,
  CLIENT_IP_COUNT_COLUMNS,
  clientIpCountRows,
  insertSql,
  uniqueById,
} from './rows.js';

type EventOf<T extends RecordType> = Extract<AuditRecord, { type: T }>['event'];

/** Attempts at a batch that concurrent writers of the same events keep overtaking. */
const RACE_TRIES = 3;
const IGNORE_KNOWN = 'ON CONFLICT (id) DO NOTHING RETURNING id';
const ADD_COUNTS =
  'ON CONFLICT (workspace_id, api, day, ip) DO UPDATE SET requests = client_ip_counts.requests + EXCLUDED.requests';

/**
 * Writes batches of audit records, each batch in one transaction, idempotently: log entries are
 * appended to their hash chains (ChainAppender), client IP counts summed once per event.
 */
@Injectable()
export class AuditWriter {
  constructor(
    private readonly dataSource: DataSource,
    private readonly chains: ChainAppender,
  ) {}

  /** Returns how many new rows each type added (known ids are skipped, not counted). */
  async write(records: readonly AuditRecord[]): Promise<Map<RecordType, number>> {
    // sorted by id: concurrent writers then lock conflicting keys in the same order
    const events = <T extends RecordType>(type: T): EventOf<T>[] =>
      uniqueById(records.filter((r) => r.type === type).map((r) => r.event as EventOf<T>)).sort(
        (a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
      );

    const attempt = (): Promise<Map<RecordType, number>> =>
      this.dataSource.transaction(async (manager) => {
        const written = await this.chains.append(
          manager,
          records.filter((record): record is ChainedRecord => record.type !== 'client_ips'),
        );
        written.set('client_ips', await this.addClientIpCounts(manager, events('client_ips')));
        return written;
      });
    for (let tries = 1; ; tries += 1) {
      try {
        return await attempt();
      } catch (error) {
        // a concurrent writer stored one of the ids meanwhile: again, it is then skipped
        if (!(error instanceof ChainRaceError) || tries === RACE_TRIES) throw error;
      }
    }
  }

  /**
   * Adds counts of events not seen before: the event ids go into a ledger first, and only the
   * ones that were new there are summed into `client_ip_counts`.
   */
  private async addClientIpCounts(
    manager: EntityManager,
    events: readonly ClientIpCountsEvent[],
  ): Promise<number> {
    const fresh = new Set(
      await this.insert(
        manager,
        ClientIpEventEntity,
        ['id', 'at'],
        events.map((event) => [event.id, event.at]),
        IGNORE_KNOWN,
      ),
    );
    const rows = clientIpCountRows(events.filter((event) => fresh.has(event.id)));
    await this.insert(manager, ClientIpCountEntity, CLIENT_IP_COUNT_COLUMNS, rows, ADD_COUNTS);
    return fresh.size;
  }

  /** Multi-row inserts, chunked; returns the ids the statement reports back (if any). */
  private async insert(
    manager: EntityManager,
    entity: EntityTarget<ObjectLiteral>,
    columns: readonly string[],
    rows: readonly unknown[][],
    suffix: string,
  ): Promise<string[]> {
    const table = this.dataSource.getMetadata(entity).tablePath;
    const ids: string[] = [];
    for (const chunk of chunks(rows, columns.length)) {
      const sql = insertSql(table, columns, chunk.length, suffix);
      const result = await manager.query<{ id?: string }[] | undefined>(sql, chunk.flat());
      for (const row of result ?? []) if (row.id !== undefined) ids.push(row.id);
    }
    return ids;
  }
}

/**
 * A database error caused by the data itself (SQLSTATE class 22 data exception, 23 integrity,
 * 54 limit exceeded): retrying will never help, the event must be set aside.
 */
export function isDataError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^(22|23|54)/.test(code);
}
