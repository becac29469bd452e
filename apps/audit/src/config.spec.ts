import { ConfigError } from '@loyalty-edge/config';
import { loadConfig } from './config.js';

describe('audit loadConfig', () => {
  it('defaults: port 3106, schema audit, 365/30 days of retention, hourly purge', () => {
    const config = loadConfig({});
    expect(config.common.http.port).toBe(3106);
    expect(config.database.schema).toBe('audit');
    expect(config.retention).toMatchObject({
      auditDays: 365,
      failedCallDays: 30,
      intervalMs: 3_600_000,
    });
    expect(config.consumer).toMatchObject({ batchSize: 500, batchWaitMs: 200, ackWaitSeconds: 30 });
    expect(Object.isFrozen(config.retention)).toBe(true);
  });

  it('reads the schema prefix and retention from the environment', () => {
    const config = loadConfig({
      DB_SCHEMA_PREFIX: 'stage_',
      AUDIT_RETENTION_DAYS: '90',
      FAILED_CALL_RETENTION_DAYS: '7',
    });
    expect(config.database.schema).toBe('stage_audit');
    expect(config.retention.auditDays).toBe(90);
    expect(config.retention.failedCallDays).toBe(7);
  });

  it('names every bad variable at once, never its value', () => {
    let error: unknown;
    try {
      loadConfig({
        AUDIT_RETENTION_DAYS: 'forever',
        FAILED_CALL_RETENTION_DAYS: '0',
        AUDIT_BATCH_SIZE: '900',
        AUDIT_MAX_ACK_PENDING: '100',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain('AUDIT_RETENTION_DAYS must be an integer');
    expect(message).toContain('FAILED_CALL_RETENTION_DAYS must be between 1 and 3650');
    expect(message).toContain('AUDIT_MAX_ACK_PENDING must be at least AUDIT_BATCH_SIZE');
    expect(message).not.toContain('forever');
  });
});
