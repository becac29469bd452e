import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager, type Repository } from 'typeorm';
import type {
  BulkEventResponse,
  BulkEventResult,
  EventError,
  EventRequest,
  EventResponse,
} from '@loyalty-edge/loyalty-contracts';
import { AppError, describeError, errorForStatus, toEnvelope } from '@loyalty-edge/errors';
import { withJson } from '../columns.js';
import { CustomerEntity } from '../customers/customer.entity.js';
import { toCustomerView } from '../customers/customer-view.js';
import { LoyaltyMetrics } from '../loyalty-metrics.js';
import { parseEvent } from './event-data.js';
import { EventEntity, type EventSource } from './event.entity.js';
import { applyEvent, pointsOf, type CustomerState } from './event-rules.js';

export interface ApplyOptions {
  readonly source: EventSource;
  readonly correlationId?: string;
}

/** The Events API: validates an event, applies it to the customer, and records it. */
@Injectable()
export class EventsService {
  private readonly logger = new Logger(EventsService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly metrics: LoyaltyMetrics,
  ) {}

  /** One event in its own transaction. */
  async submit(
    workspaceId: string,
    request: EventRequest,
    source: EventSource = 'api',
  ): Promise<EventResponse> {
    try {
      const response = await this.dataSource.transaction((manager) =>
        this.applyIn(manager, workspaceId, request, { source }),
      );
      this.metrics.event(request.action, 'ok');
      return response;
    } catch (error) {
      this.metrics.eventFailed(request.action, error);
      throw error;
    }
  }

  /** Events one by one, in order, each in its own transaction; a failure does not stop the rest. */
  async bulk(workspaceId: string, requests: readonly EventRequest[]): Promise<BulkEventResponse> {
    const results: BulkEventResult[] = [];
    for (const [index, request] of requests.entries()) {
      try {
        results.push({
          index,
          status: 'ok',
          customer: await this.submit(workspaceId, request, 'bulk'),
        });
      } catch (error) {
        results.push({ index, status: 'error', error: this.eventError(error) });
      }
    }
    return { results };
  }

  /**
   * Applies an event inside the caller's transaction (also used by the async worker), holding
   * a row lock on the customer. A refused event throws an AppError before anything is written.
   */
  async applyIn(
    manager: EntityManager,
    workspaceId: string,
    request: EventRequest,
    options: ApplyOptions,
    retried = false,
  ): Promise<EventResponse> {
    const event = parseEvent(request.action, request.data ?? {});
    const customers = manager.getRepository(CustomerEntity);
    const key = { workspaceId, id: request.customer };
    const current = await customers.findOne({ where: key, lock: { mode: 'pessimistic_write' } });
    const next = applyEvent(current === null ? undefined : stateOf(current), event);
    const now = new Date();
    let saved: CustomerEntity;
    if (current === null) {
      saved = customers.create({ ...key, ...next, createdAt: now, updatedAt: now });
      if (!(await this.insertIfAbsent(customers, saved))) {
        // a concurrent opt_in created the customer first (and has committed): apply to theirs
        if (retried) throw new Error('customer insert conflicted twice');
        return this.applyIn(manager, workspaceId, request, options, true);
      }
    } else {
      saved = customers.merge(current, { ...next, updatedAt: now });
      await customers.update(key, { ...next, updatedAt: now });
    }
    const points = pointsOf(event);
    const stored = await this.record(manager, {
      workspaceId,
      customerId: request.customer,
      action: event.action,
      data: { ...request.data },
      points: points ?? null,
      externalId: request.external_id ?? null,
      account: request.account ?? null,
      source: options.source,
      correlationId: options.correlationId ?? null,
      createdAt: now,
    });
    return {
      ...toCustomerView(saved),
      events: [
        { id: stored.id, action: stored.action, ...(points === undefined ? {} : { points }) },
      ],
    };
  }

  /** The inner envelope of an error, as bulk results and async statuses report it. */
  eventError(error: unknown): EventError {
    if (error instanceof AppError) return toEnvelope(error).error;
    this.logger.error({ msg: 'event failed unexpectedly', error: describeError(error) });
    return toEnvelope(errorForStatus(500, 'Internal error')).error;
  }

  /** INSERT … ON CONFLICT DO NOTHING; false when the customer already existed. */
  private async insertIfAbsent(
    customers: Repository<CustomerEntity>,
    row: CustomerEntity,
  ): Promise<boolean> {
    const result = await customers
      .createQueryBuilder()
      .insert()
      .values(row)
      .orIgnore()
      .returning(['id'])
      .execute();
    return Array.isArray(result.raw) && result.raw.length > 0;
  }

  private async record(
    manager: EntityManager,
    values: Omit<EventEntity, 'id'>,
  ): Promise<EventEntity> {
    const row = manager.getRepository(EventEntity).create({ id: randomUUID(), ...values });
    await manager.getRepository(EventEntity).insert(withJson(row));
    return row;
  }
}

function stateOf(row: CustomerEntity): CustomerState {
  const { status, firstName, lastName, email, birthDate, language, score, spent, spendable } = row;
  return { status, firstName, lastName, email, birthDate, language, score, spent, spendable };
}
