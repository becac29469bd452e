import {
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { KV_BUCKETS } from '@loyalty-edge/contracts';
import { KvWatcher, NatsLink, openBucket } from '@loyalty-edge/nats';
import type { AuthClientRecord } from '@loyalty-edge/token-contracts';
import { AuthClientEntity } from './auth-client.entity.js';

/** What issuance needs of a client, held in memory. */
export interface CachedClient {
  readonly clientId: string;
  readonly workspaceId: string;
  readonly scopes: readonly string[];
  readonly audience: string;
  readonly expiresAt: number;
  readonly revoked: boolean;
  readonly secretHash: Buffer;
}

interface Entry {
  readonly client: CachedClient | null;
  readonly until: number;
}

interface Load {
  promise: Promise<CachedClient | null>;
  /** Changes of this client that arrived during the load: what was read before is stale. */
  changes: number;
}

export const CACHE_TTL_MS = 30_000;
/** Unknown ids are remembered briefly, so guessing does not become a database load. */
export const NEGATIVE_TTL_MS = 5_000;
const MAX_ENTRIES = 10_000;
const MAX_READS = 3;

/**
 * The clients the token hot path authenticates, in memory for CACHE_TTL_MS. Every change to a
 * client (create, revoke, prune) is applied at once: locally by ClientRecords, and on every
 * other replica through the watch of the `auth_clients` bucket, so a revoke stops issuance
 * everywhere within milliseconds and without a query. A miss reads the database; concurrent
 * misses of one id share that read.
 */
@Injectable()
export class ClientCache implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly entries = new Map<string, Entry>();
  private readonly loads = new Map<string, Load>();
  private watcher: KvWatcher<AuthClientRecord> | undefined;
  private reads = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly link: NatsLink,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const kv = await openBucket(this.link, KV_BUCKETS.authClients);
    this.watcher = new KvWatcher<AuthClientRecord>(kv, (change) =>
      this.apply(change.key, change.value),
    );
    await this.watcher.start();
    await this.watcher.synced;
  }

  /** Database reads made so far. */
  get databaseReads(): number {
    return this.reads;
  }

  beforeApplicationShutdown(): void {
    this.watcher?.stop();
  }

  /** The client, or null when no client has this id. */
  get(clientId: string, now: number = Date.now()): Promise<CachedClient | null> {
    const entry = this.entries.get(clientId);
    if (entry !== undefined && entry.until > now) return Promise.resolve(entry.client);
    return this.loads.get(clientId)?.promise ?? this.load(clientId);
  }

  /**
   * A client's KV record changed (or was deleted). Status and expiry come with the record, so
   * a revoke is applied without a query; a revoked entry never becomes active again.
   */
  apply(clientId: string, record: AuthClientRecord | undefined): void {
    const load = this.loads.get(clientId);
    if (load) load.changes += 1;
    const cached = this.entries.get(clientId)?.client;
    if (record === undefined || cached === undefined || cached === null) {
      this.entries.delete(clientId);
      return;
    }
    this.entries.set(clientId, {
      until: this.entries.get(clientId)?.until ?? 0,
      client: {
        ...cached,
        revoked: cached.revoked || record.status === 'revoked',
        expiresAt: Date.parse(record.expiresAt),
      },
    });
  }

  private load(clientId: string): Promise<CachedClient | null> {
    const load: Load = { promise: Promise.resolve(null), changes: 0 };
    load.promise = (async () => {
      try {
        let client: CachedClient | null = null;
        for (let read = 1; read <= MAX_READS; read += 1) {
          const before = load.changes;
          client = await this.read(clientId);
          if (load.changes === before) {
            this.store(clientId, client);
            break;
          }
        }
        return client;
      } finally {
        this.loads.delete(clientId);
      }
    })();
    this.loads.set(clientId, load);
    return load.promise;
  }

  private async read(clientId: string): Promise<CachedClient | null> {
    this.reads += 1;
    const row = await this.dataSource.getRepository(AuthClientEntity).findOne({
      where: { clientId },
      select: {
        clientId: true,
        workspaceId: true,
        scopes: true,
        audience: true,
        expiresAt: true,
        revokedAt: true,
        secretHash: true,
      },
    });
    if (row === null) return null;
    return {
      clientId: row.clientId,
      workspaceId: row.workspaceId,
      scopes: row.scopes,
      audience: row.audience,
      expiresAt: row.expiresAt.getTime(),
      revoked: row.revokedAt !== null,
      secretHash: row.secretHash,
    };
  }

  private store(clientId: string, client: CachedClient | null): void {
    if (this.entries.size >= MAX_ENTRIES && !this.entries.has(clientId)) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    const ttl = client === null ? NEGATIVE_TTL_MS : CACHE_TTL_MS;
    this.entries.set(clientId, { client, until: Date.now() + ttl });
  }
}
