import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { Counter } from 'prom-client';
import { DataSource, type EntityTarget, type ObjectLiteral } from 'typeorm';
import type { AuditLogName } from '@loyalty-edge/audit-contracts';
import { Metrics } from '@loyalty-edge/observability';
import { CHAIN_LOGS, type ChainLog } from '../chain/chain-logs.js';
import { purgeChains } from '../chain/chain-retention.js';
import type { AuditConfig } from '../config.js';
import { AuthClientEventEntity } from '../store/auth-client-event.entity.js';
import { ChangeEntity } from '../store/change.entity.js';
import { ClientIpCountEntity, ClientIpEventEntity } from '../store/client-ip-count.entity.js';
import { FailedCallEntity } from '../store/failed-call.entity.js';
import { TokenEventEntity } from '../store/token-event.entity.js';

export const RETENTION_SETTINGS = 'AUDIT_RETENTION_SETTINGS';
export type RetentionSettings = AuditConfig['retention'] & { readonly streamMaxAgeDays: number };

interface Rule {
  readonly entity: EntityTarget<ObjectLiteral>;
  readonly table: string;
  /** The column compared with the cut-off, and the cut-off's SQL type. */
  readonly column: 'at' | 'day';
  readonly days: number;
  /** A hash-chained log: purged chain by chain from each chain's start. */
  readonly chain?: ChainLog;
}

const chainLog = (name: AuditLogName): ChainLog => {
  const log = CHAIN_LOGS.find((candidate) => candidate.name === name);
  if (!log) throw new Error(`unknown log ${name}`);
  return log;
};

/**
 * Deletes rows past their retention: at start, then every interval. Deletes go in batches (short
 * transactions, no long locks); an advisory lock lets one replica purge at a time. The chained
 * logs are purged from each chain's start, which moves with them (purgeChains).
 */
@Injectable()
export class RetentionJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(RetentionJob.name);
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<unknown> | undefined;
  private readonly deletedRows: Counter<'table'>;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(RETENTION_SETTINGS) private readonly settings: RetentionSettings,
    metrics: Metrics,
  ) {
    this.deletedRows = metrics.counter(
      'retention_deleted_total',
      'Rows deleted by the retention job',
      ['table'],
    );
  }

  onApplicationBootstrap(): void {
    const tick = (): void => {
      this.current ??= this.run()
        .catch((error: unknown) =>
          this.logger.warn({ msg: 'retention run failed', code: codeOf(error) }),
        )
        .finally(() => (this.current = undefined));
    };
    tick();
    this.timer = setInterval(tick, this.settings.intervalMs);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.current;
  }

  /** The tables, their time column and how many days they keep. */
  rules(): readonly Rule[] {
    const { auditDays, failedCallDays, streamMaxAgeDays } = this.settings;
    const at = (log: AuditLogName, days: number) =>
      ({ column: 'at', days, chain: chainLog(log) }) as const;
    return [
      { ...at('changes', auditDays), entity: ChangeEntity, table: 'changes' },
      {
        ...at('auth-clients', auditDays),
        entity: AuthClientEventEntity,
        table: 'auth_client_events',
      },
      { ...at('tokens', auditDays), entity: TokenEventEntity, table: 'token_events' },
      { ...at('failed-calls', failedCallDays), entity: FailedCallEntity, table: 'failed_calls' },
      {
        entity: ClientIpCountEntity,
        table: 'client_ip_counts',
        column: 'day',
        days: failedCallDays,
      },
      // the ledger must outlive any redelivery of the events it names
      {
        entity: ClientIpEventEntity,
        table: 'client_ip_events',
        column: 'at',
        days: Math.max(failedCallDays, streamMaxAgeDays + 1),
      },
    ];
  }

  /**
   * Purges every table once. Returns rows deleted per table, or null when another replica
   * holds the purge lock.
   */
  async run(now = new Date()): Promise<Record<string, number> | null> {
    // one lock per deployment: the schema is part of the table path
    const lockKey = `retention:${this.dataSource.getMetadata(ChangeEntity).tablePath}`;
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const [lock] = (await runner.query('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [
        lockKey,
      ])) as { locked: boolean }[];
      if (lock?.locked !== true) return null;
      try {
        const deleted: Record<string, number> = {};
        for (const rule of this.rules()) {
          const count = await this.purge(
            rule,
            now,
            (sql, params) =>
              // a DELETE answers [rows, affected count]
              runner.query(sql, params) as Promise<[unknown[], number]>,
          );
          deleted[rule.table] = count;
          this.deletedRows.inc({ table: rule.table }, count);
        }
        this.logger.log({ msg: 'retention applied', deleted });
        return deleted;
      } finally {
        await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [lockKey]);
      }
    } finally {
      await runner.release();
    }
  }

  private async purge(
    rule: Rule,
    now: Date,
    query: (sql: string, params: unknown[]) => Promise<[unknown[], number]>,
  ): Promise<number> {
    const table = this.dataSource.getMetadata(rule.entity).tablePath;
    const cutoff = cutoffOf(now, rule.days, rule.column);
    if (rule.chain) {
      return purgeChains(this.dataSource, rule.chain, cutoff, this.settings.batchSize);
    }
    const sql = `DELETE FROM ${table} WHERE ctid IN (SELECT ctid FROM ${table} WHERE ${rule.column} < $1 LIMIT $2)`;
    let total = 0;
    for (;;) {
      const [, count] = await query(sql, [cutoff, this.settings.batchSize]);
      total += count;
      if (count < this.settings.batchSize) return total;
    }
  }
}

/** `days` before `now`: an instant for timestamps, a UTC date for day columns. */
export function cutoffOf(now: Date, days: number, column: 'at' | 'day'): string {
  const cutoff = new Date(now.getTime() - days * 86_400_000);
  return column === 'day' ? cutoff.toISOString().slice(0, 10) : cutoff.toISOString();
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'unknown';
}
