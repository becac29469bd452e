import { Injectable } from '@nestjs/common';
import { DataSource, type EntityTarget, type SelectQueryBuilder } from 'typeorm';
import {
  AUDIT_PAGE,
  type AuditListKind,
  type AuthClientEvent,
  type ChangeEvent,
  type ClientIpCount,
  type ClientIpsQuery,
  type FailedCallEvent,
  type FailedCallSummary,
  type KeyUsage,
  type KeyUsageQuery,
  type ListQuery,
  type Page,
  type TokenEvent,
} from '@loyalty-edge/audit-contracts';
import { AuthClientEventEntity } from '../store/auth-client-event.entity.js';
import { ChangeEntity } from '../store/change.entity.js';
import { ClientIpCountEntity } from '../store/client-ip-count.entity.js';
import { FailedCallEntity } from '../store/failed-call.entity.js';
import { TokenEventEntity } from '../store/token-event.entity.js';
import {
  authClientView,
  changeView,
  failedCallSummaryView,
  failedCallView,
  tokenView,
} from './audit-views.js';
import { encodeCursor } from './cursor.js';
import { listConditions } from './filters.js';

/** The busiest IPs returned by `clientIps`. */
const MAX_CLIENT_IPS = 1000;

/** Read side of the audit store: workspace-scoped, filtered, keyset-paginated, newest first. */
@Injectable()
export class AuditQueriesService {
  constructor(private readonly dataSource: DataSource) {}

  changes(query: ListQuery): Promise<Page<ChangeEvent>> {
    return this.page('changes', ChangeEntity, query, changeView);
  }

  failedCalls(query: ListQuery): Promise<Page<FailedCallSummary>> {
    // the list leaves the bodies out: they can be large, and `failedCall` has them
    return this.page('failedCalls', FailedCallEntity, query, failedCallSummaryView, (qb) =>
      qb.select(
        ['id', 'at', 'api', 'method', 'url', 'status', 'reason', 'clientIp', 'requestId'].map(
          (field) => `e.${field}`,
        ),
      ),
    );
  }

  async failedCall(workspaceId: string, id: string): Promise<FailedCallEvent | null> {
    const row = await this.dataSource
      .getRepository(FailedCallEntity)
      .findOneBy({ id, workspaceId });
    return row ? failedCallView(row) : null;
  }

  authClients(query: ListQuery): Promise<Page<AuthClientEvent>> {
    return this.page('authClients', AuthClientEventEntity, query, authClientView);
  }

  tokens(query: ListQuery): Promise<Page<TokenEvent>> {
    return this.page('tokens', TokenEventEntity, query, tokenView);
  }

  /** Requests per client IP on one API, today (UTC) and the `days - 1` days before. */
  async clientIps(query: ClientIpsQuery, now = new Date()): Promise<ClientIpCount[]> {
    const since = new Date(now.getTime() - (query.days - 1) * 86_400_000);
    const rows = await this.dataSource
      .getRepository(ClientIpCountEntity)
      .createQueryBuilder('c')
      .select('c.ip', 'ip')
      .addSelect('SUM(c.requests)', 'requests')
      .where('c.workspace_id = :workspaceId', { workspaceId: query.workspaceId })
      .andWhere('c.api = :api', { api: query.api })
      .andWhere('c.day >= :since', { since: since.toISOString().slice(0, 10) })
      .groupBy('c.ip')
      .orderBy('requests', 'DESC')
      .addOrderBy('ip', 'ASC')
      .limit(MAX_CLIENT_IPS)
      .getRawMany<{ ip: string; requests: string }>();
    return rows.map((row) => ({ ip: row.ip, requests: Number(row.requests) }));
  }

  /** The last day with a call and the distinct client IPs, over every API of the workspace. */
  async keyUsage(query: KeyUsageQuery, now = new Date()): Promise<KeyUsage> {
    const since = new Date(now.getTime() - (query.days - 1) * 86_400_000);
    const row = await this.dataSource
      .getRepository(ClientIpCountEntity)
      .createQueryBuilder('c')
      .select("to_char(MAX(c.day), 'YYYY-MM-DD')", 'lastUsedOn')
      .addSelect('COUNT(DISTINCT c.ip)', 'clientIps')
      .addSelect('COALESCE(SUM(c.requests), 0)', 'requests')
      .where('c.workspace_id = :workspaceId', { workspaceId: query.workspaceId })
      .andWhere('c.day >= :since', { since: since.toISOString().slice(0, 10) })
      .getRawOne<{ lastUsedOn: string | null; clientIps: string; requests: string }>();
    return {
      lastUsedOn: row?.lastUsedOn ?? null,
      clientIps: Number(row?.clientIps ?? 0),
      requests: Number(row?.requests ?? 0),
      days: query.days,
    };
  }

  private async page<E extends { id: string; at: Date }, V>(
    kind: AuditListKind,
    entity: EntityTarget<E>,
    query: ListQuery,
    view: (row: E) => V,
    shape: (qb: SelectQueryBuilder<E>) => SelectQueryBuilder<E> = (qb) => qb,
  ): Promise<Page<V>> {
    const limit = query.limit ?? AUDIT_PAGE.default;
    const qb = shape(this.dataSource.getRepository(entity).createQueryBuilder('e'));
    for (const condition of listConditions(kind, query))
      qb.andWhere(condition.sql, condition.params);
    // one row more than asked tells whether there is a next page
    const rows = await qb
      .orderBy('e.at', 'DESC')
      .addOrderBy('e.id', 'DESC')
      .limit(limit + 1)
      .getMany();
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return {
      items: items.map(view),
      nextCursor: rows.length > limit && last ? encodeCursor(last) : null,
    };
  }
}
