import type {
  AuthClientEvent,
  ChangeEvent,
  FailedCallEvent,
  FailedCallSummary,
  TokenEvent,
} from '@loyalty-edge/audit-contracts';
import type { Actor } from '@loyalty-edge/contracts';
import type { AuthClientEventEntity } from '../store/auth-client-event.entity.js';
import type { ChangeEntity } from '../store/change.entity.js';
import type { FailedCallEntity } from '../store/failed-call.entity.js';
import type { TokenEventEntity } from '../store/token-event.entity.js';

/** Rows → contract types. Optional fields stored as NULL are left out, as publishers sent them. */
function actor(type: Actor['type'], id: string, email: string | null): Actor {
  return email === null ? { type, id } : { type, id, email };
}

export function changeView(row: ChangeEntity): ChangeEvent {
  return {
    id: row.id,
    at: row.at.toISOString(),
    workspaceId: row.workspaceId,
    actor: actor(row.actorType, row.actorId, row.actorEmail),
    action: row.action,
    ...(row.target === null ? {} : { target: row.target }),
    ...(row.before === null ? {} : { before: row.before }),
    ...(row.after === null ? {} : { after: row.after }),
    source: row.source,
    ...(row.requestId === null ? {} : { requestId: row.requestId }),
    ...(row.clientIp === null ? {} : { clientIp: row.clientIp }),
  };
}

export function failedCallSummaryView(row: FailedCallEntity): FailedCallSummary {
  return {
    id: row.id,
    at: row.at.toISOString(),
    api: row.api,
    method: row.method,
    url: row.url,
    status: row.status,
    reason: row.reason,
    clientIp: row.clientIp,
    requestId: row.requestId,
  };
}

export function failedCallView(row: FailedCallEntity): FailedCallEvent {
  return {
    id: row.id,
    at: row.at.toISOString(),
    workspaceId: row.workspaceId,
    api: row.api,
    clientIp: row.clientIp,
    requestId: row.requestId,
    reason: row.reason,
    durationMs: row.durationMs,
    request: row.request,
    response: row.response,
  };
}

export function authClientView(row: AuthClientEventEntity): AuthClientEvent {
  return {
    id: row.id,
    at: row.at.toISOString(),
    workspaceId: row.workspaceId,
    clientId: row.clientId,
    clientName: row.clientName,
    action: row.action,
    actor: actor(row.actorType, row.actorId, row.actorEmail),
    source: row.source,
    ...(row.requestId === null ? {} : { requestId: row.requestId }),
  };
}

export function tokenView(row: TokenEventEntity): TokenEvent {
  return {
    id: row.id,
    at: row.at.toISOString(),
    workspaceId: row.workspaceId,
    clientId: row.clientId,
    outcome: row.outcome,
    ...(row.errorCode === null ? {} : { errorCode: row.errorCode }),
    ...(row.error === null ? {} : { error: row.error }),
    ...(row.errorMessage === null ? {} : { errorMessage: row.errorMessage }),
    ...(row.scope === null ? {} : { scope: row.scope }),
    ...(row.audience === null ? {} : { audience: row.audience }),
    ...(row.jti === null ? {} : { jti: row.jti }),
    clientIp: row.clientIp,
    ...(row.userAgent === null ? {} : { userAgent: row.userAgent }),
    ...(row.requestId === null ? {} : { requestId: row.requestId }),
  };
}
