import {
  AUDIT_FILTERS,
  AuditErrorCodes,
  type AuditListKind,
  type ListQuery,
} from '@loyalty-edge/audit-contracts';
import { AppError } from '@loyalty-edge/errors';
import { decodeCursor } from './cursor.js';

/** One SQL condition on the list's table (alias `e`) with its named parameters. */
export interface Condition {
  readonly sql: string;
  readonly params: Readonly<Record<string, unknown>>;
}

type FilterSql = (value: string) => Condition;

const oneOf =
  (column: string, param: string, allowed: readonly string[]): FilterSql =>
  (value) => {
    if (!allowed.includes(value)) throw badFilter(param, `must be one of ${allowed.join(', ')}`);
    return { sql: `e.${column} = :${param}`, params: { [param]: value } };
  };

const equals =
  (column: string, param: string): FilterSql =>
  (value) => ({ sql: `e.${column} = :${param}`, params: { [param]: value } });

/** `404` matches one status, `4xx` a class. */
const status: FilterSql = (value) => {
  if (/^[1-5]\d\d$/.test(value)) return { sql: 'e.status = :status', params: { status: +value } };
  const match = /^([1-5])xx$/i.exec(value);
  if (!match) throw badFilter('status', 'must be a status (404) or a class (4xx)');
  const low = Number(match[1]) * 100;
  return {
    sql: 'e.status BETWEEN :statusLow AND :statusHigh',
    params: { statusLow: low, statusHigh: low + 99 },
  };
};

/** How each list's filters become SQL; the keys are exactly AUDIT_FILTERS. */
const FILTERS: {
  readonly [K in AuditListKind]: Readonly<Record<(typeof AUDIT_FILTERS)[K][number], FilterSql>>;
} = {
  changes: {
    action: equals('action', 'action'),
    actor: (value) => ({
      sql: '(e.actor_id = :actor OR e.actor_email = :actor)',
      params: { actor: value },
    }),
  },
  failedCalls: {
    status,
    api: equals('api', 'api'),
    reason: equals('reason', 'reason'),
    method: (value) => equals('method', 'method')(value.toUpperCase()),
  },
  authClients: {
    action: oneOf('action', 'action', ['created', 'revoked']),
    clientId: equals('client_id', 'clientId'),
  },
  tokens: {
    outcome: oneOf('outcome', 'outcome', ['issued', 'error']),
    clientId: equals('client_id', 'clientId'),
    error: equals('error', 'error'),
  },
};

/**
 * Every condition of one page: the workspace, the time range (`from <= at < to`), the filters
 * and the keyset position of the cursor. Throws `invalid` for an unknown filter or bad cursor.
 */
export function listConditions(kind: AuditListKind, query: ListQuery): Condition[] {
  const conditions: Condition[] = [
    { sql: 'e.workspace_id = :workspaceId', params: { workspaceId: query.workspaceId } },
  ];
  if (query.from !== undefined)
    conditions.push({ sql: 'e.at >= :from', params: { from: query.from } });
  if (query.to !== undefined) conditions.push({ sql: 'e.at < :to', params: { to: query.to } });
  const known: Readonly<Record<string, FilterSql>> = FILTERS[kind];
  for (const [name, value] of Object.entries(query.filters ?? {})) {
    const filter = Object.hasOwn(known, name) ? known[name] : undefined;
    if (!filter) {
      throw badFilter(name, `is not a filter of this list (${AUDIT_FILTERS[kind].join(', ')})`);
    }
    conditions.push(filter(value));
  }
  if (query.cursor !== undefined) {
    const key = decodeCursor(query.cursor);
    conditions.push({
      sql: '(e.at, e.id) < (:cursorAt, :cursorId)',
      params: { cursorAt: key.at, cursorId: key.id },
    });
  }
  return conditions;
}

function badFilter(name: string, message: string): AppError {
  return new AppError('invalid', AuditErrorCodes.invalidFilter, 'Invalid filter', {
    fields: [{ field: `filters.${name}`, message }],
  });
}
