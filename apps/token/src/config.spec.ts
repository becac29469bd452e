import { randomBytes } from 'node:crypto';
import { ConfigError } from '@loyalty-edge/config';
import { loadConfig } from './config.js';

const key = randomBytes(32).toString('base64');
const base = { TOKEN_KEY_ENCRYPTION_KEY: key };

function failure(env: Record<string, string>): string {
  try {
    loadConfig({ ...base, ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  return '';
}

describe(loadConfig.name, () => {
  it('has working defaults', () => {
    const config = loadConfig(base);
    expect(config.tokens).toEqual({
      issuer: 'http://127.0.0.1:8080',
      validitySeconds: 3600,
      scopes: ['loyalty.async_events'],
      audiences: ['http://127.0.0.1:8080/v1/async/events'],
    });
    expect(config.clients).toEqual({ maxExpiryDays: 730, maxActive: 50 });
    expect(config.keys).toMatchObject({
      rotateAfterDays: 30,
      retainSeconds: 7200,
      activationDelaySeconds: 900,
    });
    expect(config.keys.encryptionKey.toString('base64')).toBe(key);
    expect(Object.isFrozen(config.tokens.scopes)).toBe(true);
  });

  it('removes the trailing slash of the issuer and derives the default audience from it', () => {
    const config = loadConfig({ ...base, TOKEN_ISSUER: 'https://api.example.com/' });
    expect(config.tokens.issuer).toBe('https://api.example.com');
    expect(config.tokens.audiences).toEqual(['https://api.example.com/v1/async/events']);
  });

  it('reads scope and audience lists, dropping repeats', () => {
    const config = loadConfig({
      ...base,
      TOKEN_SCOPES: 'loyalty.async_events, loyalty.other,loyalty.other',
      TOKEN_AUDIENCES: 'https://a.example.com/x,loyalty-api',
    });
    expect(config.tokens.scopes).toEqual(['loyalty.async_events', 'loyalty.other']);
    expect(config.tokens.audiences).toEqual(['https://a.example.com/x', 'loyalty-api']);
  });

  it('refuses scopes that are not RFC 6749 scope-tokens, naming the entry but not its value', () => {
    const message = failure({ TOKEN_SCOPES: 'good,bad"quote,back\\slash,wit h' });
    expect(message).toContain('TOKEN_SCOPES entry 2 is not a valid scope');
    expect(message).toContain('TOKEN_SCOPES entry 3 is not a valid scope');
    expect(message).toContain('TOKEN_SCOPES entry 4 is not a valid scope');
    expect(message).not.toContain('entry 1');
    expect(message).not.toContain('quote');
    expect(failure({ TOKEN_SCOPES: ' , ' })).toContain('TOKEN_SCOPES must name at least one');
  });

  it('refuses a non-http issuer or one with a query, without echoing it', () => {
    expect(failure({ TOKEN_ISSUER: 'ftp://secret-host' })).toContain(
      'TOKEN_ISSUER must be a http or https URL',
    );
    const message = failure({ TOKEN_ISSUER: 'https://host.example/?q=secret' });
    expect(message).toContain('TOKEN_ISSUER must have no query or fragment');
    expect(message).not.toContain('secret');
  });

  it.each([
    ['TOKEN_VALIDITY_SECONDS', '299'],
    ['TOKEN_VALIDITY_SECONDS', '3601'],
    ['TOKEN_CLIENT_MAX_DAYS', '0'],
    ['TOKEN_CLIENT_MAX_DAYS', '3651'],
    ['TOKEN_MAX_ACTIVE_CLIENTS', '0'],
    ['TOKEN_MAX_ACTIVE_CLIENTS', '10001'],
    ['TOKEN_KEY_ACTIVATION_DELAY_SECONDS', '-1'],
    ['TOKEN_KEY_ACTIVATION_DELAY_SECONDS', '86401'],
  ])('refuses %s=%s as out of range', (name, value) => {
    expect(failure({ [name]: value })).toContain(`${name} must be between`);
  });

  it('accepts the range limits', () => {
    const config = loadConfig({
      ...base,
      TOKEN_VALIDITY_SECONDS: '300',
      TOKEN_KEY_RETAIN_SECONDS: '300',
      TOKEN_CLIENT_MAX_DAYS: '3650',
      TOKEN_MAX_ACTIVE_CLIENTS: '10000',
      TOKEN_KEY_ACTIVATION_DELAY_SECONDS: '0',
    });
    expect(config.tokens.validitySeconds).toBe(300);
    expect(config.clients).toEqual({ maxExpiryDays: 3650, maxActive: 10_000 });
    expect(config.keys.activationDelaySeconds).toBe(0);
  });

  it('keeps retired keys at least as long as a token lives', () => {
    expect(failure({ TOKEN_VALIDITY_SECONDS: '3600', TOKEN_KEY_RETAIN_SECONDS: '1800' })).toContain(
      'TOKEN_KEY_RETAIN_SECONDS must be at least TOKEN_VALIDITY_SECONDS',
    );
    expect(failure({ TOKEN_VALIDITY_SECONDS: '1800', TOKEN_KEY_RETAIN_SECONDS: '1800' })).toBe('');
  });

  it('names every bad variable in one error, never the key', () => {
    const message = failure({
      TOKEN_KEY_ENCRYPTION_KEY: 'c2hvcnQ=',
      TOKEN_VALIDITY_SECONDS: 'soon',
      TOKEN_AUDIENCES: 'has space',
    });
    expect(message).toContain('TOKEN_KEY_ENCRYPTION_KEY must be the base64 of 32 random bytes');
    expect(message).toContain('TOKEN_VALIDITY_SECONDS must be an integer');
    expect(message).toContain('TOKEN_AUDIENCES entry 1 is not a valid audience');
    expect(message).not.toContain('c2hvcnQ=');
  });

  it('requires the key-encryption key', () => {
    expect(() => loadConfig({})).toThrow('TOKEN_KEY_ENCRYPTION_KEY is required');
  });
});
