import {
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { KV_BUCKETS } from '@loyalty-edge/contracts';
import { KvWatcher, NatsLink, openBucket, type KvChange } from '@loyalty-edge/nats';
import { JWKS_KEY, type Jwks } from '@loyalty-edge/token-contracts';
import { SigningKeysService } from './signing-keys.service.js';

export const MAINTENANCE_INTERVAL_MS = 60_000;

/**
 * Keeps every replica's keys current. At start: a first key if there is none, the keys loaded,
 * the JWKS and issuer record queued for KV when they changed (the outbox's reconcile repairs a
 * lost or altered entry). Then every minute: rotate when due, reload, queue the JWKS when it
 * changed (a key added or past its retention). And whenever the JWKS in KV changes (another
 * replica rotated), reload at once, so all replicas hold the next key before it activates and
 * switch to it together.
 */
@Injectable()
export class KeyMaintenance implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(KeyMaintenance.name);
  private timer: NodeJS.Timeout | undefined;
  private watcher: KvWatcher<unknown> | undefined;
  private current: Promise<unknown> | undefined;

  constructor(
    private readonly keys: SigningKeysService,
    private readonly link: NatsLink,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.run(new Date());
    await this.keys.publishIssuer();
    this.watcher = new KvWatcher<unknown>(await openBucket(this.link, KV_BUCKETS.jwks), (change) =>
      this.watched(change),
    );
    await this.watcher.start();
    this.timer = setInterval(() => {
      this.current ??= this.run(new Date())
        .catch((error: unknown) =>
          this.logger.warn({ msg: 'key maintenance failed', error: nameOf(error) }),
        )
        .finally(() => (this.current = undefined));
    }, MAINTENANCE_INTERVAL_MS);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    this.watcher?.stop();
    await this.current;
  }

  /** One maintenance pass (the timer's; tests call it directly). */
  async run(now: Date): Promise<void> {
    await this.keys.rotateIfDue(now);
    await this.keys.reload();
    await this.keys.publish();
  }

  private watched(change: KvChange<unknown>): void {
    if (change.key !== JWKS_KEY) return;
    if (!this.keys.observe(change.value as Jwks | undefined)) return;
    this.keys
      .reload()
      .catch((error: unknown) =>
        this.logger.warn({ msg: 'signing key reload failed', error: nameOf(error) }),
      );
  }
}

function nameOf(error: unknown): string {
  return error instanceof Error ? error.name : 'unknown';
}
