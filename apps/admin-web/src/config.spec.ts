import { ConfigError } from '@loyalty-edge/config';
import { loadConfig } from './config.js';

describe(loadConfig.name, () => {
  it('has defaults for running next to a local management API', () => {
    const config = loadConfig({});
    expect(config.http).toEqual({ host: '127.0.0.1', port: 8082 });
    expect(config.managementApiUrl).toBe('http://127.0.0.1:8081');
    expect(config.log.level).toBe('info');
    expect(config.trustedProxies).toEqual([]);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('drops the trailing slash of MANAGEMENT_API_URL', () => {
    const config = loadConfig({ MANAGEMENT_API_URL: 'https://management.internal:9000/' });
    expect(config.managementApiUrl).toBe('https://management.internal:9000');
  });

  it('names every bad variable, never its value', () => {
    const env = { PORT: 'eighty', MANAGEMENT_API_URL: 'nats://secret-host', LOG_LEVEL: 'loud' };
    expect(() => loadConfig(env)).toThrow(ConfigError);
    try {
      loadConfig(env);
    } catch (error) {
      const { message } = error as ConfigError;
      expect(message).toMatch(/PORT[\s\S]*MANAGEMENT_API_URL[\s\S]*LOG_LEVEL/);
      expect(message).not.toContain('secret-host');
    }
  });
});
