import { ConfigError, readConfig } from './env-reader.js';
import { commonConfig } from './common.js';

const read = (env: Record<string, string>) =>
  readConfig(env, (reader) => commonConfig(reader, 'audit', 3106));

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    read(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe(commonConfig.name, () => {
  describe('NATS_URL', () => {
    it('defaults to a local server', () => {
      expect(read({}).nats.url).toBe('nats://127.0.0.1:4222');
    });

    it('takes several servers, comma-separated (a cluster)', () => {
      expect(
        read({ NATS_URL: 'tls://nats-0.nats:4222, tls://nats-1.nats:4222,tls://nats-2.nats:4222' })
          .nats.url,
      ).toBe('tls://nats-0.nats:4222,tls://nats-1.nats:4222,tls://nats-2.nats:4222');
    });

    it.each([
      ['http://nats:4222', 'NATS_URL must be a nats or tls URL'],
      ['nats://a:4222,http://b:4222', 'NATS_URL must be a nats or tls URL (each of the'],
      ['nats://a:4222,', 'NATS_URL must be a valid URL (each of the'],
      ['nats-0:4222', 'NATS_URL must be a nats or tls URL'],
      ['not a url', 'NATS_URL must be a valid URL'],
    ])('refuses %j without echoing it', (value, message) => {
      const problems = problemsOf({ NATS_URL: value });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toContain(message);
      expect(problems[0]).not.toContain(value);
    });
  });

  describe('NATS_JS_REPLICAS', () => {
    it('defaults to one copy (a single NATS server)', () => {
      expect(read({}).nats.replicas).toBe(1);
    });

    it.each([
      ['1', 1],
      ['3', 3],
      ['5', 5],
      [' 3 ', 3],
    ])('reads %j as %i', (value, expected) => {
      expect(read({ NATS_JS_REPLICAS: value }).nats.replicas).toBe(expected);
    });

    it.each(['0', '6', '-1', '2.5', 'three', '3x'])('refuses %j', (value) => {
      const problems = problemsOf({ NATS_JS_REPLICAS: value });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^NATS_JS_REPLICAS must be (an integer|between 1 and 5)$/);
    });

    it('sits next to the other NATS settings', () => {
      const nats = read({
        NATS_URL: 'nats://a:4222,nats://b:4222',
        NATS_PREFIX: 'acme',
        NATS_USER: 'audit',
        NATS_PASSWORD: 'n0secret',
        NATS_REQUEST_TIMEOUT_MS: '2000',
        NATS_JS_REPLICAS: '3',
      }).nats;
      expect(nats).toEqual({
        url: 'nats://a:4222,nats://b:4222',
        prefix: 'acme',
        user: 'audit',
        password: 'n0secret',
        requestTimeoutMs: 2000,
        replicas: 3,
      });
    });
  });
});
