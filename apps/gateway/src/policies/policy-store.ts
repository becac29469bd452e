import type { Counter, Histogram } from 'prom-client';
import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { ApiKeyRecord } from '@loyalty-edge/credentials-contracts';
import { KV_BUCKETS, type ApiId, type KvBucket } from '@loyalty-edge/contracts';
import type { IpFilterRecord } from '@loyalty-edge/ip-filter-contracts';
import type { IpMatcher } from '@loyalty-edge/ip-range';
import type { WorkspaceRecord } from '@loyalty-edge/management-contracts';
import type { EnforcementRecord } from '@loyalty-edge/signature-contracts';
import type { AuthClientRecord } from '@loyalty-edge/token-contracts';
import { KvWatcher, NatsLink, openBucket, type KvChange } from '@loyalty-edge/nats';
import { Metrics, Readiness } from '@loyalty-edge/observability';
import { compileIpPolicy } from './ip-policy.js';
import { TokenKeys } from './token-keys.js';

/**
 * Everything the gateway decides with, held in memory and kept current by watching the owners'
 * KV buckets (docs/architecture.md): no database query and no NATS round trip per request. When NATS is
 * away the last state stays in force; a key never seen is unknown (fail closed).
 */
@Injectable()
export class PolicyStore implements OnApplicationShutdown {
  private readonly logger = new Logger(PolicyStore.name);
  readonly apiKeys = new Map<string, ApiKeyRecord>();
  readonly workspaces = new Map<string, WorkspaceRecord>();
  /** Workspace → API → compiled allow-list (only non-empty lists). */
  readonly ipPolicies = new Map<string, ReadonlyMap<ApiId, IpMatcher>>();
  /** Workspace → APIs on which plain `api_key` requests are refused. */
  readonly enforcement = new Map<string, ReadonlySet<ApiId>>();
  /** OAuth2 clients by client id: their workspace, status and expiry. */
  readonly authClients = new Map<string, AuthClientRecord>();
  /** The token service's public keys (compiled) and issuer settings. */
  readonly tokenKeys = new TokenKeys(this.logger);
  private readonly watchers: KvWatcher<unknown>[] = [];
  private readonly changeListeners: ((bucket: KvBucket, key: string) => void)[] = [];
  private readonly applied: Counter<'bucket'>;
  private readonly watchLag: Histogram<'bucket'>;
  private readonly reopened: Counter<'bucket' | 'reason'>;

  constructor(
    private readonly link: NatsLink,
    private readonly metrics: Metrics,
    readiness: Readiness,
  ) {
    this.applied = metrics.counter('policy_changes_total', 'Policy changes applied from KV', [
      'bucket',
    ]);
    this.watchLag = metrics.histogram(
      'policy_watch_lag_seconds',
      'Time from an owner writing a policy to this gateway applying it',
      ['bucket'],
    );
    this.reopened = metrics.counter(
      'kv_watch_reopened_total',
      'KV watches reopened because they fell behind the bucket or ended',
      ['bucket', 'reason'],
    );
    readiness.add(
      'policies',
      () => this.watchers.length > 0 && this.watchers.every((w) => w.ready),
    );
  }

  /** Starts the watches; resolves once every bucket's current state is in memory. */
  async start(): Promise<void> {
    await Promise.all([
      this.watch<ApiKeyRecord>(KV_BUCKETS.apiKeys, (key, value) => set(this.apiKeys, key, value)),
      this.watch<WorkspaceRecord>(KV_BUCKETS.workspaces, (key, value) =>
        set(this.workspaces, key, value),
      ),
      this.watch<IpFilterRecord>(KV_BUCKETS.ipFilters, (key, value) =>
        set(this.ipPolicies, key, value && compileIpPolicy(value, this.logger)),
      ),
      this.watch<EnforcementRecord>(KV_BUCKETS.signatureEnforcement, (key, value) =>
        set(this.enforcement, key, value && new Set(value.apis)),
      ),
      this.watch<AuthClientRecord>(KV_BUCKETS.authClients, (key, value) =>
        set(this.authClients, key, value),
      ),
      this.watch<unknown>(KV_BUCKETS.jwks, (key, value) => this.tokenKeys.apply(key, value)),
    ]);
    this.metrics.gauge(
      'policy_age_seconds',
      'Seconds since the last policy change was applied',
      [],
      (gauge) => {
        const ages = this.watchers.map((w) => w.lastChangeAgeMs).filter((age) => age > 0);
        gauge.set(ages.length === 0 ? 0 : Math.min(...ages) / 1000);
      },
    );
    await Promise.all(this.watchers.map((watcher) => watcher.synced));
    this.logger.log({
      msg: 'policies synced',
      apiKeys: this.apiKeys.size,
      workspaces: this.workspaces.size,
      ipPolicies: this.ipPolicies.size,
      authClients: this.authClients.size,
      tokenKeys: this.tokenKeys.size,
    });
  }

  /** Called after each applied change (e.g. to evict derived signing keys). */
  onChange(listener: (bucket: KvBucket, key: string) => void): void {
    this.changeListeners.push(listener);
  }

  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the record type of the bucket
  private async watch<T>(
    bucket: KvBucket,
    apply: (key: string, value: T | undefined) => void,
  ): Promise<void> {
    const kv = await openBucket(this.link, bucket);
    const watcher = new KvWatcher<T>(
      kv,
      (change: KvChange<T>) => {
        apply(change.key, change.value);
        this.applied.inc({ bucket });
        if (change.isUpdate) {
          this.watchLag.observe(
            { bucket },
            Math.max(0, Date.now() - change.created.getTime()) / 1000,
          );
        }
        for (const listener of this.changeListeners) listener(bucket, change.key);
      },
      {
        onReopen: (reason) => {
          this.reopened.inc({ bucket, reason });
          this.logger.warn({ msg: 'KV watch reopened', bucket, reason });
        },
      },
    );
    this.watchers.push(watcher as KvWatcher<unknown>);
    await watcher.start();
  }

  onApplicationShutdown(): void {
    for (const watcher of this.watchers) watcher.stop();
  }
}

function set<T>(map: Map<string, T>, key: string, value: T | null | undefined): void {
  // a JSON `null` is no record either: absent, so refused (fail closed)
  if (value === undefined || value === null) map.delete(key);
  else map.set(key, value);
}
