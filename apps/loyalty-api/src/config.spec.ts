import { ConfigError } from '@loyalty-edge/config';
import { loadConfig } from './config.js';

describe(loadConfig.name, () => {
  it('has defaults: port 3201, schema loyalty, sweep after 30 s', () => {
    const config = loadConfig({});
    expect(config.common.http.port).toBe(3201);
    expect(config.database.schema).toBe('loyalty');
    expect(config.asyncEvents).toEqual({
      worker: true,
      republishAfterMs: 30_000,
      sweepIntervalMs: 5000,
    });
  });

  it('prefixes the schema and reads the async settings', () => {
    const config = loadConfig({
      DB_SCHEMA_PREFIX: 'staging_',
      LOYALTY_ASYNC_WORKER: 'false',
      LOYALTY_ASYNC_REPUBLISH_AFTER_MS: '5000',
    });
    expect(config.database.schema).toBe('staging_loyalty');
    expect(config.asyncEvents.worker).toBe(false);
    expect(config.asyncEvents.republishAfterMs).toBe(5000);
  });

  it('names every bad variable', () => {
    expect(() =>
      loadConfig({ LOYALTY_ASYNC_WORKER: 'maybe', LOYALTY_ASYNC_SWEEP_INTERVAL_MS: '5' }),
    ).toThrow(ConfigError);
    expect(() =>
      loadConfig({ LOYALTY_ASYNC_WORKER: 'maybe', LOYALTY_ASYNC_SWEEP_INTERVAL_MS: '5' }),
    ).toThrow(/LOYALTY_ASYNC_WORKER[\s\S]*LOYALTY_ASYNC_SWEEP_INTERVAL_MS/);
  });
});
