import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { AppError } from '@loyalty-edge/errors';
import type {
  AuthClientEvent,
  ChangeEvent,
  ClientIpCountsEvent,
  FailedCallEvent,
  TokenEvent,
} from '@loyalty-edge/audit-contracts';

export { eventually } from '@loyalty-edge/testing';

/** Test factories and helpers shared by the audit integration tests. */
export const minutesAgo = (minutes: number, from = Date.now()): string =>
  new Date(from - minutes * 60_000).toISOString();

export const daysAgo = (days: number): string => minutesAgo(days * 24 * 60);

export function change(over: Partial<ChangeEvent> = {}): ChangeEvent {
  return {
    id: randomUUID(),
    at: new Date().toISOString(),
    workspaceId: 'ws-a',
    actor: { type: 'admin', id: 'admin-1', email: 'admin@example.com' },
    action: 'ip-filter.updated',
    target: 'events',
    after: { entries: ['10.0.0.0/8'] },
    source: 'ui',
    ...over,
  };
}

export function failedCall(over: Partial<FailedCallEvent> = {}): FailedCallEvent {
  return {
    id: randomUUID(),
    at: new Date().toISOString(),
    workspaceId: 'ws-a',
    api: 'events',
    clientIp: '203.0.113.7',
    requestId: randomUUID(),
    reason: 'signature_mismatch',
    durationMs: 4,
    request: {
      method: 'POST',
      url: '/events',
      headers: { 'content-type': 'application/json' },
      body: '{"customer":"c1","action":"opt_in"}',
    },
    response: {
      status: 401,
      headers: { 'content-type': 'application/json' },
      body: '{"error":{"type":"UnauthorizedException","code":110406,"message":"Invalid signature"}}',
    },
    ...over,
  };
}

export function authClient(over: Partial<AuthClientEvent> = {}): AuthClientEvent {
  return {
    id: randomUUID(),
    at: new Date().toISOString(),
    workspaceId: 'ws-a',
    clientId: 'client-1',
    clientName: 'CRM sync',
    action: 'created',
    actor: { type: 'admin', id: 'admin-1' },
    source: 'ui',
    ...over,
  };
}

export function tokenEvent(over: Partial<TokenEvent> = {}): TokenEvent {
  return {
    id: randomUUID(),
    at: new Date().toISOString(),
    workspaceId: 'ws-a',
    clientId: 'client-1',
    outcome: 'issued',
    scope: 'loyalty.async_events',
    jti: randomUUID(),
    clientIp: '198.51.100.4',
    ...over,
  };
}

export function ipCounts(
  counts: ClientIpCountsEvent['counts'],
  over: Partial<ClientIpCountsEvent> = {},
): ClientIpCountsEvent {
  return { id: randomUUID(), at: new Date().toISOString(), counts, ...over };
}

/** Direct reads of the service's tables, to check what is (not) stored. */
export async function withDb<T>(
  databaseUrl: string,
  use: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/** The value of one sample in a Prometheus text page (0 when absent). */
export function sample(metrics: string, name: string): number {
  const line = metrics.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? 0 : Number(line.slice(name.length + 1));
}

/** The AppError a request was refused with. */
export async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof AppError)) throw new Error('expected an AppError');
  return error;
}
