import type {
  AuthClientEvent,
  ChangeEvent,
  ClientIpCountsEvent,
  TokenEvent,
} from '@loyalty-edge/audit-contracts';
import {
  AUTH_CLIENT_COLUMNS,
  authClientRow,
  changeRow,
  CHANGE_COLUMNS,
  chunks,
  clientIpCountRows,
  insertSql,
  TOKEN_COLUMNS,
  tokenRow,
  uniqueById,
} from './rows.js';

const byColumn = (columns: readonly string[], row: readonly unknown[]): Record<string, unknown> =>
  Object.fromEntries(columns.map((column, i) => [column, row[i]]));

describe('audit rows', () => {
  it('builds one multi-row insert with numbered parameters', () => {
    expect(insertSql('s.t', ['id', 'at'], 2, 'ON CONFLICT (id) DO NOTHING')).toBe(
      'INSERT INTO s.t (id, at) VALUES ($1, $2), ($3, $4) ON CONFLICT (id) DO NOTHING',
    );
  });

  it('orders a change row like its columns, JSON for jsonb and NULL for absent fields', () => {
    const event: ChangeEvent = {
      id: 'c-1',
      at: '2024-05-01T10:00:00.000Z',
      workspaceId: null,
      actor: { type: 'system', id: 'boot' },
      action: 'workspace.created',
      after: { name: 'Acme' },
      source: 'system',
    };
    const row = changeRow(event);
    expect(row).toHaveLength(CHANGE_COLUMNS.length);
    const byColumn = Object.fromEntries(CHANGE_COLUMNS.map((column, i) => [column, row[i]]));
    expect(byColumn).toMatchObject({
      workspace_id: null,
      actor_email: null,
      before: null,
      after: '{"name":"Acme"}',
      target: null,
    });
  });

  it('puts every token field in its own column, NULL when absent', () => {
    const event: TokenEvent = {
      id: 't-1',
      at: '2024-05-01T10:00:00.000Z',
      workspaceId: 'ws',
      clientId: 'lec_x',
      outcome: 'error',
      errorCode: 220015,
      error: 'invalid_scope',
      errorMessage: 'not granted',
      audience: 'https://api.example.test',
      clientIp: '192.0.2.1',
      userAgent: 'curl/8',
      requestId: 'req-1',
    };
    const row = tokenRow(event);
    expect(row).toHaveLength(TOKEN_COLUMNS.length);
    expect(byColumn(TOKEN_COLUMNS, row)).toEqual({
      id: 't-1',
      workspace_id: 'ws',
      at: '2024-05-01T10:00:00.000Z',
      client_id: 'lec_x',
      outcome: 'error',
      error_code: 220015,
      error: 'invalid_scope',
      error_message: 'not granted',
      scope: null,
      audience: 'https://api.example.test',
      jti: null,
      client_ip: '192.0.2.1',
      user_agent: 'curl/8',
      request_id: 'req-1',
    });
  });

  it('puts the source and request id of an auth-client event in their columns', () => {
    const event: AuthClientEvent = {
      id: 'a-1',
      at: '2024-05-01T10:00:00.000Z',
      workspaceId: 'ws',
      clientId: 'lec_x',
      clientName: 'CRM',
      action: 'revoked',
      actor: { type: 'admin', id: 'admin-1' },
      source: 'ui',
    };
    const row = authClientRow(event);
    expect(row).toHaveLength(AUTH_CLIENT_COLUMNS.length);
    expect(byColumn(AUTH_CLIENT_COLUMNS, row)).toMatchObject({
      source: 'ui',
      request_id: null,
      actor_email: null,
    });
  });

  it('sums counts per workspace, API, UTC day and IP, skipping zeros', () => {
    const event = (id: string, at: string, requests: number): ClientIpCountsEvent => ({
      id,
      at,
      counts: [
        { workspaceId: 'ws', api: 'events', ip: '10.0.0.1', requests },
        { workspaceId: 'ws', api: 'events', ip: '10.0.0.2', requests: 0 },
      ],
    });
    const rows = clientIpCountRows([
      event('a', '2024-05-01T23:59:00.000Z', 2),
      event('b', '2024-05-01T00:00:00.000Z', 3),
      event('c', '2024-05-02T00:00:00.000Z', 4),
    ]);
    expect(rows).toEqual([
      ['ws', 'events', '2024-05-01', '10.0.0.1', 5],
      ['ws', 'events', '2024-05-02', '10.0.0.1', 4],
    ]);
  });

  it('keeps the first of duplicate ids', () => {
    expect(
      uniqueById([
        { id: 'a', n: 1 },
        { id: 'b', n: 2 },
        { id: 'a', n: 3 },
      ]),
    ).toEqual([
      { id: 'a', n: 1 },
      { id: 'b', n: 2 },
    ]);
  });

  it('chunks rows below the parameter limit', () => {
    const rows = Array.from({ length: 7000 }, () => [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const parts = chunks(rows, 10);
    expect(parts.map((part) => part.length)).toEqual([3000, 3000, 1000]);
  });
});
