import type {
  AuthClientEvent,
  ChangeEvent,
  FailedCallSummary,
  TokenEvent,
} from '@loyalty-edge/audit-contracts';
import type { Column } from './export.js';

export const CHANGE_COLUMNS: readonly Column<ChangeEvent>[] = [
  ['at', (e) => e.at],
  ['action', (e) => e.action],
  ['actor_type', (e) => e.actor.type],
  ['actor_id', (e) => e.actor.id],
  ['actor_email', (e) => e.actor.email],
  ['target', (e) => e.target],
  ['source', (e) => e.source],
  ['before', (e) => e.before],
  ['after', (e) => e.after],
  ['request_id', (e) => e.requestId],
  ['client_ip', (e) => e.clientIp],
  ['id', (e) => e.id],
];

export const AUTH_CLIENT_COLUMNS: readonly Column<AuthClientEvent>[] = [
  ['at', (e) => e.at],
  ['action', (e) => e.action],
  ['client_id', (e) => e.clientId],
  ['client_name', (e) => e.clientName],
  ['actor_type', (e) => e.actor.type],
  ['actor_id', (e) => e.actor.id],
  ['actor_email', (e) => e.actor.email],
  ['source', (e) => e.source],
  ['request_id', (e) => e.requestId],
  ['id', (e) => e.id],
];

export const TOKEN_COLUMNS: readonly Column<TokenEvent>[] = [
  ['at', (e) => e.at],
  ['outcome', (e) => e.outcome],
  ['client_id', (e) => e.clientId],
  ['scope', (e) => e.scope],
  ['audience', (e) => e.audience],
  ['error_code', (e) => e.errorCode],
  ['error', (e) => e.error],
  ['error_message', (e) => e.errorMessage],
  ['jti', (e) => e.jti],
  ['client_ip', (e) => e.clientIp],
  ['user_agent', (e) => e.userAgent],
  ['request_id', (e) => e.requestId],
  ['id', (e) => e.id],
];

export const FAILED_CALL_COLUMNS: readonly Column<FailedCallSummary>[] = [
  ['at', (e) => e.at],
  ['api', (e) => e.api],
  ['method', (e) => e.method],
  ['url', (e) => e.url],
  ['status', (e) => e.status],
  ['reason', (e) => e.reason],
  ['client_ip', (e) => e.clientIp],
  ['request_id', (e) => e.requestId],
  ['id', (e) => e.id],
];
