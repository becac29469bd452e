import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import pg from 'pg';
import { within } from '@loyalty-edge/testing';
import { ManagementClient } from './support/management.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

let platform: TestPlatform;
let admin: ManagementClient;

beforeAll(async () => {
  platform = await startTestPlatform({ extraGateways: 1 });
  admin = await ManagementClient.login(
    platform.management,
    platform.admin.email,
    platform.admin.password,
  );
  await admin.ok('POST', '/api/workspaces', { id: 'acme', name: 'Acme Rewards' });
});

afterAll(async () => {
  await platform.shutdown();
});

interface Customer {
  id: string;
  score: number;
}

async function gatewayCall(
  gateway: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<Response> {
  return fetch(`${gateway}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

describe('credentials through the management API, used at the gateway', () => {
  it('opts a customer in, adds points and reads the customer back with the api_key', async () => {
    const generated = await admin.call<{ apiKey: string; apiSecret: string }>(
      'POST',
      '/api/workspaces/acme/credentials',
    );
    expect(generated.status).toBe(201);
    expect(generated.headers.get('cache-control')).toBe('no-store');
    const { apiKey, apiSecret } = generated.body;
    expect(apiSecret).toMatch(/^les_/);
    const shown = await admin.ok<{ active: { apiKey: string } }>(
      'GET',
      '/api/workspaces/acme/credentials',
    );
    expect(shown.active.apiKey).toBe(apiKey);
    expect(JSON.stringify(shown)).not.toContain(apiSecret);

    const [first, second] = platform.gateways as [string, string];
    await within(
      1000,
      async () =>
        (await gatewayCall(first, 'GET', `/customers/-/count?api_key=${apiKey}`)).status === 200,
    );
    const optIn = await gatewayCall(first, 'POST', `/events?api_key=${apiKey}`, {
      customer: 'cust-1',
      action: 'opt_in',
      data: { first_name: 'Ada', email: 'ada@example.com' },
    });
    expect(optIn.status).toBe(200);
    const added = await gatewayCall(first, 'POST', `/events?api_key=${apiKey}`, {
      customer: 'cust-1',
      action: 'point_add',
      data: { points: 150 },
    });
    expect(((await added.json()) as Customer).score).toBe(150);
    const read = await gatewayCall(second, 'GET', `/customers/cust-1?api_key=${apiKey}`);
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ id: 'cust-1', score: 150, first_name: 'Ada' });
  });

  it('refuses the old key on every gateway replica right after regenerate, and the new key works', async () => {
    const old = (
      await admin.ok<{ active: { apiKey: string } }>('GET', '/api/workspaces/acme/credentials')
    ).active.apiKey;
    for (const gateway of platform.gateways) {
      await within(
        1000,
        async () =>
          (await gatewayCall(gateway, 'GET', `/customers/cust-1?api_key=${old}`)).status === 200,
      );
    }
    const fresh = await admin.ok<{ apiKey: string }>('POST', '/api/workspaces/acme/credentials');
    const returned = performance.now();
    const waits = await Promise.all(
      platform.gateways.map((gateway) =>
        within(
          1000,
          async () =>
            (await gatewayCall(gateway, 'GET', `/customers/cust-1?api_key=${old}`)).status === 401,
        ).then(() => performance.now() - returned),
      ),
    );
    console.log(
      `old key refused after regenerate: ${waits.map((ms) => `${ms.toFixed(1)} ms`).join(', ')} (per gateway replica)`,
    );
    expect(Math.max(...waits)).toBeLessThan(1000);
    for (const gateway of platform.gateways) {
      expect(
        (await gatewayCall(gateway, 'GET', `/customers/cust-1?api_key=${fresh.apiKey}`)).status,
      ).toBe(200);
    }
  });

  it('logs a failed call with the password redacted everywhere', async () => {
    const { active } = await admin.ok<{ active: { apiKey: string } }>(
      'GET',
      '/api/workspaces/acme/credentials',
    );
    const refused = await gatewayCall(
      platform.gateways[0] ?? '',
      'POST',
      `/events?api_key=${active.apiKey}`,
      {
        customer: 'nobody',
        action: 'point_add',
        data: { points: 1, profile: { login: { password: 'hunter2' } } },
      },
    );
    expect(refused.status).toBe(404);
    type Summary = { id: string; status: number; url: string };
    let items: Summary[] = [];
    await within(5000, async () => {
      items = (await admin.ok<{ items: Summary[] }>('GET', '/api/workspaces/acme/errors')).items;
      return items.some((item) => item.status === 404);
    });
    const summary = items.find((item) => item.status === 404)!;
    expect(summary.url).toContain('api_key=[REDACTED]');
    const detail = await admin.ok<{ request: { body: string }; response: { body: string } }>(
      'GET',
      `/api/workspaces/acme/errors/${summary.id}`,
    );
    expect(detail.request.body).toContain('"password":"[REDACTED]"');
    expect(detail.response.body).toContain('Customer not found');

    expect(platform.logs().join('\n')).not.toContain('hunter2');
    const db = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
    const { rows } = await db.query<{ dump: string }>(
      `SELECT string_agg(f::text, ' ') AS dump FROM "${platform.prefix}_audit".failed_calls f`,
    );
    await db.end();
    expect(rows[0]?.dump).toContain('[REDACTED]');
    expect(rows[0]?.dump).not.toContain('hunter2');
    const nc = await connect({ servers: process.env.NATS_URL });
    const jsm = await jetstreamManager(nc);
    const stream = `${platform.prefix}_AUDIT`;
    const { state } = await jsm.streams.info(stream);
    let seen = 0;
    for (let seq = state.first_seq; seq <= state.last_seq; seq += 1) {
      const message = await jsm.streams.getMessage(stream, { seq }).catch(() => null);
      if (!message) continue;
      seen += 1;
      expect(message.string()).not.toContain('hunter2');
    }
    await nc.close();
    expect(seen).toBeGreaterThan(0);
  });
});
