import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

function run(
  args: string[],
  env: Record<string, string>,
): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, args, {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const services = {
  NATS_URL: process.env.NATS_URL ?? '',
  DATABASE_URL: process.env.DATABASE_URL ?? '',
};

describe('start-up failures', () => {
  it('stops a service with bad env values, naming each variable but never its value, without a stack', () => {
    const { status, output } = run(['apps/credentials/dist/main.js'], {
      ...services,
      PORT: 'eighty',
      CREDENTIALS_KEK: 'k1:not-a-real-key-SECRETVALUE',
    });
    expect(status).toBe(1);
    expect(output).toContain('PORT must be an integer');
    expect(output).toContain('CREDENTIALS_KEK must be <id>:<base64 of 32 random bytes>');
    expect(output).not.toContain('SECRETVALUE');
    expect(output).not.toMatch(/\n\s+at /);
  });

  it('says which dependency is unreachable, where, and how to start it', () => {
    const { status, output } = run(['apps/ip-filter/dist/main.js'], {
      ...services,
      NATS_URL: 'nats://127.0.0.1:1',
    });
    expect(status).toBe(1);
    expect(output).toContain('Cannot reach NATS at nats://127.0.0.1:1');
    expect(output).toContain('nats-server -js');
    expect(output).not.toMatch(/\n\s+at /);
  });

  it('has the launcher check PostgreSQL before starting anything', () => {
    const { status, output } = run(['tools/launcher/dist/main.js'], {
      ...services,
      DATABASE_URL: 'postgres://postgres:pw@127.0.0.1:1/none',
      GATEWAY_PORT: '1',
    });
    expect(status).toBe(1);
    expect(output).toContain(
      'PostgreSQL is not reachable at postgres://postgres:***@127.0.0.1:1/none',
    );
    expect(output).toContain('pg_ctlcluster');
    expect(output).not.toContain(':pw@');
  });
});
