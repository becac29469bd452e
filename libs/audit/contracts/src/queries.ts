import { defineRpc } from '@loyalty-edge/contracts';
import type { AuthClientEvent, ChangeEvent, FailedCallEvent, TokenEvent } from './events.js';

export interface Page<T> {
  readonly items: readonly T[];
  /** Opaque keyset cursor for the next page, or null at the end. */
  readonly nextCursor: string | null;
}

export interface ListQuery {
  readonly workspaceId: string;
  readonly cursor?: string;
  readonly limit?: number;
  readonly from?: string;
  readonly to?: string;
  /** Filters by field: action, actor, status, api, reason, outcome, clientId. */
  readonly filters?: Readonly<Record<string, string>>;
}

/** A failed call in a list: the request line and the outcome, without bodies. */
export interface FailedCallSummary {
  readonly id: string;
  readonly at: string;
  readonly api: string | null;
  readonly method: string;
  readonly url: string;
  readonly status: number;
  readonly reason: string;
  readonly clientIp: string;
  readonly requestId: string;
}

export const AuditRpc = {
  changes: defineRpc<ListQuery, Page<ChangeEvent>>('audit.changes.list'),
  failedCalls: defineRpc<ListQuery, Page<FailedCallSummary>>('audit.failed-calls.list'),
  failedCall: defineRpc<{ workspaceId: string; id: string }, FailedCallEvent | null>(
    'audit.failed-calls.get',
  ),
  authClients: defineRpc<ListQuery, Page<AuthClientEvent>>('audit.auth-clients.list'),
  tokens: defineRpc<ListQuery, Page<TokenEvent>>('audit.tokens.list'),
  /** Distinct client IPs with request counts on one API over the last N days (IP filter preview). */
  clientIps: defineRpc<
    { workspaceId: string; api: string; days: number },
    readonly { ip: string; requests: number }[]
  >('audit.client-ips.list'),
} as const;
