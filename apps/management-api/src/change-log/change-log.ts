import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { AuditEvents, type ChangeEvent } from '@loyalty-edge/audit-contracts';
import type { Actor } from '@loyalty-edge/contracts';
import { EventPublisher } from '@loyalty-edge/nats';
import { redactValue } from '@loyalty-edge/redaction';
import type { Caller } from '../access/principal.js';

export interface Change {
  readonly workspaceId: string | null;
  /** `<resource>.<past tense>`, e.g. `workspace.modules.updated`. */
  readonly action: string;
  readonly target?: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

export function actorOf(caller: Caller): Actor {
  const { principal } = caller;
  return principal.via === 'token'
    ? { type: 'token', id: principal.tokenId ?? principal.adminId, email: principal.email }
    : { type: 'admin', id: principal.adminId, email: principal.email };
}

/** Where a change came from: the admin web app (a session) or automation (an access token). */
export function sourceOf(caller: Caller): 'ui' | 'api' {
  return caller.principal.via === 'session' ? 'ui' : 'api';
}

/**
 * The admin change log: services call `record` once a change has committed. Before and after
 * pass through the shared redaction; the event is published to JetStream without waiting.
 */
@Injectable()
export class ChangeLog {
  private readonly logger = new Logger(ChangeLog.name);

  constructor(private readonly publisher: EventPublisher) {}

  record(caller: Caller, change: Change): void {
    this.publish(change, actorOf(caller), sourceOf(caller), {
      requestId: caller.requestId,
      clientIp: caller.clientIp,
    });
  }

  /**
   * A step taken by someone not signed in (the holder of an invitation link); the actor is
   * `system/anonymous`, the source `ui`.
   */
  recordAnonymous(change: Change, request: { requestId: string; clientIp: string }): void {
    this.publish(change, { type: 'system', id: 'anonymous' }, 'ui', request);
  }

  /** A change made by the service itself (the bootstrap operator). */
  recordSystem(change: Change): void {
    this.publish(change, { type: 'system', id: 'management-api' }, 'system', {});
  }

  private publish(
    change: Change,
    actor: Actor,
    source: ChangeEvent['source'],
    request: { requestId?: string; clientIp?: string },
  ): void {
    const event: ChangeEvent = {
      id: randomUUID(),
      at: new Date().toISOString(),
      workspaceId: change.workspaceId,
      actor,
      action: change.action,
      source,
      ...(change.target === undefined ? {} : { target: change.target }),
      ...(change.before === undefined ? {} : { before: redactValue(change.before) }),
      ...(change.after === undefined ? {} : { after: redactValue(change.after) }),
      ...request,
    };
    if (!this.publisher.publish(AuditEvents.change, event, event.id)) {
      this.logger.error({
        msg: 'change event dropped: publish buffer full',
        action: change.action,
      });
    }
  }
}
