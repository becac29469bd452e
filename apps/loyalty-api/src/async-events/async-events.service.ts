import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import {
  LoyaltyErrorCodes,
  type AsyncEventAccepted,
  type AsyncEventRequest,
  type AsyncEventStatusResponse,
  type EventRequest,
} from '@loyalty-edge/loyalty-contracts';
import { AppError } from '@loyalty-edge/errors';
import type { GatewayContext } from '../gateway-context/gateway-context.js';
import { withJson } from '../columns.js';
import { parseEvent } from '../events/event-data.js';
import { LoyaltyMetrics } from '../loyalty-metrics.js';
import { AsyncEventEntity } from './async-event.entity.js';
import { ASYNC_EVENTS_OPTIONS, type AsyncEventsOptions } from './async-events.options.js';
import { AsyncQueue } from './async-queue.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A `processing` row untouched this long lost its message (or its worker): publish again. */
const STUCK_PROCESSING_MS = 10 * 60_000;
const SWEEP_BATCH = 100;

/** The Async Events API: accepts events into the queue and reports how they went. */
@Injectable()
export class AsyncEventsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly queue: AsyncQueue,
    private readonly metrics: LoyaltyMetrics,
    @Inject(ASYNC_EVENTS_OPTIONS) private readonly options: AsyncEventsOptions,
  ) {}

  /**
   * Checks the event (a bad action or data is refused now, with 400), stores it as `queued`,
   * commits, then publishes. A failed publish is not the caller's problem: the row stays
   * `queued` and the sweep publishes it again.
   */
  async enqueue(caller: GatewayContext, dto: AsyncEventRequest): Promise<AsyncEventAccepted> {
    try {
      parseEvent(dto.action, dto.data ?? {});
    } catch (error) {
      this.metrics.eventFailed(dto.action, error);
      throw error;
    }
    // only the event's own fields (a null callback_url passes validation: it is not kept)
    const { customer, action, data = {}, external_id, account } = dto;
    const request: EventRequest = {
      customer,
      action,
      data,
      ...(external_id === undefined ? {} : { external_id }),
      ...(account === undefined ? {} : { account }),
    };
    const correlationId = randomUUID();
    const now = new Date();
    await this.dataSource.getRepository(AsyncEventEntity).insert(
      withJson<AsyncEventEntity>({
        correlationId,
        workspaceId: caller.workspaceId,
        clientId: caller.clientId,
        request,
        callbackUrl: null,
        status: 'queued',
        result: null,
        error: null,
        attempts: 0,
        publishAttempts: 1,
        lastPublishAt: now,
        createdAt: now,
        updatedAt: now,
        processedAt: null,
      }),
    );
    await this.queue.publish(correlationId);
    return {
      status: 'success',
      metadata: {},
      payload: { correlation_id: correlationId, status: 'queued' },
    };
  }

  /** The status of one of the caller's workspace's events; others' ids are not found. */
  async status(workspaceId: string, correlationId: string): Promise<AsyncEventStatusResponse> {
    const row = UUID.test(correlationId)
      ? await this.dataSource
          .getRepository(AsyncEventEntity)
          .findOneBy({ correlationId: correlationId.toLowerCase(), workspaceId })
      : null;
    if (!row) {
      throw new AppError(
        'not_found',
        LoyaltyErrorCodes.asyncEventNotFound,
        'Correlation ID not found',
      );
    }
    return {
      status: 'success',
      metadata: {},
      payload: {
        correlation_id: row.correlationId,
        status: row.status,
        ...(row.result === null ? {} : { result: row.result }),
        ...(row.error === null ? {} : { error: row.error }),
      },
    };
  }

  /**
   * Publishes again what may never have reached JetStream: rows still `queued` a while after
   * their last publish, and `processing` rows nobody has touched for long. Rows are claimed
   * with SKIP LOCKED, so replicas sweeping at once do not publish the same row twice.
   */
  async sweep(): Promise<number> {
    const now = Date.now();
    const due = await this.dataSource.transaction(async (manager) => {
      const repository = manager.getRepository(AsyncEventEntity);
      const rows = await repository
        .createQueryBuilder('a')
        .select(['a.correlationId'])
        .where(
          `(a.status = 'queued' AND a.last_publish_at < :queuedBefore)
            OR (a.status = 'processing' AND a.updated_at < :stuckBefore)`,
          {
            queuedBefore: new Date(now - this.options.republishAfterMs),
            stuckBefore: new Date(now - STUCK_PROCESSING_MS),
          },
        )
        .orderBy('a.last_publish_at', 'ASC')
        .limit(SWEEP_BATCH)
        .setLock('pessimistic_write')
        .setOnLocked('skip_locked')
        .getMany();
      const ids = rows.map((row) => row.correlationId);
      if (ids.length > 0) {
        await repository.update(
          { correlationId: In(ids) },
          { lastPublishAt: new Date(now), publishAttempts: () => 'publish_attempts + 1' },
        );
      }
      return ids;
    });
    for (const id of due) await this.queue.publish(id);
    return due.length;
  }

  /** Updates the queue-depth gauge from the table (the row, not the stream, is the truth). */
  async measureQueue(): Promise<void> {
    const counts = await this.dataSource
      .getRepository(AsyncEventEntity)
      .createQueryBuilder('a')
      .select('a.status', 'status')
      .addSelect('COUNT(*)', 'count')
      .where('a.status IN (:...open)', { open: ['queued', 'processing'] })
      .groupBy('a.status')
      .getRawMany<{ status: string; count: string }>();
    const of = (status: string): number =>
      Number(counts.find((row) => row.status === status)?.count ?? 0);
    this.metrics.setQueueDepth(of('queued'), of('processing'));
  }
}
