import { randomUUID } from 'node:crypto';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import pg from 'pg';
import type {
  AsyncEventAccepted,
  AsyncEventStatusResponse,
  CustomerView,
} from '@loyalty-edge/loyalty-contracts';
import { ServiceTest } from '@loyalty-edge/service-testing';
import { eventually } from '@loyalty-edge/testing';
import { loyaltyApp } from '../src/app.module.js';
import { CALLBACK_REFUSED } from '../src/async-events/async-events.controller.js';
import { loadConfig } from '../src/config.js';
import { client } from './http.js';

// a fast sweep, so the republish path is seen within a test
const test = new ServiceTest(loadConfig, loyaltyApp, { LOYALTY_ASYNC_SWEEP_INTERVAL_MS: '200' });
let call: ReturnType<typeof client>;
let db: pg.Client;

beforeAll(async () => {
  call = client((await test.start()).url);
  db = new pg.Client({ connectionString: test.env.DATABASE_URL });
  await db.connect();
  await call('POST', '/events', { body: { customer: 'async-1', action: 'opt_in', data: {} } });
});

afterAll(async () => {
  await db.end();
  await test.close();
});

async function submit(body: Record<string, unknown>, workspace = 'ws-a'): Promise<string> {
  const reply = await call<AsyncEventAccepted>('POST', '/v1/async/events', { body, workspace });
  expect(reply.status).toBe(200);
  expect(reply.body).toEqual({
    status: 'success',
    metadata: {},
    payload: { correlation_id: expect.any(String) as string, status: 'queued' },
  });
  return reply.body.payload.correlation_id;
}

/** Polls the status endpoint until the event is processed or failed. */
function finished(id: string, workspace = 'ws-a'): Promise<AsyncEventStatusResponse['payload']> {
  return eventually(async () => {
    const reply = await call<AsyncEventStatusResponse>('GET', `/v1/async/events/${id}`, {
      workspace,
    });
    expect(['processed', 'failed']).toContain(reply.body.payload.status);
    return reply.body.payload;
  });
}

/** Rows in async_events, whatever their status. */
const queuedRows = async (): Promise<number> =>
  Number(
    (
      await db.query<{ count: string }>(
        `SELECT count(*) AS count FROM "${test.prefix}_loyalty".async_events`,
      )
    ).rows[0]?.count,
  );

const spendable = async (id: string): Promise<number> =>
  (await call<CustomerView>('GET', `/customers/${id}`)).body.spendable;

describe('Async Events API', () => {
  it('queues an event, processes it, and reports the result', async () => {
    const id = await submit({
      customer: 'async-1',
      action: 'point_add',
      data: { points: 15 },
      external_id: 'ext-1',
    });
    const payload = await finished(id);
    expect(payload).toMatchObject({
      correlation_id: id,
      status: 'processed',
      result: { id: 'async-1', spendable: 15, events: [{ action: 'point_add', points: 15 }] },
    });
    expect(payload.error).toBeUndefined();
    expect(await spendable('async-1')).toBe(15);
    const { rows } = await db.query<{ external_id: string; source: string }>(
      `SELECT e.external_id, e.source FROM "${test.prefix}_loyalty".async_events a
         JOIN "${test.prefix}_loyalty".events e ON e.correlation_id = a.correlation_id
        WHERE a.correlation_id = $1`,
      [id],
    );
    expect(rows).toEqual([{ external_id: 'ext-1', source: 'async' }]);
  });

  it('records a refused event as failed with its error', async () => {
    const id = await submit({ customer: 'nobody', action: 'point_add', data: { points: 1 } });
    expect(await finished(id)).toEqual({
      correlation_id: id,
      status: 'failed',
      error: { type: 'NotFoundException', code: 160212, message: 'Customer not found' },
    });
  });

  it('refuses a bad action or bad data at once', async () => {
    const cases = [
      [{ customer: 'async-1', action: 'dance', data: {} }, 160220],
      [{ customer: 'async-1', action: 'point_add', data: { points: 0 } }, 160221],
    ] as const;
    for (const [body, code] of cases) {
      const reply = await call<{ error: { code: number } }>('POST', '/v1/async/events', { body });
      expect([reply.status, reply.body.error.code]).toEqual([400, code]);
    }
  });

  it('refuses any callback_url with 400 naming the field, and queues nothing', async () => {
    const before = await queuedRows();
    for (const url of ['https://hooks.example.com/loyalty', 'http://169.254.169.254/', 42]) {
      const reply = await call<{ error: { code: number; details: unknown } }>(
        'POST',
        '/v1/async/events',
        { body: { customer: 'async-1', action: 'opt_out', callback_url: url } },
      );
      expect(reply.status).toBe(400);
      expect(reply.body.error.code).toBe(100400);
      expect(reply.body.error.details).toEqual({
        fields: [{ field: 'callback_url', message: CALLBACK_REFUSED }],
      });
    }
    expect(await queuedRows()).toBe(before);
  });

  it("hides another workspace's event, and unknown ids, with asyncEventNotFound", async () => {
    const id = await submit({ customer: 'async-1', action: 'profile', data: { language: 'hu' } });
    await finished(id);
    for (const [path, workspace] of [
      [`/v1/async/events/${id}`, 'ws-b'],
      [`/v1/async/events/${randomUUID()}`, 'ws-a'],
      ['/v1/async/events/not-a-uuid', 'ws-a'],
    ] as const) {
      const reply = await call('GET', path, { workspace });
      expect(reply.status).toBe(404);
      expect(reply.body).toEqual({
        error: { type: 'NotFoundException', code: 160230, message: 'Correlation ID not found' },
      });
    }
  });

  it('republishes a queued event whose publish was lost', async () => {
    const id = randomUUID();
    const request = { customer: 'async-1', action: 'point_add', data: { points: 7 } };
    const before = await spendable('async-1');
    // as if the process died between the commit and the publish
    await db.query(
      `INSERT INTO "${test.prefix}_loyalty".async_events
         (correlation_id, workspace_id, request, status, publish_attempts, last_publish_at,
          created_at, updated_at)
       VALUES ($1, 'ws-a', $2, 'queued', 1, now() - interval '1 minute', now(), now())`,
      [id, JSON.stringify(request)],
    );
    expect((await finished(id)).status).toBe('processed');
    expect(await spendable('async-1')).toBe(before + 7);
    const { rows } = await db.query<{ publish_attempts: number }>(
      `SELECT publish_attempts FROM "${test.prefix}_loyalty".async_events WHERE correlation_id = $1`,
      [id],
    );
    expect(rows[0]?.publish_attempts).toBeGreaterThanOrEqual(2);
  });

  it('does not apply an event twice when its message is delivered again', async () => {
    const id = await submit({ customer: 'async-1', action: 'point_add', data: { points: 3 } });
    await finished(id);
    const after = await spendable('async-1');
    const link = await test.connect();
    const js = jetstream(link.connection);
    // a new message id, so JetStream's duplicate window does not drop it
    await js.publish(
      link.subject('loyalty.async-event.queued'),
      JSON.stringify({ correlation_id: id }),
      { msgID: randomUUID() },
    );
    const jsm = await jetstreamManager(link.connection);
    await eventually(async () => {
      const info = await jsm.consumers.info(
        link.name('LOYALTY_ASYNC'),
        link.name('loyalty_async_worker'),
      );
      expect([info.num_pending, info.num_ack_pending]).toEqual([0, 0]);
    });
    expect(await spendable('async-1')).toBe(after);
  });

  it('exposes the queue depth gauge', async () => {
    await eventually(async () => {
      const metrics = await (await fetch(`${test.service.url}/metrics`)).text();
      expect(metrics).toContain('loyalty_api_async_queue_depth{status="queued"} 0');
    });
  });
});
