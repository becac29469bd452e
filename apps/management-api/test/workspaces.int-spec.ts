import type { ChangeEvent } from '@loyalty-edge/audit-contracts';
import { API_CATALOG, KV_BUCKETS } from '@loyalty-edge/contracts';
import type { WorkspaceRecord } from '@loyalty-edge/management-contracts';
import { kvDelete, kvGet, openBucket, type NatsLink } from '@loyalty-edge/nats';
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
});

afterAll(async () => {
  await link.close();
  await service.close();
  await cleanUp(prefix);
});

const changeOf = (action: string, target?: string): ChangeEvent | undefined =>
  changes.find((c) => c.action === action && (target === undefined || c.target === target));

describe('workspaces', () => {
  it('are created by operators and published to the gateway through KV', async () => {
    const created = await operator.send('POST', '/api/workspaces', { id: 'acme', name: 'ACME' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: 'acme',
      name: 'ACME',
      role: 'operator',
      modules: { ipFilter: false, signatureCheck: false, asyncEvents: false },
    });
    expect(await kvGet<WorkspaceRecord>(bucket, 'acme')).toEqual({
      id: 'acme',
      name: 'ACME',
      modules: { ipFilter: false, signatureCheck: false, asyncEvents: false },
    });
    const again = await operator.send('POST', '/api/workspaces', { id: 'acme', name: 'Other' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: { type: 'ConflictException', code: 300410 } });
  });

  it('refuse a bad id with every bad field listed', async () => {
    const reply = await operator.send('POST', '/api/workspaces', { id: 'Not A Slug', extra: 1 });
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({
      error: { type: 'BadRequestException', code: 100400, message: 'Validation failed' },
    });
    const fields = (reply.body as { error: { details: { fields: { field: string }[] } } }).error
      .details.fields;
    expect(fields.map((f) => f.field)).toEqual(expect.arrayContaining(['id', 'name', 'extra']));
  });

  it('switch modules (operators), one per request, reach KV, and log each change after it committed', async () => {
    const reply = await operator.change(
      'PUT',
      '/api/workspaces/acme/modules/ipFilter',
      { enabled: true },
      { headers: { 'x-request-id': 'modules-req-1' } },
    );
    expect(reply.status).toBe(200);
    expect(reply.headers.get('x-request-id')).toBe('modules-req-1');
    const second = await operator.change('PUT', '/api/workspaces/acme/modules/signatureCheck', {
      enabled: true,
    });
    expect(second.body).toMatchObject({
      modules: { ipFilter: true, signatureCheck: true, asyncEvents: false },
      modulesRevision: 3,
    });
    expect(second.headers.get('etag')).toBe('"3"');
    expect((await kvGet<WorkspaceRecord>(bucket, 'acme'))?.modules).toEqual({
      ipFilter: true,
      signatureCheck: true,
      asyncEvents: false,
    });
    const logged = (): ChangeEvent | undefined =>
      changes.find((c) => c.requestId === 'modules-req-1');
    await eventually(() => expect(logged()).toBeDefined());
    expect(logged()).toMatchObject({
      workspaceId: 'acme',
      action: 'workspace.modules.updated',
      actor: { type: 'admin', email: OPERATOR.email },
      source: 'ui',
      clientIp: operator.ip,
      before: { ipFilter: false, signatureCheck: false, asyncEvents: false },
      after: { ipFilter: true, signatureCheck: false, asyncEvents: false },
    });
  });

  it('are listed with the caller role, and only their own for non-operators', async () => {
    await operator.send('POST', '/api/workspaces', { id: 'other', name: 'Other' });
    await operator.change('POST', '/api/workspaces/acme/members', {
      email: 'lister@example.test',
      role: 'viewer',
      password: 'lister passphrase',
    });
    const lister = await Client.login(service.url, 'lister@example.test', 'lister passphrase');
    const mine = await lister.send<{ id: string; role: string }[]>('GET', '/api/workspaces');
    expect(mine.body.map((w) => [w.id, w.role])).toEqual([['acme', 'viewer']]);
    const all = await operator.send<{ id: string }[]>('GET', '/api/workspaces');
    expect(all.body.map((w) => w.id)).toEqual(expect.arrayContaining(['acme', 'other']));
    expect((await lister.send('GET', '/api/workspaces/acme')).status).toBe(200);
    expect((await lister.send('GET', '/api/workspaces/other')).status).toBe(404);
    expect((await lister.send('POST', '/api/workspaces', { id: 'nope', name: 'x' })).status).toBe(
      403,
    );
  });

  it('are repaired at start when the bucket lost one (reconcile by revision)', async () => {
    await kvDelete(bucket, 'acme');
    expect(await kvGet(bucket, 'acme')).toBeUndefined();
    const replica = await startManagement(env);
    try {
      expect((await kvGet<WorkspaceRecord>(bucket, 'acme'))?.modules.ipFilter).toBe(true);
    } finally {
      await replica.close();
    }
  });
});

describe('members', () => {
  it('lets an operator create a new admin with a policy-checked initial password, then lists them', async () => {
    const weak = await operator.change('POST', '/api/workspaces/acme/members', {
      email: 'new-admin@example.test',
      role: 'admin',
      password: 'password1234',
    });
    expect(weak.status).toBe(400);
    expect(weak.body).toMatchObject({ error: { code: 300422 } });

    const added = await operator.change<{ member: { adminId: string } }>(
      'POST',
      '/api/workspaces/acme/members',
      { email: 'New-Admin@Example.test', role: 'admin', password: 'new admin passphrase' },
    );
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({
      member: { email: 'new-admin@example.test', role: 'admin', status: 'active' },
      invitation: null,
    });
    const { adminId } = added.body.member;
    const listed = await operator.send<{ email: string; role: string }[]>(
      'GET',
      '/api/workspaces/acme/members',
    );
    expect(listed.body.map((m) => [m.email, m.role])).toEqual(
      expect.arrayContaining([['new-admin@example.test', 'admin']]),
    );
    await eventually(() => expect(changeOf('workspace.member.added', adminId)).toBeDefined());
    const event = JSON.stringify(changeOf('workspace.member.added', adminId));
    expect(event).not.toContain('new admin passphrase');
  });

  it("refuses to set an existing account's password, and refuses a duplicate", async () => {
    const admin = await Client.login(service.url, 'new-admin@example.test', 'new admin passphrase');
    const added = await admin.change('POST', '/api/workspaces/acme/members', {
      email: 'lister@example.test',
      role: 'viewer',
    });
    expect(added.status).toBe(409);
    const elsewhere = await operator.change('POST', '/api/workspaces/other/members', {
      email: 'new-admin@example.test',
      role: 'viewer',
      password: 'an attempt to reset it',
    });
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body).toMatchObject({
      error: { code: 300415, details: { fields: [{ field: 'password' }] } },
    });
    expect(
      (await new Client(service.url).login('new-admin@example.test', 'new admin passphrase'))
        .status,
    ).toBe(200);
    expect(
      (await new Client(service.url).login('new-admin@example.test', 'an attempt to reset it'))
        .status,
    ).toBe(401);
  });

  it('changes a role and removes a member; a token acts as source "api"', async () => {
    const admin = await Client.login(service.url, 'new-admin@example.test', 'new admin passphrase');
    const created = await admin.send<{ token: string }>('POST', '/api/tokens', {
      name: 'automation',
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    const bot = new Client(service.url).withBearer(created.body.token);
    const members = await bot.send<{ adminId: string; email: string }[]>(
      'GET',
      '/api/workspaces/acme/members',
    );
    const lister = members.body.find((m) => m.email === 'lister@example.test')!;

    const promoted = await bot.change('PUT', `/api/workspaces/acme/members/${lister.adminId}`, {
      role: 'admin',
    });
    expect(promoted.status).toBe(200);
    expect(promoted.body).toMatchObject({ role: 'admin' });
    await eventually(() =>
      expect(changeOf('workspace.member.role_changed', lister.adminId)).toMatchObject({
        source: 'api',
        actor: { type: 'token', email: 'new-admin@example.test' },
        before: { role: 'viewer' },
        after: { role: 'admin' },
      }),
    );

    const removed = await bot.change('DELETE', `/api/workspaces/acme/members/${lister.adminId}`);
    expect(removed.status).toBe(204);
    const again = await bot.change('DELETE', `/api/workspaces/acme/members/${lister.adminId}`);
    expect(again.status).toBe(404);
    const stale = await Client.login(service.url, 'lister@example.test', 'lister passphrase');
    expect((await stale.send('GET', '/api/workspaces/acme')).status).toBe(404);
  });

  it('validates the member id', async () => {
    const reply = await operator.change('DELETE', '/api/workspaces/acme/members/not-a-uuid');
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ error: { details: { fields: [{ field: 'memberId' }] } } });
  });
});

describe('request bodies', () => {
  const depth = 10_000;
  const deepArray = `${'['.repeat(depth)}${']'.repeat(depth)}`;
  const deepObject = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
  const tooDeep = {
    error: {
      type: 'BadRequestException',
      code: 100400,
      message: 'The JSON body is nested more than 32 levels deep',
    },
  };

  async function raw(client: Client, method: string, path: string, body: string) {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (client.cookie !== undefined) headers.cookie = `le_session=${client.cookie}`;
    if (client.csrfToken !== undefined) headers['x-csrf-token'] = client.csrfToken;
    const response = await fetch(`${service.url}${path}`, { method, headers, body });
    return [response.status, await response.json()] as const;
  }

  it('refuses a body nested deeper than 32 levels with 400 in the envelope, before validation', async () => {
    const anonymous = new Client(service.url);
    const cases: [Client, string, string, string][] = [
      [anonymous, 'POST', '/api/auth/login', `{"email":${deepArray},"password":"x"}`],
      [anonymous, 'POST', '/api/auth/login', deepObject],
      [operator, 'POST', '/api/workspaces', `{"id":"deep","name":${deepObject}}`],
      [operator, 'PUT', '/api/workspaces/acme/modules/ipFilter', deepArray],
      [
        operator,
        'POST',
        '/api/workspaces/acme/members',
        `{"email":"d@example.test","role":${deepArray}}`,
      ],
    ];
    for (const [client, method, path, body] of cases) {
      expect([path, ...(await raw(client, method, path, body))]).toEqual([path, 400, tooDeep]);
    }
    // at the limit the body is validated as usual
    const atLimit = `{"id":"deep","name":${'['.repeat(31)}${']'.repeat(31)}}`;
    const [status, answer] = await raw(operator, 'POST', '/api/workspaces', atLimit);
    expect([status, answer]).toMatchObject([400, { error: { message: 'Validation failed' } }]);
  });
});

describe('the catalog', () => {
  it('lists the APIs by id and name, the legacy one with its former name', async () => {
    const reply = await operator.send<{ id: string; name: string }[]>('GET', '/api/apis');
    expect(reply.body.map(({ id, name }) => ({ id, name }))).toEqual(
      API_CATALOG.map(({ id, name }) => ({ id, name })),
    );
    expect(reply.body.find((api) => api.id === 'challenges')).toEqual({
      id: 'challenges',
      name: 'Challenges',
      legacy: true,
      formerly: 'Workflow Campaigns API',
    });
  });
});
