import { ConfigError, readConfig } from './env-reader.js';
import { commonConfig } from './common.js';

describe(readConfig.name, () => {
  it('returns a frozen typed result with defaults', () => {
    const config = readConfig({}, (r) => commonConfig(r, 'credentials', 3001));
    expect(config.http.port).toBe(3001);
    expect(config.nats.prefix).toBe('le');
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.nats)).toBe(true);
  });

  it('names every bad variable in one error and never its value', () => {
    const env = { PORT: 'http-secret-99', NATS_URL: 'hunter2://x', LOG_LEVEL: 'loud' };
    let error: unknown;
    try {
      readConfig(env, (r) => commonConfig(r, 'gateway', 8080));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect((error as ConfigError).problems).toHaveLength(3);
    expect(message).toContain('PORT must be an integer');
    expect(message).toContain('NATS_URL must be a nats or tls URL');
    expect(message).toContain('LOG_LEVEL must be one of');
    expect(message).not.toContain('http-secret-99');
    expect(message).not.toContain('hunter2');
  });

  it('rejects out-of-range numbers and bad booleans', () => {
    expect(() =>
      readConfig({ P: '70000', B: 'maybe' }, (r) => ({ p: r.port('P', 1), b: r.bool('B', false) })),
    ).toThrow(/P must be between 0 and 65535[\s\S]*B must be true or false/);
  });

  it('reads lists and required strings', () => {
    expect(readConfig({ L: 'a, b,,c' }, (r) => r.list('L'))).toEqual(['a', 'b', 'c']);
    expect(() => readConfig({}, (r) => r.string('NEEDED'))).toThrow('NEEDED is required');
  });
});
