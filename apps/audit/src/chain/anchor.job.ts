import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuditLogName } from '@loyalty-edge/audit-contracts';
import { ChainAnchorEntity, ChainHeadEntity } from '../store/chain-head.entity.js';
import { signAnchor, type AnchorContent } from './anchors.js';
import { stableJson } from './canonical.js';
import { CHAIN_SETTINGS, type ChainSettings } from './chain-settings.js';

/**
 * Signs each workspace's chain heads every interval (only those that moved since the workspace's
 * last anchor), so that deleting the newest entries, and the heads with them, shows. One replica
 * at a time (a transaction-scoped advisory lock); without AUDIT_ANCHOR_KEY it does nothing.
 */
@Injectable()
export class AnchorJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(AnchorJob.name);
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<unknown> | undefined;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(CHAIN_SETTINGS) private readonly settings: ChainSettings,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.settings.anchorKey) {
      this.logger.warn({ msg: 'AUDIT_ANCHOR_KEY not set: chain heads are not anchored' });
      return;
    }
    const tick = (): void => {
      this.current ??= this.run()
        .catch((error: unknown) =>
          this.logger.warn({ msg: 'anchoring failed', code: codeOf(error) }),
        )
        .finally(() => (this.current = undefined));
    };
    this.timer = setInterval(tick, this.settings.anchorIntervalMs);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.current;
  }

  /** Anchors every workspace whose heads moved; returns how many (null: another replica is). */
  async run(now = new Date()): Promise<number | null> {
    const key = this.settings.anchorKey;
    if (!key) return 0;
    const heads = this.dataSource.getMetadata(ChainHeadEntity).tablePath;
    const anchors = this.dataSource.getMetadata(ChainAnchorEntity).tablePath;
    return this.dataSource.transaction(async (manager) => {
      const [lock] = await manager.query<{ locked: boolean }[]>(
        'SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked',
        [`anchors:${anchors}`],
      );
      if (lock?.locked !== true) return null;
      const current = new Map<string, Record<string, { seq: number; hash: string }>>();
      const rows = await manager.query<
        { workspace: string; log: AuditLogName; seq: string; hash: string }[]
      >(`SELECT workspace, log, seq, hash FROM ${heads} WHERE seq > 0`);
      for (const row of rows) {
        const entry = current.get(row.workspace) ?? {};
        entry[row.log] = { seq: Number(row.seq), hash: row.hash };
        current.set(row.workspace, entry);
      }
      const last = await manager.query<{ workspace: string; heads: unknown }[]>(
        `SELECT DISTINCT ON (workspace) workspace, heads FROM ${anchors} ORDER BY workspace, id DESC`,
      );
      const signed = new Map(last.map((row) => [row.workspace, stableJson(row.heads)]));
      const at = now.toISOString();
      const fresh = [...current].filter(([ws, h]) => signed.get(ws) !== stableJson(h));
      for (const [workspace, content] of fresh) {
        const anchor: AnchorContent = { workspace, at, heads: content };
        await manager.query(
          `INSERT INTO ${anchors} (workspace, at, heads, mac) VALUES ($1, $2, $3, $4)`,
          [workspace, at, JSON.stringify(content), signAnchor(key, anchor)],
        );
      }
      if (fresh.length > 0)
        this.logger.log({ msg: 'chain heads anchored', workspaces: fresh.length });
      return fresh.length;
    });
  }
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'unknown';
}
