import {
  commonConfig,
  databaseConfig,
  type DatabaseConfig,
  readConfig,
  type CommonConfig,
  type Env,
} from '@loyalty-edge/config';

export interface AuditConfig {
  readonly common: CommonConfig;
  readonly database: DatabaseConfig;
  /** The durable consumer that moves events from the AUDIT stream into PostgreSQL. */
  readonly consumer: {
    /** A batch is written when it holds this many events... */
    readonly batchSize: number;
    /** ...or this long after its first event arrived, whichever comes first. */
    readonly batchWaitMs: number;
    readonly ackWaitSeconds: number;
    /** Delivered but unacknowledged events at most: bounds the memory a backlog takes. */
    readonly maxAckPending: number;
    /** How long the stream keeps events (a buffer while the audit service is away). */
    readonly streamMaxAgeDays: number;
  };
  /** Hash chains over the audit logs (docs/audit.md). */
  readonly chain: {
    /**
     * The HMAC-SHA256 key that signs the chain heads (AUDIT_ANCHOR_KEY, base64 of at least 32
     * bytes); null: no anchors are written or checked.
     */
    readonly anchorKey: Buffer | null;
    /** How often each workspace's changed heads are signed. */
    readonly anchorIntervalMs: number;
  };
  readonly retention: {
    /** Changes, auth-client and token events. */
    readonly auditDays: number;
    /** Failed calls and client IP counts. */
    readonly failedCallDays: number;
    readonly intervalMs: number;
    /** Rows deleted per statement. */
    readonly batchSize: number;
  };
}

export function loadConfig(env: Env): AuditConfig {
  return readConfig(env, (reader) => {
    const consumer = {
      batchSize: reader.int('AUDIT_BATCH_SIZE', 500, { min: 1, max: 5000 }),
      batchWaitMs: reader.int('AUDIT_BATCH_WAIT_MS', 200, { min: 10, max: 10_000 }),
      ackWaitSeconds: reader.int('AUDIT_ACK_WAIT_SECONDS', 30, { min: 5, max: 600 }),
      maxAckPending: reader.int('AUDIT_MAX_ACK_PENDING', 2000, { min: 1, max: 100_000 }),
      streamMaxAgeDays: reader.int('AUDIT_STREAM_MAX_AGE_DAYS', 7, { min: 1, max: 365 }),
    };
    if (consumer.maxAckPending < consumer.batchSize) {
      reader.problem('AUDIT_MAX_ACK_PENDING', 'must be at least AUDIT_BATCH_SIZE');
    }
    return {
      common: commonConfig(reader, 'audit', 3106),
      database: databaseConfig(reader, 'audit'),
      consumer,
      chain: {
        anchorKey: reader.custom<Buffer | null>('AUDIT_ANCHOR_KEY', null, (value) => {
          const key = Buffer.from(value, 'base64');
          return key.length >= 32
            ? key
            : { error: 'must be the base64 of at least 32 random bytes' };
        }),
        anchorIntervalMs: reader.int('AUDIT_ANCHOR_INTERVAL_MS', 60_000, {
          min: 100,
          max: 86_400_000,
        }),
      },
      retention: {
        auditDays: reader.int('AUDIT_RETENTION_DAYS', 365, { min: 1, max: 3650 }),
        failedCallDays: reader.int('FAILED_CALL_RETENTION_DAYS', 30, { min: 1, max: 3650 }),
        intervalMs: reader.int('AUDIT_RETENTION_INTERVAL_MS', 3_600_000, {
          min: 100,
          max: 86_400_000,
        }),
        batchSize: reader.int('AUDIT_RETENTION_BATCH_SIZE', 5000, { min: 1, max: 100_000 }),
      },
    };
  });
}
