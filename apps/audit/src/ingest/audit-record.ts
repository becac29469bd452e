import type {
  AuthClientEvent,
  ChangeEvent,
  ClientIpCountsEvent,
  FailedCallEvent,
  TokenEvent,
} from '@loyalty-edge/audit-contracts';

/** A validated, redacted event, tagged with its type (also the metric label). */
export type AuditRecord =
  | { readonly type: 'change'; readonly event: ChangeEvent }
  | { readonly type: 'failed_call'; readonly event: FailedCallEvent }
  | { readonly type: 'auth_client'; readonly event: AuthClientEvent }
  | { readonly type: 'token'; readonly event: TokenEvent }
  | { readonly type: 'client_ips'; readonly event: ClientIpCountsEvent };

export type RecordType = AuditRecord['type'];

export const RECORD_TYPES: readonly RecordType[] = [
  'change',
  'failed_call',
  'auth_client',
  'token',
  'client_ips',
];

/** Why a message was refused for good (a metric label; the payload itself is never logged). */
export type Rejection = 'unknown_subject' | 'bad_json' | 'invalid' | 'unstorable';
