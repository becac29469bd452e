import type { EntityTarget, ObjectLiteral } from 'typeorm';
import { NO_WORKSPACE, type AuditLogName } from '@loyalty-edge/audit-contracts';
import type { AuditRecord, RecordType } from '../ingest/audit-record.js';
import {
  AUTH_CLIENT_COLUMNS,
  authClientRow,
  CHANGE_COLUMNS,
  changeRow,
  FAILED_CALL_COLUMNS,
  failedCallRow,
  TOKEN_COLUMNS,
  tokenRow,
} from '../ingest/rows.js';
import { AuthClientEventEntity } from '../store/auth-client-event.entity.js';
import { ChangeEntity } from '../store/change.entity.js';
import { FailedCallEntity } from '../store/failed-call.entity.js';
import { TokenEventEntity } from '../store/token-event.entity.js';

export type ChainedType = Exclude<RecordType, 'client_ips'>;
export type ChainedRecord = Extract<AuditRecord, { type: ChainedType }>;

/** One chained log: its table, stored columns and which of them are jsonb. */
export interface ChainLog {
  readonly name: AuditLogName;
  readonly type: ChainedType;
  readonly entity: EntityTarget<ObjectLiteral>;
  readonly columns: readonly string[];
  readonly jsonColumns: readonly string[];
}

export const CHAIN_LOGS: readonly ChainLog[] = [
  {
    name: 'changes',
    type: 'change',
    entity: ChangeEntity,
    columns: CHANGE_COLUMNS,
    jsonColumns: ['before', 'after'],
  },
  {
    name: 'auth-clients',
    type: 'auth_client',
    entity: AuthClientEventEntity,
    columns: AUTH_CLIENT_COLUMNS,
    jsonColumns: [],
  },
  {
    name: 'tokens',
    type: 'token',
    entity: TokenEventEntity,
    columns: TOKEN_COLUMNS,
    jsonColumns: [],
  },
  {
    name: 'failed-calls',
    type: 'failed_call',
    entity: FailedCallEntity,
    columns: FAILED_CALL_COLUMNS,
    jsonColumns: ['request', 'response'],
  },
];

/** The stored values of a record, in its log's column order (`at` to the millisecond). */
export function rowOf(record: ChainedRecord): unknown[] {
  const row = ((): unknown[] => {
    switch (record.type) {
      case 'change':
        return changeRow(record.event);
      case 'failed_call':
        return failedCallRow(record.event);
      case 'auth_client':
        return authClientRow(record.event);
      case 'token':
        return tokenRow(record.event);
    }
  })();
  // column 2 is `at` in every log: stored as written here, so the hash sees what is read back
  row[2] = new Date(record.event.at).toISOString();
  return row;
}

/** The chain a record belongs to: its workspace, or NO_WORKSPACE. */
export function chainKeyOf(workspaceId: string | null): string {
  return workspaceId ?? NO_WORKSPACE;
}

/**
 * `workspace_id` matching one chain key, index-friendly (`= $n` or `IS NULL`); the workspace,
 * when there is one, is appended to `params`.
 */
export function workspaceMatch(chainKey: string, params: unknown[]): string {
  if (chainKey === NO_WORKSPACE) return 'workspace_id IS NULL';
  params.push(chainKey);
  return `workspace_id = $${params.length}`;
}

/**
 * The fields of one row as the hash sees them: by column name, jsonb values as structures (the
 * writer holds them as JSON text, PostgreSQL gives them back parsed), `at` as ISO 8601.
 */
export function fieldsOf(log: ChainLog, values: readonly unknown[]): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  log.columns.forEach((column, index) => {
    const value = values[index] ?? null;
    fields[column] =
      log.jsonColumns.includes(column) && typeof value === 'string'
        ? (JSON.parse(value) as unknown)
        : value instanceof Date
          ? value.toISOString()
          : value;
  });
  return fields;
}
