import pg from 'pg';
import { within } from '@loyalty-edge/testing';
import { ManagementClient } from './support/management.js';
import { PrivateNats } from './support/nats-server.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

// The reviewer's scenario: a policy change commits while NATS is away. Every process keeps
// running (none is restarted); once NATS is back, every gateway enforces the change within a
// second. To have the change commit exactly while NATS is down, the test holds a lock on the
// owner's outbox table: the owner's transaction waits there (inside the transaction, after the
// change itself), NATS is killed, then the lock is released and the transaction commits.

let nats: PrivateNats;
let platform: TestPlatform;
let operator: ManagementClient;
let oldKey: string;
let newKey: string;

async function gatewayStatus(gateway: string, path: string, init?: RequestInit): Promise<number> {
  return (await fetch(`${gateway}${path}`, { ...init, signal: AbortSignal.timeout(2000) })).status;
}

async function sql<T>(text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Every gateway has NATS again and its watches resumed (a change made now reaches it). */
async function gatewaysConnected(): Promise<void> {
  await within(20_000, async () => {
    const texts = await Promise.all(
      platform.gatewayMetrics.map(async (url) => (await fetch(`${url}/metrics`)).text()),
    );
    return texts.every((text) => text.includes('gateway_nats_connected 1'));
  });
}

/**
 * Makes `change` commit in `service` while NATS is down, checks it is committed but not yet at
 * the gateways, starts NATS, and returns per gateway how long after NATS was started again
 * `inForce` first held.
 */
async function changeWhileNatsIsAway(
  service: string,
  change: () => Promise<unknown>,
  inForce: (gateway: string) => Promise<boolean>,
): Promise<{ sinceStart: number[]; sinceListening: number[] }> {
  const schema = `${platform.prefix}_${service}`;
  const holder = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await holder.connect();
  await holder.query('BEGIN');
  await holder.query(`LOCK TABLE "${schema}".kv_outbox IN SHARE MODE`);
  const answer = change().then(
    (reply) => reply,
    (error: unknown) => error,
  );
  // the owner's transaction is now waiting on its outbox insert
  await within(10_000, async () => {
    const [row] = await sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_locks l
         JOIN pg_class c ON c.oid = l.relation
         JOIN pg_namespace s ON s.oid = c.relnamespace
       WHERE NOT l.granted AND c.relname = 'kv_outbox' AND s.nspname = $1`,
      [schema],
    );
    return (row?.n ?? 0) > 0;
  });
  await nats.stop();
  await holder.query('COMMIT');
  await holder.end();
  await within(5000, async () => {
    const [row] = await sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM "${schema}".kv_outbox WHERE published_at IS NULL`,
    );
    return (row?.n ?? 0) > 0;
  });
  // committed, and NATS away: the gateways keep enforcing what they had
  await new Promise((resolve) => setTimeout(resolve, 1000));
  for (const gateway of platform.gateways) expect(await inForce(gateway)).toBe(false);

  const starting = performance.now();
  await nats.start();
  const listening = performance.now();
  const reached = await Promise.all(
    platform.gateways.map((gateway) =>
      within(10_000, () => inForce(gateway)).then(() => performance.now()),
    ),
  );
  await answer;
  await gatewaysConnected();
  return {
    sinceStart: reached.map((at) => at - starting),
    sinceListening: reached.map((at) => at - listening),
  };
}

function report(what: string, times: { sinceStart: number[]; sinceListening: number[] }): void {
  const ms = (values: number[]): string => values.map((v) => `${v.toFixed(0)} ms`).join(', ');
  console.log(
    `${what}: in force at every gateway ${ms(times.sinceStart)} after nats-server was started again ` +
      `(${ms(times.sinceListening)} after it accepted connections)`,
  );
}

beforeAll(async () => {
  nats = await PrivateNats.start();
  platform = await startTestPlatform({ extraGateways: 1, natsUrl: nats.url });
  operator = await ManagementClient.login(
    platform.management,
    platform.admin.email,
    platform.admin.password,
  );
  await operator.ok('POST', '/api/workspaces', { id: 'acme', name: 'Acme Rewards' });
  oldKey = (await operator.ok<{ apiKey: string }>('POST', '/api/workspaces/acme/credentials'))
    .apiKey;
  for (const gateway of platform.gateways) {
    await within(
      2000,
      async () => (await gatewayStatus(gateway, `/customers/-/count?api_key=${oldKey}`)) === 200,
    );
  }
});

afterAll(async () => {
  await platform.shutdown();
  await nats.close();
});

describe('a policy change committed while NATS is away', () => {
  it('credentials: the old key is refused at every gateway within a second of NATS returning', async () => {
    const times = await changeWhileNatsIsAway(
      'credentials',
      () => operator.call('POST', '/api/workspaces/acme/credentials'),
      async (gateway) =>
        (await gatewayStatus(gateway, `/customers/-/count?api_key=${oldKey}`)) === 401,
    );
    report('regenerated credentials (old key refused)', times);
    expect(Math.max(...times.sinceStart)).toBeLessThan(1000);
    const [active] = await sql<{ api_key: string }>(
      `SELECT api_key FROM "${platform.prefix}_credentials".api_keys
       WHERE workspace_id = 'acme' AND status = 'active'`,
    );
    newKey = active?.api_key ?? '';
    expect(newKey).not.toBe(oldKey);
    for (const gateway of platform.gateways) {
      await within(
        1000,
        async () => (await gatewayStatus(gateway, `/customers/-/count?api_key=${newKey}`)) === 200,
      );
    }
  });

  it('IP filter: a new allow-list is enforced at every gateway within a second of NATS returning', async () => {
    await within(20_000, async () => {
      // one module per request, each made from a fresh read (If-Match)
      for (const module of ['ipFilter', 'signatureCheck']) {
        const path = `/api/workspaces/acme/modules/${module}`;
        const reply = await operator.change('PUT', path, { enabled: true });
        if (reply.status !== 200) return false;
      }
      return true;
    });
    const path = `/customers/-/count?api_key=${newKey}`;
    for (const gateway of platform.gateways) {
      await within(2000, async () => (await gatewayStatus(gateway, path)) === 200);
    }
    const times = await changeWhileNatsIsAway(
      'ip_filter',
      () =>
        operator.change('PUT', '/api/workspaces/acme/ip-filter/customer', {
          entries: ['10.9.9.9'],
        }),
      async (gateway) => (await gatewayStatus(gateway, path)) === 403,
    );
    report('IP allow-list (127.0.0.1 refused)', times);
    expect(Math.max(...times.sinceStart)).toBeLessThan(1000);
  });

  it('signature enforcement: plain api_key calls are refused at every gateway within a second of NATS returning', async () => {
    const events = (gateway: string): Promise<number> =>
      gatewayStatus(gateway, `/events?api_key=${newKey}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ customer: 'nobody', action: 'point_add', data: { points: 1 } }),
      });
    for (const gateway of platform.gateways) {
      await within(2000, async () => (await events(gateway)) !== 401);
    }
    const times = await changeWhileNatsIsAway(
      'signature',
      () =>
        operator.change('PUT', '/api/workspaces/acme/signature-enforcement', { apis: ['events'] }),
      async (gateway) => (await events(gateway)) === 401,
    );
    report('signature enforcement (plain api_key refused)', times);
    expect(Math.max(...times.sinceStart)).toBeLessThan(1000);
  });
});
