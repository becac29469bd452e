import pg from 'pg';
import type { RunningService } from '@loyalty-edge/runtime';
import { cleanUp, uniquePrefix } from '@loyalty-edge/testing';
import { Client, managementEnv, OPERATOR, startManagement } from './harness.js';

/**
 * Failed logins lock an (email, address) pair with exponential back-off, so an attacker
 * elsewhere cannot lock the owner out; only many failures from many addresses lock an email
 * everywhere (LOGIN_MAX_FAILURES 5, LOGIN_LOCKOUT_SECONDS 900 by default: docs/security.md).
 */
const prefix = uniquePrefix();
const env = managementEnv(prefix);
const schema = `"${prefix}_management"`;
let service: RunningService;
let db: pg.Client;
let operator: Client;

beforeAll(async () => {
  service = await startManagement(env);
  db = new pg.Client({ connectionString: env.DATABASE_URL });
  await db.connect();
  operator = await Client.login(service.url, OPERATOR.email, OPERATOR.password);
  const created = await operator.send('POST', '/api/workspaces', { id: 'lock-ws', name: 'Lock' });
  expect(created.status).toBe(201);
});

afterAll(async () => {
  await db.end();
  await service.close();
  await cleanUp(prefix);
});

/** A new admin account (a viewer of lock-ws) with this password. */
async function account(email: string, password: string): Promise<void> {
  const reply = await operator.change('POST', '/api/workspaces/lock-ws/members', {
    email,
    role: 'viewer',
    password,
  });
  expect(reply.status).toBe(201);
}

describe('login lockout per (email, address)', () => {
  it('does not lock the account out from another address after 5 failures from one', async () => {
    await account('target@example.test', 'the right passphrase');
    const attacker = new Client(service.url);
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 6; attempt += 1) {
      statuses.push((await attacker.login('target@example.test', `guess ${attempt}`)).status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
    expect((await attacker.login('target@example.test', 'the right passphrase')).status).toBe(429);
    // the real owner, somewhere else, is not locked out
    const owner = new Client(service.url);
    expect((await owner.login('target@example.test', 'the right passphrase')).status).toBe(200);
  });

  it('backs off exponentially per address: each failure after a lock doubles the next one', async () => {
    await account('backoff@example.test', 'the right passphrase');
    const client = new Client(service.url);
    const pair = `email-ip:${client.ip}|backoff@example.test`;
    const unlock = () =>
      db.query(
        `UPDATE ${schema}.login_throttle SET locked_until = now() - interval '1 second' WHERE key = $1`,
        [pair],
      );
    let last = await client.login('backoff@example.test', 'wrong 0');
    for (let attempt = 1; attempt < 5; attempt += 1) {
      last = await client.login('backoff@example.test', `wrong ${attempt}`);
    }
    const waits = [Number(last.headers.get('retry-after'))];
    for (let lock = 0; lock < 3; lock += 1) {
      await unlock();
      const failed = await client.login('backoff@example.test', 'wrong again');
      expect([failed.status, failed.body]).toMatchObject([429, { error: { code: 300423 } }]);
      const refused = await client.login('backoff@example.test', 'the right passphrase');
      expect(refused.status).toBe(429);
      waits.push(Number(refused.headers.get('retry-after')));
    }
    expect(waits.map((seconds) => Math.round(seconds / 60))).toEqual([1, 2, 4, 8]);
    // a success clears the address's back-off
    await unlock();
    expect((await client.login('backoff@example.test', 'the right passphrase')).status).toBe(200);
    const { rows } = await db.query(`SELECT 1 FROM ${schema}.login_throttle WHERE key = $1`, [
      pair,
    ]);
    expect(rows).toHaveLength(0);
  });

  it('locks the email everywhere after 50 failures from many addresses, not before', async () => {
    await account('spread@example.test', 'the right passphrase');
    const statuses: number[] = [];
    for (let address = 0; address < 10; address += 1) {
      const attacker = new Client(service.url);
      for (let attempt = 0; attempt < 5; attempt += 1) {
        statuses.push((await attacker.login('spread@example.test', `guess ${attempt}`)).status);
      }
    }
    expect(statuses.filter((status) => status === 401)).toHaveLength(40);
    expect(statuses.filter((status) => status === 429)).toHaveLength(10);
    const fresh = await new Client(service.url).login(
      'spread@example.test',
      'the right passphrase',
    );
    expect([fresh.status, fresh.body]).toMatchObject([429, { error: { code: 300423 } }]);
    expect(Number(fresh.headers.get('retry-after'))).toBeGreaterThan(800);
    await db.query(
      `UPDATE ${schema}.login_throttle SET locked_until = now() - interval '1 second' WHERE key = $1`,
      ['email:spread@example.test'],
    );
    expect(
      (await new Client(service.url).login('spread@example.test', 'the right passphrase')).status,
    ).toBe(200);
  });

  it('still lets the owner in from an address it logged in from while the email is locked', async () => {
    await account('owner@example.test', 'the right passphrase');
    const office = new Client(service.url);
    expect((await office.login('owner@example.test', 'the right passphrase')).status).toBe(200);
    for (let address = 0; address < 11; address += 1) {
      const attacker = new Client(service.url);
      for (let attempt = 0; attempt < 5; attempt += 1) {
        await attacker.login('owner@example.test', `guess ${attempt}`);
      }
    }
    const fresh = await new Client(service.url).login('owner@example.test', 'the right passphrase');
    expect([fresh.status, fresh.body]).toMatchObject([429, { error: { code: 300423 } }]);
    expect((await office.login('owner@example.test', 'the right passphrase')).status).toBe(200);
    // the known address is still under its own pair limit
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 6; attempt += 1) {
      statuses.push((await office.login('owner@example.test', `wrong ${attempt}`)).status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
  });
});
