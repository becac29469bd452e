import { ConfigError } from '@loyalty-edge/config';
import { loadConfig } from './config.js';

function failure(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  return '';
}

describe(loadConfig.name, () => {
  it('has working defaults', () => {
    const config = loadConfig({});
    expect(config.common.http.port).toBe(8081);
    expect(config.database.schema).toBe('management');
    expect(config.session).toEqual({
      secureCookie: false,
      idleTimeoutSeconds: 1800,
      maxAgeSeconds: 43_200,
    });
    expect(config.login).toMatchObject({ maxFailures: 5, lockoutSeconds: 900 });
    expect(config.client).toEqual({
      credentialScope: 'eu/api/antavo_request',
      gatewayUrl: 'http://127.0.0.1:8080',
    });
    expect(config.bootstrapAdmin).toBeUndefined();
    expect(config.invitations).toEqual({ validityHours: 168 });
    expect(Object.isFrozen(config.session)).toBe(true);
  });

  it('makes the cookie Secure when the public URL is https', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://admin.example.com' }).session.secureCookie).toBe(true);
  });

  it('checks the bootstrap password against the policy without echoing it', () => {
    const message = failure({
      BOOTSTRAP_ADMIN_EMAIL: 'op@example.com',
      BOOTSTRAP_ADMIN_PASSWORD: 'hunter2',
    });
    expect(message).toContain('BOOTSTRAP_ADMIN_PASSWORD must be at least 12 characters');
    expect(message).not.toContain('hunter2');
  });

  it('needs both bootstrap variables or neither', () => {
    expect(failure({ BOOTSTRAP_ADMIN_EMAIL: 'op@example.com' })).toContain(
      'BOOTSTRAP_ADMIN_PASSWORD is required',
    );
    const config = loadConfig({
      BOOTSTRAP_ADMIN_EMAIL: ' Op@Example.com ',
      BOOTSTRAP_ADMIN_PASSWORD: 'a long enough passphrase',
    });
    expect(config.bootstrapAdmin?.email).toBe('op@example.com');
  });

  it('names every bad variable', () => {
    const message = failure({
      TRUSTED_PROXIES: '10.0.0.0/8, not-an-ip',
      ESCHER_CREDENTIAL_SCOPE: 'eu/wrong',
      SESSION_IDLE_TIMEOUT_SECONDS: '7200',
      SESSION_MAX_AGE_SECONDS: '3600',
      INVITATION_VALIDITY_HOURS: '0',
    });
    expect(message).toContain('TRUSTED_PROXIES entry 2');
    expect(message).toContain('INVITATION_VALIDITY_HOURS');
    expect(message).toContain('ESCHER_CREDENTIAL_SCOPE');
    expect(message).toContain('SESSION_MAX_AGE_SECONDS must not be shorter');
  });

  it('takes the invitation validity in hours', () => {
    expect(loadConfig({ INVITATION_VALIDITY_HOURS: '48' }).invitations.validityHours).toBe(48);
  });

  it('normalises trusted proxies', () => {
    expect(loadConfig({ TRUSTED_PROXIES: '127.0.0.1, ::1, 10.1.0.0/16' }).trustedProxies).toEqual([
      '127.0.0.1',
      '::1',
      '10.1.0.0/16',
    ]);
  });
});
