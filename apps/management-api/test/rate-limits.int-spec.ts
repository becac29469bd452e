import type { ChangeEvent } from '@loyalty-edge/audit-contracts';
import { KV_BUCKETS } from '@loyalty-edge/contracts';
import type { WorkspaceRecord } from '@loyalty-edge/management-contracts';
import { kvGet, openBucket, type NatsLink } from '@loyalty-edge/nats';
import type { RunningService } from '@loyalty-edge/runtime';
import { cleanUp, eventually, uniquePrefix } from '@loyalty-edge/testing';
import type { KV } from '@nats-io/kv';
import {
  Client,
  managementEnv,
  openLink,
  OPERATOR,
  startManagement,
  watchChanges,
} from './harness.js';

const prefix = uniquePrefix();
const env = managementEnv(prefix);
let service: RunningService;
let link: NatsLink;
let bucket: KV;
let changes: ChangeEvent[];
let operator: Client;

beforeAll(async () => {
  service = await startManagement(env);
  link = await openLink(env);
  bucket = await openBucket(link, KV_BUCKETS.workspaces);
  changes = await watchChanges(link);
  operator = await Client.login(service.url, OPERATOR.email, OPERATOR.password);
  await operator.send('POST', '/api/workspaces', { id: 'limited', name: 'Limited' });
});

afterAll(async () => {
  await link.close();
  await service.close();
  await cleanUp(prefix);
});

describe('rate limits', () => {
  it("start at the gateways' default: null here, absent from the KV record", async () => {
    const reply = await operator.send('GET', '/api/workspaces/limited/rate-limit');
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ requestsPerMinute: null });
    expect(await kvGet<WorkspaceRecord>(bucket, 'limited')).not.toHaveProperty('rateLimit');
  });

  it('are set by operators, reach the gateways through KV and are logged', async () => {
    const reply = await operator.send(
      'PUT',
      '/api/workspaces/limited/rate-limit',
      { requestsPerMinute: 600 },
      { headers: { 'x-request-id': 'rate-limit-1' } },
    );
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ requestsPerMinute: 600 });
    expect((await kvGet<WorkspaceRecord>(bucket, 'limited'))?.rateLimit).toEqual({
      requestsPerMinute: 600,
    });
    expect((await operator.send('GET', '/api/workspaces/limited')).body).toMatchObject({
      rateLimit: { requestsPerMinute: 600 },
    });
    await eventually(() =>
      expect(changes.find((c) => c.requestId === 'rate-limit-1')).toMatchObject({
        workspaceId: 'limited',
        action: 'workspace.rate-limit.updated',
        target: 'limited',
        before: { requestsPerMinute: null },
        after: { requestsPerMinute: 600 },
      }),
    );
    const off = await operator.send('PUT', '/api/workspaces/limited/rate-limit', {
      requestsPerMinute: 0,
    });
    expect(off.body).toMatchObject({ requestsPerMinute: 0 });
    expect((await kvGet<WorkspaceRecord>(bucket, 'limited'))?.rateLimit).toEqual({
      requestsPerMinute: 0,
    });
    await operator.send('PUT', '/api/workspaces/limited/rate-limit', { requestsPerMinute: null });
    expect(await kvGet<WorkspaceRecord>(bucket, 'limited')).not.toHaveProperty('rateLimit');
  });

  it('refuse what is not a whole number from 0 to 1,000,000, and unknown workspaces', async () => {
    for (const requestsPerMinute of [-1, 1.5, '100', 1_000_001, undefined]) {
      const reply = await operator.send('PUT', '/api/workspaces/limited/rate-limit', {
        requestsPerMinute,
      });
      expect([requestsPerMinute, reply.status]).toEqual([requestsPerMinute, 400]);
      const { error } = reply.body as {
        error: { code: number; details: { fields: { field: string }[] } };
      };
      expect([error.code, [...new Set(error.details.fields.map((f) => f.field))]]).toEqual([
        100400,
        ['requestsPerMinute'],
      ]);
    }
    const unknown = await operator.send('PUT', '/api/workspaces/nowhere/rate-limit', {
      requestsPerMinute: 5,
    });
    expect(unknown.status).toBe(404);
  });

  it('are readable by members and changed by operators only', async () => {
    await operator.change('POST', '/api/workspaces/limited/members', {
      email: 'limited-admin@example.test',
      role: 'admin',
      password: 'limited admin passphrase',
    });
    const admin = await Client.login(
      service.url,
      'limited-admin@example.test',
      'limited admin passphrase',
    );
    expect((await admin.send('GET', '/api/workspaces/limited/rate-limit')).status).toBe(200);
    const refused = await admin.send('PUT', '/api/workspaces/limited/rate-limit', {
      requestsPerMinute: 100_000,
    });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: { code: 300405 } });
  });
});
