import { ConfigError } from '@loyalty-edge/config';
import { loadConfig } from './config.js';

describe('loadConfig', () => {
  it('defaults to port 3102, the ip_filter schema and the documented limits', () => {
    const config = loadConfig({ DB_SCHEMA_PREFIX: 'dev_' });
    expect(config.common.app).toBe('ip-filter');
    expect(config.common.http.port).toBe(3102);
    expect(config.database.schema).toBe('dev_ip_filter');
    expect(config.limits).toEqual({ perApi: 1000, perWorkspace: 5000 });
    expect(Object.isFrozen(config.limits)).toBe(true);
  });

  it('reads the limits from the environment', () => {
    const config = loadConfig({
      IP_FILTER_MAX_ENTRIES: '20',
      IP_FILTER_MAX_WORKSPACE_ENTRIES: '100',
    });
    expect(config.limits).toEqual({ perApi: 20, perWorkspace: 100 });
  });

  it('names every bad variable in one error', () => {
    const load = (): unknown =>
      loadConfig({ IP_FILTER_MAX_ENTRIES: 'many', PORT: '-1', DATABASE_URL: 'mysql://x' });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/IP_FILTER_MAX_ENTRIES[\s\S]*PORT[\s\S]*DATABASE_URL/);
  });

  it('refuses a workspace limit below the per-API limit', () => {
    expect(() =>
      loadConfig({ IP_FILTER_MAX_ENTRIES: '50', IP_FILTER_MAX_WORKSPACE_ENTRIES: '10' }),
    ).toThrow('IP_FILTER_MAX_WORKSPACE_ENTRIES must not be below IP_FILTER_MAX_ENTRIES');
  });

  it('refuses limits past the one-message ceiling', () => {
    expect(() => loadConfig({ IP_FILTER_MAX_WORKSPACE_ENTRIES: '50000' })).toThrow(
      'IP_FILTER_MAX_WORKSPACE_ENTRIES must be between 1 and 5000',
    );
  });
});
