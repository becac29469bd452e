import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  CUSTOMER_EVENTS_PAGE,
  CUSTOMER_PAGE,
  type CustomerEvents,
  type CustomerPage,
  type CustomerStatus,
  type CustomerView,
} from '@loyalty-edge/loyalty-contracts';
import { EventEntity } from '../events/event.entity.js';
import { customerNotFound } from '../events/event-rules.js';
import { CustomerEntity } from './customer.entity.js';
import { toCustomerView } from './customer-view.js';
import { decodeCursor, encodeCursor } from './cursor.js';

export interface ListCustomers {
  readonly limit?: number;
  readonly cursor?: string;
  readonly status?: CustomerStatus;
}

/** The Customer API: reads of one workspace's customers. */
@Injectable()
export class CustomersService {
  constructor(private readonly dataSource: DataSource) {}

  async get(workspaceId: string, id: string): Promise<CustomerView> {
    const row = await this.dataSource.getRepository(CustomerEntity).findOneBy({ workspaceId, id });
    if (!row) throw customerNotFound();
    return toCustomerView(row);
  }

  /** Ordered by id; one extra row is read to know whether there is a next page. */
  async list(workspaceId: string, query: ListCustomers): Promise<CustomerPage> {
    const limit = query.limit ?? CUSTOMER_PAGE.defaultLimit;
    const builder = this.dataSource
      .getRepository(CustomerEntity)
      .createQueryBuilder('c')
      .where('c.workspace_id = :workspaceId', { workspaceId })
      .orderBy('c.id', 'ASC')
      .limit(limit + 1);
    if (query.status !== undefined)
      builder.andWhere('c.status = :status', { status: query.status });
    if (query.cursor !== undefined) {
      builder.andWhere('c.id > :after', { after: decodeCursor(query.cursor) });
    }
    const rows = await builder.getMany();
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      data: page.map(toCustomerView),
      next_cursor: rows.length > limit && last ? encodeCursor(last.id) : null,
    };
  }

  /** The customer's latest applied events, newest first; 404 for an unknown customer. */
  async events(workspaceId: string, id: string, limit?: number): Promise<CustomerEvents> {
    await this.get(workspaceId, id);
    const rows = await this.dataSource.getRepository(EventEntity).find({
      where: { workspaceId, customerId: id },
      order: { createdAt: 'DESC', id: 'DESC' },
      take: limit ?? CUSTOMER_EVENTS_PAGE.defaultLimit,
    });
    return {
      data: rows.map((row) => ({
        id: row.id,
        action: row.action,
        points: row.points,
        data: row.data,
        external_id: row.externalId,
        source: row.source,
        created_at: row.createdAt.toISOString(),
      })),
    };
  }

  async count(workspaceId: string, status?: CustomerStatus): Promise<number> {
    return this.dataSource
      .getRepository(CustomerEntity)
      .countBy(status === undefined ? { workspaceId } : { workspaceId, status });
  }
}
