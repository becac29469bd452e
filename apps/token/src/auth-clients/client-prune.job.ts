import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { AuthClientEntity } from './auth-client.entity.js';
import { ClientRecords } from './client-records.js';
import { CLIENT_SETTINGS, pruneAfterSeconds, type ClientSettings } from './client-settings.js';

export const PRUNE_INTERVAL_MS = 60_000;
const BATCH = 500;

/**
 * Deletes the KV record of every client revoked or expired long enough ago that no token of it
 * can still be valid (token validity + 60 s), and marks the row pruned. Runs every minute;
 * replicas skip the rows another one is pruning.
 */
@Injectable()
export class ClientPruneJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ClientPruneJob.name);
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<unknown> | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly records: ClientRecords,
    @Inject(CLIENT_SETTINGS) private readonly settings: ClientSettings,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.current ??= this.prune()
        .catch((error: unknown) =>
          this.logger.warn({
            msg: 'auth client prune failed',
            error: error instanceof Error ? error.name : 'unknown',
          }),
        )
        .finally(() => (this.current = undefined));
    }, PRUNE_INTERVAL_MS);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.current;
  }

  /** One pass; returns how many records were removed from KV. */
  async prune(now = new Date()): Promise<number> {
    const horizon = new Date(now.getTime() - pruneAfterSeconds(this.settings) * 1000);
    let total = 0;
    for (;;) {
      const { pruned, ticket } = await this.dataSource.transaction(async (manager) => {
        const repository = manager.getRepository(AuthClientEntity);
        const rows = await repository
          .createQueryBuilder('c')
          .select(['c.id', 'c.clientId'])
          .where('c.pruned_at IS NULL')
          .andWhere('(c.revoked_at < :horizon OR c.expires_at < :horizon)', { horizon })
          .orderBy('c.expires_at')
          .limit(BATCH)
          .setLock('pessimistic_write')
          .setOnLocked('skip_locked')
          .getMany();
        const clientIds = rows.map((row) => row.clientId);
        if (rows.length === 0) return { pruned: clientIds, ticket: { ids: [] } };
        await repository.update({ id: In(rows.map((row) => row.id)) }, { prunedAt: now });
        // the deletes commit with the rows marked pruned, and reach KV after the commit
        return { pruned: clientIds, ticket: await this.records.remove(manager, clientIds) };
      });
      await this.records.removed(pruned, ticket);
      total += pruned.length;
      if (pruned.length < BATCH) break;
    }
    if (total > 0) this.logger.log({ msg: 'auth client records pruned', count: total });
    return total;
  }
}
