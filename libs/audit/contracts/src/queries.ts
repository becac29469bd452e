import { defineRpc } from '@loyalty-edge/contracts';
import type { AuthClientEvent, ChangeEvent, FailedCallEvent, TokenEvent } from './events.js';

export interface Page<T> {
  readonly items: readonly T[];
  /** Opaque keyset cursor for the next page, or null at the end. */
  readonly nextCursor: string | null;
}

/**
 * The filters each list accepts (`ListQuery.filters`); any other key is refused as invalid.
 * - changes: `action` (exact), `actor` (actor id or e-mail)
 * - failedCalls: `status` (`404` or a class like `4xx`), `api`, `reason`, `method`
 * - authClients: `action` (`created` | `revoked`), `clientId`
 * - tokens: `outcome` (`issued` | `error`), `clientId`, `error` (the OAuth2 error name)
 */
export const AUDIT_FILTERS = {
  changes: ['action', 'actor'],
  failedCalls: ['status', 'api', 'reason', 'method'],
  authClients: ['action', 'clientId'],
  tokens: ['outcome', 'clientId', 'error'],
} as const;

export type AuditListKind = keyof typeof AUDIT_FILTERS;

/** Page sizes: `limit` is 1..max, default when absent. */
export const AUDIT_PAGE = { default: 50, max: 200 } as const;

/** `clientIps` looks back 1..90 days. */
export const CLIENT_IP_DAYS = { min: 1, max: 90 } as const;

export interface ListQuery {
  readonly workspaceId: string;
  /** `nextCursor` of the previous page; the same filters must be sent again. */
  readonly cursor?: string;
  /** 1..200, default 50. */
  readonly limit?: number;
  /** ISO 8601; records with `from <= at < to`. */
  readonly from?: string;
  readonly to?: string;
  /** Filters by field, per list: see AUDIT_FILTERS. */
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

export interface ClientIpsQuery {
  readonly workspaceId: string;
  readonly api: string;
  /** 1..90: today (UTC) and the days before it. */
  readonly days: number;
}

/** Requests seen from one client IP; the busiest first, at most 1000 IPs. */
export interface ClientIpCount {
  readonly ip: string;
  readonly requests: number;
}

export interface KeyUsageQuery {
  readonly workspaceId: string;
  /** 1..90: today (UTC) and the days before it. */
  readonly days: number;
}

/**
 * Recent use of a workspace's credentials at the gateway, from the client IP counts: the last
 * UTC day with a call, and how many client IPs called within the window.
 */
export interface KeyUsage {
  /** `YYYY-MM-DD` (UTC), or null when no call was counted in the window. */
  readonly lastUsedOn: string | null;
  readonly clientIps: number;
  readonly requests: number;
  readonly days: number;
}

export const AuditRpc = {
  changes: defineRpc<ListQuery, Page<ChangeEvent>>('audit.changes.list'),
  failedCalls: defineRpc<ListQuery, Page<FailedCallSummary>>('audit.failed-calls.list'),
  /** One failed call with request and response, or null when it is not of that workspace. */
  failedCall: defineRpc<{ workspaceId: string; id: string }, FailedCallEvent | null>(
    'audit.failed-calls.get',
  ),
  authClients: defineRpc<ListQuery, Page<AuthClientEvent>>('audit.auth-clients.list'),
  tokens: defineRpc<ListQuery, Page<TokenEvent>>('audit.tokens.list'),
  /** Distinct client IPs with request counts on one API over the last N days (IP filter preview). */
  clientIps: defineRpc<ClientIpsQuery, readonly ClientIpCount[]>('audit.client-ips.list'),
  /** When the workspace's credentials were last used and from how many client IPs. */
  keyUsage: defineRpc<KeyUsageQuery, KeyUsage>('audit.key-usage.get'),
} as const;

/** Error codes of the audit service's answers (docs/errors.md). */
export const AuditErrorCodes = {
  invalidCursor: 140400,
  invalidFilter: 140410,
} as const;
