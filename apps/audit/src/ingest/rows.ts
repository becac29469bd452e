import type {
  AuthClientEvent,
  ChangeEvent,
  ClientIpCountsEvent,
  FailedCallEvent,
  TokenEvent,
} from '@loyalty-edge/audit-contracts';

/**
 * Column lists and row values of the audit tables, in one place so the writer stays generic.
 * Values are in column order; jsonb values are JSON text (pg sends arrays as SQL arrays).
 */
const json = (value: unknown): string | null =>
  value === undefined || value === null ? null : JSON.stringify(value);

export const CHANGE_COLUMNS = [
  'id',
  'workspace_id',
  'at',
  'actor_type',
  'actor_id',
  'actor_email',
  'action',
  'target',
  'before',
  'after',
  'source',
  'request_id',
  'client_ip',
] as const;

export function changeRow(e: ChangeEvent): unknown[] {
  return [
    e.id,
    e.workspaceId ?? null,
    e.at,
    e.actor.type,
    e.actor.id,
    e.actor.email ?? null,
    e.action,
    e.target ?? null,
    json(e.before),
    json(e.after),
    e.source,
    e.requestId ?? null,
    e.clientIp ?? null,
  ];
}

export const FAILED_CALL_COLUMNS = [
  'id',
  'workspace_id',
  'at',
  'api',
  'status',
  'reason',
  'client_ip',
  'method',
  'url',
  'request_id',
  'duration_ms',
  'request',
  'response',
] as const;

export function failedCallRow(e: FailedCallEvent): unknown[] {
  return [
    e.id,
    e.workspaceId ?? null,
    e.at,
    e.api ?? null,
    e.response.status,
    e.reason,
    e.clientIp,
    e.request.method.toUpperCase(),
    e.request.url,
    e.requestId,
    Math.min(Math.round(e.durationMs), 2_147_483_647),
    json(e.request),
    json(e.response),
  ];
}

export const AUTH_CLIENT_COLUMNS = [
  'id',
  'workspace_id',
  'at',
  'client_id',
  'client_name',
  'action',
  'actor_type',
  'actor_id',
  'actor_email',
  'source',
  'request_id',
] as const;

export function authClientRow(e: AuthClientEvent): unknown[] {
  return [
    e.id,
    e.workspaceId,
    e.at,
    e.clientId,
    e.clientName,
    e.action,
    e.actor.type,
    e.actor.id,
    e.actor.email ?? null,
    e.source,
    e.requestId ?? null,
  ];
}

export const TOKEN_COLUMNS = [
  'id',
  'workspace_id',
  'at',
  'client_id',
  'outcome',
  'error_code',
  'error',
  'error_message',
  'scope',
  'audience',
  'jti',
  'client_ip',
  'user_agent',
  'request_id',
] as const;

export function tokenRow(e: TokenEvent): unknown[] {
  return [
    e.id,
    e.workspaceId ?? null,
    e.at,
    e.clientId ?? null,
    e.outcome,
    e.errorCode ?? null,
    e.error ?? null,
    e.errorMessage ?? null,
    e.scope ?? null,
    e.audience ?? null,
    e.jti ?? null,
    e.clientIp,
    e.userAgent ?? null,
    e.requestId ?? null,
  ];
}

export const CLIENT_IP_COUNT_COLUMNS = ['workspace_id', 'api', 'day', 'ip', 'requests'] as const;

/**
 * Sums count events into one row per (workspace, API, UTC day, IP): one upsert statement may not
 * touch a row twice.
 */
export function clientIpCountRows(events: readonly ClientIpCountsEvent[]): unknown[][] {
  const sums = new Map<string, { key: readonly string[]; requests: number }>();
  for (const event of events) {
    const day = event.at.slice(0, 10);
    for (const count of event.counts) {
      if (count.requests <= 0) continue;
      const key = [count.workspaceId, count.api, day, count.ip];
      const id = JSON.stringify(key);
      const sum = sums.get(id);
      if (sum) sum.requests += count.requests;
      else sums.set(id, { key, requests: count.requests });
    }
  }
  return [...sums.values()].map(({ key, requests }) => [...key, requests]);
}

/** `INSERT ... VALUES ($1, ...), (...) <suffix>` for `rows` rows of `columns.length` values. */
export function insertSql(
  table: string,
  columns: readonly string[],
  rows: number,
  suffix: string,
): string {
  const tuples = Array.from(
    { length: rows },
    (_, row) => `(${columns.map((_, col) => `$${row * columns.length + col + 1}`).join(', ')})`,
  );
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')} ${suffix}`;
}

/** Splits rows so one statement stays well below PostgreSQL's 65,535 parameters. */
export function chunks<T>(rows: readonly T[], columns: number): T[][] {
  const size = Math.max(1, Math.floor(30_000 / columns));
  const out: T[][] = [];
  for (let start = 0; start < rows.length; start += size) out.push(rows.slice(start, start + size));
  return out;
}

/** Keeps the first record of each id (a batch can hold a redelivery of its own message). */
export function uniqueById<T extends { readonly id: string }>(items: readonly T[]): T[] {
  const byId = new Map<string, T>();
  for (const item of items) if (!byId.has(item.id)) byId.set(item.id, item);
  return [...byId.values()];
}
