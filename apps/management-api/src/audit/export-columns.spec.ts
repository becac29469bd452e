import type { AuthClientEvent, TokenEvent } from '@loyalty-edge/audit-contracts';
import type { Column } from './export.js';
import { AUTH_CLIENT_COLUMNS, TOKEN_COLUMNS } from './export-columns.js';

const row = <T>(columns: readonly Column<T>[], item: T): Record<string, unknown> =>
  Object.fromEntries(columns.map(([header, read]) => [header, read(item)]));

describe('export columns', () => {
  it('export every field of a token event', () => {
    const event: TokenEvent = {
      id: 't-1',
      at: '2026-01-01T00:00:00.000Z',
      workspaceId: 'ws',
      clientId: 'lec_x',
      outcome: 'error',
      errorCode: 220015,
      error: 'invalid_scope',
      errorMessage: 'not granted',
      scope: 'loyalty.other',
      audience: 'https://api.example.test',
      jti: 'j-1',
      clientIp: '192.0.2.1',
      userAgent: 'curl/8',
      requestId: 'req-1',
    };
    expect(row(TOKEN_COLUMNS, event)).toEqual({
      at: event.at,
      outcome: 'error',
      client_id: 'lec_x',
      scope: 'loyalty.other',
      audience: 'https://api.example.test',
      error_code: 220015,
      error: 'invalid_scope',
      error_message: 'not granted',
      jti: 'j-1',
      client_ip: '192.0.2.1',
      user_agent: 'curl/8',
      request_id: 'req-1',
      id: 't-1',
    });
  });

  it('export the source and request id of an auth-client event', () => {
    const event: AuthClientEvent = {
      id: 'a-1',
      at: '2026-01-01T00:00:00.000Z',
      workspaceId: 'ws',
      clientId: 'lec_x',
      clientName: 'CRM',
      action: 'created',
      actor: { type: 'token', id: 'tok-1', email: 'ci@example.test' },
      source: 'api',
      requestId: 'req-2',
    };
    expect(row(AUTH_CLIENT_COLUMNS, event)).toMatchObject({
      client_id: 'lec_x',
      actor_type: 'token',
      source: 'api',
      request_id: 'req-2',
    });
  });
});
