import {
  commonConfig,
  databaseConfig,
  type DatabaseConfig,
  readConfig,
  type CommonConfig,
  type Env,
} from '@loyalty-edge/config';

export interface LoyaltyConfig {
  readonly common: CommonConfig;
  readonly database: DatabaseConfig;
  readonly asyncEvents: {
    /** Run the JetStream worker in this process (off for an API-only replica). */
    readonly worker: boolean;
    /** A row still `queued` this long after its last publish is published again. */
    readonly republishAfterMs: number;
    /** How often the sweep looks for such rows and refreshes the queue-depth gauge. */
    readonly sweepIntervalMs: number;
  };
}

export function loadConfig(env: Env): LoyaltyConfig {
  return readConfig(env, (reader) => ({
    common: commonConfig(reader, 'loyalty-api', 3201),
    database: databaseConfig(reader, 'loyalty'),
    asyncEvents: {
      worker: reader.bool('LOYALTY_ASYNC_WORKER', true),
      republishAfterMs: reader.int('LOYALTY_ASYNC_REPUBLISH_AFTER_MS', 30_000, {
        min: 1000,
        max: 3_600_000,
      }),
      sweepIntervalMs: reader.int('LOYALTY_ASYNC_SWEEP_INTERVAL_MS', 5000, {
        min: 100,
        max: 600_000,
      }),
    },
  }));
}
