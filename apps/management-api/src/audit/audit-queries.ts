import { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import {
  AuditRpc,
  type FailedCallEvent,
  type ListQuery,
  type Page,
} from '@loyalty-edge/audit-contracts';
import type { RpcContract } from '@loyalty-edge/contracts';
import { AppError } from '@loyalty-edge/errors';
import { ManagementErrorCodes } from '@loyalty-edge/management-contracts';
import { RpcClient } from '@loyalty-edge/nats';
import { MANAGEMENT_CONFIG, type ManagementConfig } from '../config.js';
import type { PageQueryDto } from './audit-query.dto.js';
import { exportLines, type Column } from './export.js';

/** An export download: a stream of CSV or NDJSON lines. */
export interface ExportStream {
  readonly stream: Readable;
  readonly contentType: string;
  readonly filename: string;
}

const EXPORT_PAGE = 200;

/** Audit log and failed-call queries, answered by the audit service over NATS. */
@Injectable()
export class AuditQueries {
  constructor(
    private readonly rpc: RpcClient,
    @Inject(MANAGEMENT_CONFIG) private readonly config: ManagementConfig,
  ) {}

  /** One page, or with `format` csv/ndjson every matching record as a stream. */
  async list<T>(
    contract: RpcContract<ListQuery, Page<T>>,
    workspaceId: string,
    query: PageQueryDto,
    filters: Readonly<Record<string, string | number | undefined>>,
    columns: readonly Column<T>[],
  ): Promise<Page<T> | ExportStream> {
    const base: ListQuery = {
      workspaceId,
      ...(query.from === undefined ? {} : { from: query.from }),
      ...(query.to === undefined ? {} : { to: query.to }),
      filters: Object.fromEntries(
        Object.entries(filters).flatMap(([key, value]) =>
          value === undefined ? [] : [[key, String(value)]],
        ),
      ),
    };
    const { format = 'json', cursor, limit } = query;
    if (format === 'json') {
      return this.rpc.request(contract, {
        ...base,
        ...(cursor === undefined ? {} : { cursor }),
        limit: limit ?? 50,
      });
    }
    // the first page before answering: an unreachable audit service is a 503, not a cut stream
    const first = await this.rpc.request(contract, {
      ...base,
      ...(cursor === undefined ? {} : { cursor }),
      limit: EXPORT_PAGE,
    });
    const records = this.all(contract, base, first);
    return {
      stream: Readable.from(exportLines(records, format, columns)),
      contentType: format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson',
      filename: `${contract.subject.split('.')[1] ?? 'audit'}-${workspaceId}.${format}`,
    };
  }

  async failedCall(workspaceId: string, id: string): Promise<FailedCallEvent> {
    const call = await this.rpc.request(AuditRpc.failedCall, { workspaceId, id });
    if (call?.workspaceId !== workspaceId) {
      throw new AppError(
        'not_found',
        ManagementErrorCodes.failedCallNotFound,
        'Failed call not found',
      );
    }
    return call;
  }

  private async *all<T>(
    contract: RpcContract<ListQuery, Page<T>>,
    base: ListQuery,
    first: Page<T>,
  ): AsyncGenerator<T> {
    let page = first;
    let count = 0;
    for (;;) {
      for (const item of page.items) {
        yield item;
        count += 1;
        if (count >= this.config.audit.exportMaxRows) return;
      }
      if (page.nextCursor === null) return;
      page = await this.rpc.request(contract, {
        ...base,
        cursor: page.nextCursor,
        limit: EXPORT_PAGE,
      });
    }
  }
}
