import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError } from '@loyalty-edge/errors';
import { withJson } from '../columns.js';
import { EventsService } from '../events/events.service.js';
import { LoyaltyMetrics, type EventOutcome } from '../loyalty-metrics.js';
import { AsyncEventEntity } from './async-event.entity.js';

/** Unexpected failures (not a refused event) are retried this many times, then recorded. */
export const MAX_ATTEMPTS = 10;

/**
 * Processes one queued async event with the same rules as `POST /events`. Idempotent: a row
 * already processed or failed is skipped, and the event and the row's outcome commit in one
 * transaction, so a redelivered message can never apply an event twice.
 */
@Injectable()
export class AsyncProcessor {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventsService,
    private readonly metrics: LoyaltyMetrics,
  ) {}

  /**
   * Throws only on an unexpected failure before the last attempt (the message is then
   * delivered again); a refused event is stored as `failed` with its error.
   */
  async process(correlationId: string, attempt: number): Promise<void> {
    if (!(await this.markProcessing(correlationId))) return;
    const outcome = await this.dataSource.transaction(async (manager) => {
      const repository = manager.getRepository(AsyncEventEntity);
      const row = await repository.findOne({
        where: { correlationId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!row || row.status === 'processed' || row.status === 'failed') return undefined;
      const finish = (values: Partial<AsyncEventEntity>): Promise<unknown> =>
        repository.update({ correlationId }, withJson({ ...values, updatedAt: new Date() }));
      // a savepoint, so a refused or broken event can be undone and the row still updated
      await manager.query('SAVEPOINT apply_event');
      try {
        const result = await this.events.applyIn(manager, row.workspaceId, row.request, {
          source: 'async',
          correlationId,
        });
        await finish({ status: 'processed', result, processedAt: new Date() });
        return { action: row.request.action, outcome: 'ok' as EventOutcome };
      } catch (error) {
        if (!(error instanceof AppError) && attempt < MAX_ATTEMPTS) throw error;
        await manager.query('ROLLBACK TO SAVEPOINT apply_event');
        await finish({
          status: 'failed',
          error: this.events.eventError(error),
          processedAt: new Date(),
        });
        const kind: EventOutcome = error instanceof AppError ? error.kind : 'error';
        return { action: row.request.action, outcome: kind };
      }
    });
    if (outcome) this.metrics.event(outcome.action, outcome.outcome);
  }

  /** Shows the row as `processing`; false when it is unknown or already finished. */
  private async markProcessing(correlationId: string): Promise<boolean> {
    const result = await this.dataSource
      .getRepository(AsyncEventEntity)
      .createQueryBuilder()
      .update()
      .set({ status: 'processing', attempts: () => 'attempts + 1', updatedAt: new Date() })
      .where('correlation_id = :correlationId', { correlationId })
      .andWhere('status IN (:...open)', { open: ['queued', 'processing'] })
      .execute();
    return (result.affected ?? 0) > 0;
  }
}
