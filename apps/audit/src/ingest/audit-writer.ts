import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, type EntityTarget, type ObjectLiteral } from 'typeorm';
import type { ClientIpCountsEvent } from '@loyalty-edge/audit-contracts';
import { AuthClientEventEntity } from '../store/auth-client-event.entity.js';
import { ChangeEntity } from '../store/change.entity.js';
import { ClientIpCountEntity, ClientIpEventEntity } from '../store/client-ip-count.entity.js';
import { FailedCallEntity } from '../store/failed-call.entity.js';
import { TokenEventEntity } from '../store/token-event.entity.js';
import type { AuditRecord, RecordType } from './audit-record.js';
import {
  AUTH_CLIENT_COLUMNS,
  authClientRow,
  CHANGE_COLUMNS,
  changeRow,
  chunks,
  CLIENT_IP_COUNT_COLUMNS,
  clientIpCountRows,
  FAILED_CALL_COLUMNS,
  failedCallRow,
  insertSql,
  TOKEN_COLUMNS,
  tokenRow,
  uniqueById,
} from './rows.js';

type EventOf<T extends RecordType> = Extract<AuditRecord, { type: T }>['event'];

const IGNORE_KNOWN = 'ON CONFLICT (id) DO NOTHING RETURNING id';
const ADD_COUNTS =
  'ON CONFLICT (workspace_id, api, day, ip) DO UPDATE SET requests = client_ip_counts.requests + EXCLUDED.requests';

/** Writes batches of audit records, each batch in one transaction, idempotently. */
@Injectable()
export class AuditWriter {
  constructor(private readonly dataSource: DataSource) {}

  /** Returns how many new rows each type added (known ids are skipped, not counted). */
  async write(records: readonly AuditRecord[]): Promise<Map<RecordType, number>> {
    // sorted by id: concurrent writers then lock conflicting keys in the same order
    const events = <T extends RecordType>(type: T): EventOf<T>[] =>
      uniqueById(records.filter((r) => r.type === type).map((r) => r.event as EventOf<T>)).sort(
        (a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
      );

    return this.dataSource.transaction(async (manager) => {
      const written = new Map<RecordType, number>();
      const insert = async <T extends RecordType>(
        type: T,
        entity: EntityTarget<ObjectLiteral>,
        columns: readonly string[],
        row: (event: EventOf<T>) => unknown[],
      ): Promise<void> => {
        const ids = await this.insert(
          manager,
          entity,
          columns,
          events(type).map(row),
          IGNORE_KNOWN,
        );
        written.set(type, ids.length);
      };
      await insert('change', ChangeEntity, CHANGE_COLUMNS, changeRow);
      await insert('failed_call', FailedCallEntity, FAILED_CALL_COLUMNS, failedCallRow);
      await insert('auth_client', AuthClientEventEntity, AUTH_CLIENT_COLUMNS, authClientRow);
      await insert('token', TokenEventEntity, TOKEN_COLUMNS, tokenRow);
      written.set('client_ips', await this.addClientIpCounts(manager, events('client_ips')));
      return written;
    });
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
