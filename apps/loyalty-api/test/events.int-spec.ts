import pg from 'pg';
import type {
  BulkEventResponse,
  CustomerEvents,
  CustomerPage,
  CustomerView,
  EventResponse,
} from '@loyalty-edge/loyalty-contracts';
import { ServiceTest } from '@loyalty-edge/service-testing';
import { loyaltyApp } from '../src/app.module.js';
import { loadConfig } from '../src/config.js';
import { client } from './http.js';

const test = new ServiceTest(loadConfig, loyaltyApp);
let call: ReturnType<typeof client>;

beforeAll(async () => {
  call = client((await test.start()).url);
});

afterAll(() => test.close());

const event = (customer: string, action: string, data: Record<string, unknown> = {}) => ({
  customer,
  action,
  data,
});

describe('Events and Customer APIs', () => {
  it('opts a customer in, adds points, and finds them by id, in the count and the list', async () => {
    const optIn = await call<EventResponse>('POST', '/events', {
      body: event('cust-1', 'opt_in', { first_name: 'Ann', email: 'ann@example.com' }),
    });
    expect(optIn.status).toBe(200);
    expect(optIn.body).toMatchObject({ id: 'cust-1', status: 'active', score: 0, spendable: 0 });

    const added = await call<EventResponse>('POST', '/events', {
      body: event('cust-1', 'point_add', { points: 325, reason: 'welcome' }),
    });
    expect(added.status).toBe(200);
    expect(added.body).toMatchObject({ score: 325, spendable: 325 });
    expect(added.body.events).toEqual([
      { id: expect.any(String) as string, action: 'point_add', points: 325 },
    ]);

    const got = await call<CustomerView>('GET', '/customers/cust-1');
    expect(got.status).toBe(200);
    expect(got.body).toEqual({
      id: 'cust-1',
      status: 'active',
      first_name: 'Ann',
      last_name: null,
      email: 'ann@example.com',
      birth_date: null,
      language: null,
      score: 325,
      spent: 0,
      spendable: 325,
      created_at: optIn.body.created_at,
      updated_at: added.body.updated_at,
    });
    expect((await call('GET', '/customers/-/count')).body).toEqual({ count: 1 });
  });

  it('pages through customers by id with a cursor, optionally by status', async () => {
    for (const id of ['p-3', 'p-1', 'p-5', 'p-2', 'p-4']) {
      expect(
        (await call('POST', '/events', { body: event(id, 'opt_in'), workspace: 'ws-pages' }))
          .status,
      ).toBe(200);
    }
    await call('POST', '/events', { body: event('p-2', 'opt_out'), workspace: 'ws-pages' });
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor === null ? '' : `&cursor=${cursor}`;
      const page = await call<CustomerPage>('GET', `/customers?limit=2${query}`, {
        workspace: 'ws-pages',
      });
      expect(page.status).toBe(200);
      seen.push(...page.body.data.map((customer) => customer.id));
      cursor = page.body.next_cursor;
      pages += 1;
    } while (cursor !== null);
    expect(seen).toEqual(['p-1', 'p-2', 'p-3', 'p-4', 'p-5']);
    expect(pages).toBe(3);

    const active = await call<CustomerPage>('GET', '/customers?status=active', {
      workspace: 'ws-pages',
    });
    expect(active.body.data.map((customer) => customer.id)).toEqual(['p-1', 'p-3', 'p-4', 'p-5']);
    expect(
      (await call('GET', '/customers/-/count?status=opted_out', { workspace: 'ws-pages' })).body,
    ).toEqual({ count: 1 });
  });

  it('answers an unknown customer with the exact Antavo 404 envelope', async () => {
    for (const reply of [
      await call('GET', '/customers/nobody'),
      await call('POST', '/events', { body: event('nobody', 'point_add', { points: 5 }) }),
    ]) {
      expect(reply.status).toBe(404);
      expect(reply.body).toEqual({
        error: { type: 'NotFoundException', code: 160212, message: 'Customer not found' },
      });
    }
  });

  it('lists every bad field of an invalid request', async () => {
    const reply = await call<{ error: { code: number; details: { fields: { field: string }[] } } }>(
      'POST',
      '/events',
      { body: { customer: '', action: 7, data: 'x', extra: true } },
    );
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe(100400);
    const fields = reply.body.error.details.fields.map((problem) => problem.field);
    expect(fields).toEqual(expect.arrayContaining(['customer', 'action', 'data', 'extra']));

    const bad = await call<{ error: { code: number; details: { fields: { field: string }[] } } }>(
      'POST',
      '/events',
      { body: event('cust-1', 'point_add', { points: -1 }) },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe(160221);
    expect(bad.body.error.details.fields.map((problem) => problem.field)).toEqual(['data.points']);
  });

  it('refuses a body nested deeper than 32 levels with 400 in the envelope, before validation', async () => {
    const depth = 10_000;
    const deepArray = `${'['.repeat(depth)}${']'.repeat(depth)}`;
    const deepObject = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    const post = async (path: string, body: string): Promise<[number, unknown]> => {
      const response = await fetch(`${test.service.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-le-workspace-id': 'ws-deep' },
        body,
      });
      return [response.status, await response.json()];
    };
    const cases: [string, string][] = [
      ['/events', `{"customer":"deep-1","action":"opt_in","data":{"x":${deepArray}}}`],
      ['/events', `{"customer":"deep-1","action":"opt_in","data":${deepObject}}`],
      ['/events/bulk', `{"events":${deepArray}}`],
      ['/events/bulk', `{"events":[${deepObject}]}`],
      ['/events', deepArray],
    ];
    for (const [path, body] of cases) {
      expect([path, ...(await post(path, body))]).toEqual([
        path,
        400,
        {
          error: {
            type: 'BadRequestException',
            code: 100400,
            message: 'The JSON body is nested more than 32 levels deep',
          },
        },
      ]);
    }
    // 32 levels are within the limit: such a body is validated and applied like any other
    const within = `{"customer":"deep-2","action":"opt_in","data":${'{"a":'.repeat(30)}{}${'}'.repeat(30)}}`;
    expect((await post('/events', within))[0]).toBe(200);
    const justOver = await post('/events', `${'['.repeat(33)}${']'.repeat(33)}`);
    expect(justOver[0]).toBe(400);
    expect(JSON.stringify(justOver[1])).toContain('nested more than 32 levels');
  });

  it('refuses unknown actions, double opt-in, and overspending with their codes', async () => {
    await call('POST', '/events', { body: event('rules-1', 'opt_in') });
    const cases = [
      [event('rules-1', 'dance'), 400, 160220],
      [event('rules-1', 'opt_in'), 409, 160213],
      [event('rules-1', 'point_spend', { points: 1 }), 400, 160222],
    ] as const;
    for (const [body, status, code] of cases) {
      const reply = await call<{ error: { code: number } }>('POST', '/events', { body });
      expect([reply.status, reply.body.error.code]).toEqual([status, code]);
    }
  });

  it('keeps workspaces apart', async () => {
    await call('POST', '/events', { body: event('shared-id', 'opt_in'), workspace: 'ws-x' });
    expect((await call('GET', '/customers/shared-id', { workspace: 'ws-y' })).status).toBe(404);
    expect((await call('GET', '/customers/-/count', { workspace: 'ws-y' })).body).toEqual({
      count: 0,
    });
    expect(
      (await call<CustomerPage>('GET', '/customers', { workspace: 'ws-y' })).body.data,
    ).toEqual([]);
    const other = await call('POST', '/events', {
      body: event('shared-id', 'opt_in'),
      workspace: 'ws-y',
    });
    expect(other.status).toBe(200);
  });

  it('refuses a request that did not come through the gateway (no workspace header)', async () => {
    for (const [method, path] of [
      ['GET', '/customers/cust-1'],
      ['GET', '/customers'],
      ['POST', '/events'],
      ['POST', '/v1/async/events'],
    ] as const) {
      const reply = await call(method, path, {
        workspace: null,
        ...(method === 'POST' ? { body: event('cust-1', 'point_add', { points: 1 }) } : {}),
      });
      expect(reply.status).toBe(401);
      expect(reply.body).toEqual({
        error: {
          type: 'UnauthorizedException',
          code: 100401,
          message: 'Request did not come through the gateway',
        },
      });
    }
  });

  it('applies bulk events in order, each on its own', async () => {
    const reply = await call<BulkEventResponse>('POST', '/events/bulk', {
      body: {
        events: [
          event('bulk-1', 'opt_in'),
          event('bulk-1', 'point_add', { points: 100 }),
          event('bulk-1', 'point_spend', { points: 500 }),
          event('bulk-2', 'point_add', { points: 5 }),
          event('bulk-1', 'point_sub', { points: 40 }),
        ],
      },
    });
    expect(reply.status).toBe(200);
    expect(reply.body.results.map((result) => [result.index, result.status])).toEqual([
      [0, 'ok'],
      [1, 'ok'],
      [2, 'error'],
      [3, 'error'],
      [4, 'ok'],
    ]);
    expect(reply.body.results[2]).toMatchObject({ error: { code: 160222 } });
    expect(reply.body.results[3]).toEqual({
      index: 3,
      status: 'error',
      error: { type: 'NotFoundException', code: 160212, message: 'Customer not found' },
    });
    expect(reply.body.results[4]).toMatchObject({ customer: { score: 60, spendable: 60 } });

    const tooMany = await call('POST', '/events/bulk', {
      body: { events: Array.from({ length: 101 }, () => event('bulk-1', 'opt_out')) },
    });
    expect(tooMany.status).toBe(400);
  });

  it('serialises concurrent events of one customer (row lock) and concurrent opt-ins', async () => {
    const optIns = await Promise.all(
      [1, 2, 3].map(() => call('POST', '/events', { body: event('race-1', 'opt_in') })),
    );
    expect(optIns.map((reply) => reply.status).sort()).toEqual([200, 409, 409]);
    await Promise.all(
      Array.from({ length: 20 }, () =>
        call('POST', '/events', { body: event('race-1', 'point_add', { points: 10 }) }),
      ),
    );
    const spends = await Promise.all(
      Array.from({ length: 30 }, () =>
        call('POST', '/events', { body: event('race-1', 'point_spend', { points: 10 }) }),
      ),
    );
    expect(spends.filter((reply) => reply.status === 200)).toHaveLength(20);
    expect((await call('GET', '/customers/race-1')).body).toMatchObject({
      score: 200,
      spent: 200,
      spendable: 0,
    });
  });

  it('stores every applied event', async () => {
    const db = new pg.Client({ connectionString: test.env.DATABASE_URL });
    await db.connect();
    const { rows } = await db.query<{ action: string; points: string | null; source: string }>(
      `SELECT action, points, source FROM "${test.prefix}_loyalty".events
        WHERE workspace_id = 'ws-a' AND customer_id = 'cust-1' ORDER BY created_at`,
    );
    await db.end();
    expect(rows).toEqual([
      { action: 'opt_in', points: null, source: 'api' },
      { action: 'point_add', points: '325', source: 'api' },
    ]);
  });

  it("lists a customer's latest events, newest first, and 404 for an unknown customer", async () => {
    const events = await call<CustomerEvents>('GET', '/customers/cust-1/events');
    expect(events.status).toBe(200);
    expect(events.body.data.map((e) => [e.action, e.points, e.source])).toEqual([
      ['point_add', 325, 'api'],
      ['opt_in', null, 'api'],
    ]);
    expect(events.body.data[0]).toMatchObject({ data: { points: 325, reason: 'welcome' } });
    const one = await call<CustomerEvents>('GET', '/customers/cust-1/events?limit=1');
    expect(one.body.data).toHaveLength(1);
    expect((await call('GET', '/customers/cust-1/events?limit=0')).status).toBe(400);
    expect((await call('GET', '/customers/nobody/events')).status).toBe(404);
    // another workspace's customer of the same id is not found
    expect((await call('GET', '/customers/cust-1/events', { workspace: 'ws-other' })).status).toBe(
      404,
    );
  });

  it('serves readiness and counts events by action and outcome', async () => {
    expect(await (await fetch(`${test.service.url}/readyz`)).json()).toEqual({
      status: 'ready',
      checks: { nats: true, database: true },
    });
    const metrics = await (await fetch(`${test.service.url}/metrics`)).text();
    expect(metrics).toMatch(/loyalty_api_events_total\{action="point_add",outcome="ok"\} \d+/);
    expect(metrics).toContain('loyalty_api_events_total{action="unknown",outcome="invalid"} 1');
    expect(metrics).toContain('loyalty_api_events_total{action="opt_in",outcome="conflict"}');
  });
});
