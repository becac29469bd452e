import { AuditErrorCodes } from '@loyalty-edge/audit-contracts';
import { AppError } from '@loyalty-edge/errors';
import { encodeCursor } from './cursor.js';
import { listConditions } from './filters.js';

const base = { workspaceId: 'ws-1' };

function refusal(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}

describe(listConditions.name, () => {
  it('always scopes to the workspace', () => {
    expect(listConditions('changes', base)).toEqual([
      { sql: 'e.workspace_id = :workspaceId', params: { workspaceId: 'ws-1' } },
    ]);
  });

  it('adds the time range as from <= at < to', () => {
    const sql = listConditions('tokens', {
      ...base,
      from: '2024-01-01T00:00:00Z',
      to: '2024-02-01T00:00:00Z',
    }).map((c) => c.sql);
    expect(sql).toEqual(expect.arrayContaining(['e.at >= :from', 'e.at < :to']));
  });

  it('matches a change actor by id or e-mail', () => {
    const [, actor] = listConditions('changes', { ...base, filters: { actor: 'a@b.c' } });
    expect(actor).toEqual({
      sql: '(e.actor_id = :actor OR e.actor_email = :actor)',
      params: { actor: 'a@b.c' },
    });
  });

  it('filters failed calls by exact status, status class, and upper-cased method', () => {
    const exact = listConditions('failedCalls', { ...base, filters: { status: '404' } })[1];
    expect(exact).toEqual({ sql: 'e.status = :status', params: { status: 404 } });
    const klass = listConditions('failedCalls', { ...base, filters: { status: '5xx' } })[1];
    expect(klass?.params).toEqual({ statusLow: 500, statusHigh: 599 });
    const method = listConditions('failedCalls', { ...base, filters: { method: 'post' } })[1];
    expect(method?.params).toEqual({ method: 'POST' });
  });

  it('maps clientId to the client_id column', () => {
    const [, condition] = listConditions('authClients', { ...base, filters: { clientId: 'c1' } });
    expect(condition?.sql).toBe('e.client_id = :clientId');
  });

  it('filters tokens by OAuth2 error name', () => {
    const [, condition] = listConditions('tokens', {
      ...base,
      filters: { error: 'invalid_client' },
    });
    expect(condition).toEqual({ sql: 'e.error = :error', params: { error: 'invalid_client' } });
  });

  it('adds the keyset position of a cursor', () => {
    const cursor = encodeCursor({ at: '2024-01-01T00:00:00.000Z', id: 'x' });
    const last = listConditions('changes', { ...base, cursor }).at(-1);
    expect(last).toEqual({
      sql: '(e.at, e.id) < (:cursorAt, :cursorId)',
      params: { cursorAt: '2024-01-01T00:00:00.000Z', cursorId: 'x' },
    });
  });

  it.each([
    ['changes', { status: '404' }, 'filters.status'],
    ['failedCalls', { status: '4x4' }, 'filters.status'],
    ['tokens', { outcome: 'maybe' }, 'filters.outcome'],
    ['authClients', { action: 'deleted' }, 'filters.action'],
    ['tokens', { toString: 'x' }, 'filters.toString'],
    ['authClients', { error: 'invalid_client' }, 'filters.error'],
  ] as const)('refuses %s filter %j', (kind, filters, field) => {
    const error = refusal(() => listConditions(kind, { ...base, filters }));
    expect(error.kind).toBe('invalid');
    expect(error.code).toBe(AuditErrorCodes.invalidFilter);
    expect(error.details?.fields?.[0]?.field).toBe(field);
  });

  it('refuses a bad cursor', () => {
    const error = refusal(() => listConditions('changes', { ...base, cursor: 'bad!' }));
    expect(error.code).toBe(AuditErrorCodes.invalidCursor);
  });
});
