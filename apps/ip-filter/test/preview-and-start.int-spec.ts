import { IpFilterRpc } from '@loyalty-edge/ip-filter-contracts';
import { kvPut } from '@loyalty-edge/nats';
import { Harness, refusal } from './harness.js';

const h = new Harness();
beforeAll(() => h.open());
afterAll(() => h.close());

describe('ip-filter preview, start-up and probes', () => {
  it('previews which clients a proposed list would block, saving nothing', async () => {
    const preview = await h.rpc.request(IpFilterRpc.preview, {
      workspaceId: 'ws-p',
      api: 'events',
      entries: ['10.0.0.0/8', '10.1.2.3/8', '::ffff:192.168.1.10'],
      clientIps: [
        { ip: '10.20.30.40', requests: 12 },
        { ip: '192.168.1.10', requests: 3 },
        { ip: '203.0.113.9', requests: 30 },
        { ip: '2001:db8::1', requests: 4 },
      ],
    });
    expect(preview).toEqual({
      workspaceId: 'ws-p',
      api: 'events',
      entries: [
        { input: '10.0.0.0/8', normalized: '10.0.0.0/8', hostBitsCleared: false },
        { input: '::ffff:192.168.1.10', normalized: '192.168.1.10', hostBitsCleared: false },
      ],
      merged: [{ normalized: '10.0.0.0/8', inputs: ['10.0.0.0/8', '10.1.2.3/8'] }],
      filtering: true,
      blocked: [
        { ip: '203.0.113.9', requests: 30 },
        { ip: '2001:db8::1', requests: 4 },
      ],
      unrecognized: [],
      totals: { clients: 4, requests: 49, blockedClients: 2, blockedRequests: 34 },
    });
    expect(await h.storedRows('ws-p')).toEqual([]);
    expect(await h.record('ws-p')).toBeUndefined();

    const error = await refusal(
      h.rpc.request(IpFilterRpc.preview, {
        workspaceId: 'ws-p',
        api: 'events',
        entries: ['10.0.0.0/8', '10.0.*.*'],
        clientIps: [{ ip: '10.0.0.1', requests: -1 }],
      }),
    );
    expect(error.details?.fields?.map((f) => f.field)).toEqual(['clientIps[0].requests']);
    const invalidList = await refusal(
      h.rpc.request(IpFilterRpc.preview, {
        workspaceId: 'ws-p',
        api: 'events',
        entries: ['10.0.0.0/8', '10.0.*.*'],
        clientIps: [],
      }),
    );
    expect(invalidList.details?.fields).toEqual([
      expect.objectContaining({ field: 'entries[1]', reason: 'wildcard' }),
    ]);
  });

  it('repairs the bucket at start: stale records rewritten, keys without lists removed', async () => {
    await h.update('ws-ok', 'events', ['192.0.2.0/24']);
    await h.update('ws-r', 'rewards', ['198.51.100.0/24']);
    const good = await h.record('ws-r');
    await kvPut(h.bucket, 'ws-r', { workspaceId: 'ws-r', apis: {}, revision: 99 });
    await kvPut(h.bucket, 'ws-ghost', {
      workspaceId: 'ws-ghost',
      apis: { events: ['0.0.0.0/0'] },
      revision: 1,
    });
    const untouched = (await h.bucket.get('ws-ok'))?.revision;
    expect(untouched).toBeGreaterThan(0);

    const second = await h.start();
    await h.stop(second);

    expect(await h.record('ws-r')).toEqual(good);
    expect(await h.record('ws-ghost')).toBeUndefined();
    // a record that was right is not written again (gateways see no change)
    expect((await h.bucket.get('ws-ok'))?.revision).toBe(untouched);
  });

  it('serves health, readiness and metrics', async () => {
    expect((await fetch(`${h.service.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${h.service.url}/readyz`);
    expect(await ready.json()).toEqual({
      status: 'ready',
      checks: { nats: true, database: true, kv_outbox: true },
    });
    const metrics = await (await fetch(`${h.service.url}/metrics`)).text();
    expect(metrics).toContain(
      'ip_filter_rpc_duration_seconds_count{subject="ip-filter.list.update",outcome="ok"}',
    );
  });
});
