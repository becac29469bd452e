import { AuditEvents, type ChangeEvent } from '@loyalty-edge/audit-contracts';
import type { EventPublisher } from '@loyalty-edge/nats';
import {
  authClient,
  change,
  daysAgo,
  failedCall,
  ipCounts,
  minutesAgo,
  tokenEvent,
} from './support.js';

// The events the query tests read back: workspace ws-a, plus a little of ws-b.

/** 25 changes of ws-a, two per minute (same `at`: the id breaks the tie), newest last. */
export const start = Date.now() - 3_600_000;
export const wsA: ChangeEvent[] = Array.from({ length: 25 }, (_, i) =>
  change({
    at: minutesAgo(-Math.floor(i / 2), start),
    action: i % 2 === 0 ? 'ip-filter.updated' : 'credentials.generated',
    actor:
      i % 3 === 0
        ? { type: 'admin', id: 'admin-2', email: 'ops@example.com' }
        : { type: 'admin', id: 'admin-1' },
  }),
);
export const wsB = [change({ workspaceId: 'ws-b' }), change({ workspaceId: 'ws-b' })];
export const calls = [
  failedCall({ at: minutesAgo(3) }),
  failedCall({
    at: minutesAgo(2),
    api: 'customer',
    reason: 'ip_denied',
    request: { method: 'GET', url: '/customers/1', headers: {}, body: '' },
    response: { status: 403, headers: {}, body: '{}' },
  }),
  failedCall({
    at: minutesAgo(1),
    reason: 'upstream_error',
    response: { status: 502, headers: {}, body: '' },
  }),
];
export const clients = [
  authClient({ at: minutesAgo(2) }),
  authClient({ at: minutesAgo(1), action: 'revoked' }),
  authClient({ clientId: 'client-2', at: minutesAgo(1) }),
];
export const tokens = [
  tokenEvent({ at: minutesAgo(2) }),
  tokenEvent({ at: minutesAgo(1), outcome: 'error', errorCode: 220010, error: 'invalid_client' }),
];

/** Publishes the whole dataset; rows expected: 25 + 2 changes, 3 calls, 3 auth-client, 2 token, 3 count events. */
export const DATASET_ROWS = 25 + 2 + 3 + 3 + 2 + 3;

export async function publishDataset(publisher: EventPublisher): Promise<void> {
  for (const event of [...wsA, ...wsB]) publisher.publish(AuditEvents.change, event);
  for (const event of calls) publisher.publish(AuditEvents.failedCall, event);
  for (const event of clients) publisher.publish(AuditEvents.authClient, event);
  for (const event of tokens) publisher.publish(AuditEvents.token, event);
  const count = (ip: string, requests: number, workspaceId = 'ws-a') => ({
    workspaceId,
    api: 'events',
    ip,
    requests,
  });
  publisher.publish(
    AuditEvents.clientIps,
    ipCounts([count('10.0.0.1', 5), count('10.0.0.2', 1), count('10.9.9.9', 7, 'ws-b')]),
  );
  publisher.publish(AuditEvents.clientIps, ipCounts([count('10.0.0.1', 2)]));
  publisher.publish(AuditEvents.clientIps, ipCounts([count('10.0.0.3', 4)], { at: daysAgo(10) }));
  await publisher.flush();
}

/** Newest first, ties by id descending: the order every list promises. */
export const newestFirst = (a: { at: string; id: string }, b: { at: string; id: string }): number =>
  b.at.localeCompare(a.at) || (b.id < a.id ? -1 : b.id > a.id ? 1 : 0);
