import { AuditRpc, type ChangeEvent } from '@loyalty-edge/audit-contracts';
import type { Subscription } from '@nats-io/transport-node';
import { CredentialsRpc } from '@loyalty-edge/credentials-contracts';
import type { NatsLink } from '@loyalty-edge/nats';
import type { RunningService } from '@loyalty-edge/runtime';
import { cleanUp, eventually, uniquePrefix } from '@loyalty-edge/testing';
import {
  Client,
  managementEnv,
  openLink,
  OPERATOR,
  REMOTE_ANSWERS,
  respond,
  startManagement,
  watchChanges,
} from './harness.js';

const prefix = uniquePrefix();
const env = managementEnv(prefix, {
  GATEWAY_PUBLIC_URL: 'https://gateway.example.test/',
  ESCHER_CREDENTIAL_SCOPE: 'test/api/antavo_request',
});
let service: RunningService;
let link: NatsLink;
let changes: ChangeEvent[];
let admin: Client;
let viewer: Client;
/** What the fake services were asked, by subject. */
const asked: Record<string, Record<string, unknown>[]> = {};
let failedCallOwner: string | null = 'remote';
let responders: Subscription[] = [];

function change(n: number): ChangeEvent {
  return {
    id: `c${n}`,
    at: `2026-01-0${n}T00:00:00.000Z`,
    workspaceId: 'remote',
    actor: { type: 'admin', id: 'a1', email: 'a@example.test' },
    action: n === 2 ? '=cmd|calc' : 'workspace.modules.updated',
    target: 'remote',
    after: { ipFilter: true },
    source: 'ui',
  };
}

beforeAll(async () => {
  service = await startManagement(env);
  link = await openLink(env);
  changes = await watchChanges(link);
  const record =
    (subject: string, answer: (request: Record<string, unknown>) => unknown) =>
    (request: Record<string, unknown>): unknown => {
      (asked[subject] ??= []).push(request);
      return answer(request);
    };
  responders = respond(link, {
    ...Object.fromEntries(
      Object.entries(REMOTE_ANSWERS).map(([subject, answer]) => [subject, record(subject, answer)]),
    ),
    [CredentialsRpc.getActive.subject]: record(CredentialsRpc.getActive.subject, (request) => ({
      apiKey: 'lek_active',
      workspaceId: request.workspaceId,
      status: 'active',
      version: 3,
      createdAt: '2026-01-01T00:00:00.000Z',
      createdBy: 'a@example.test',
    })),
    [AuditRpc.changes.subject]: record(AuditRpc.changes.subject, (request) =>
      request.cursor === 'page-2'
        ? { items: [change(2)], nextCursor: null }
        : { items: [change(1)], nextCursor: 'page-2' },
    ),
    [AuditRpc.failedCall.subject]: record(AuditRpc.failedCall.subject, (request) => {
      const answer = REMOTE_ANSWERS[AuditRpc.failedCall.subject]!(request) as object;
      return failedCallOwner === null ? null : { ...answer, workspaceId: failedCallOwner };
    }),
  });
  const operator = await Client.login(service.url, OPERATOR.email, OPERATOR.password);
  await operator.send('POST', '/api/workspaces', { id: 'remote', name: 'Remote' });
  for (const [email, role] of [
    ['admin@remote.test', 'admin'],
    ['viewer@remote.test', 'viewer'],
  ]) {
    await operator.change('POST', '/api/workspaces/remote/members', {
      email,
      role,
      password: 'remote passphrase',
    });
  }
  admin = await Client.login(service.url, 'admin@remote.test', 'remote passphrase');
  viewer = await Client.login(service.url, 'viewer@remote.test', 'remote passphrase');
});

afterAll(async () => {
  await link.close();
  await service.close();
  await cleanUp(prefix);
});

describe('credentials', () => {
  it('shows the active key with the scope and base URL a client must use', async () => {
    const reply = await viewer.send('GET', '/api/workspaces/remote/credentials');
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      active: { apiKey: 'lek_active', version: 3 },
      credentialScope: 'test/api/antavo_request',
      baseUrl: 'https://gateway.example.test',
      usage: { lastUsedOn: '2026-11-30', clientIps: 2, days: 7 },
    });
    expect(JSON.stringify(reply.body)).not.toContain('apiSecret');
  });

  it('passes the overlap asked for, and refuses one past 24 hours', async () => {
    const reply = await admin.send('POST', '/api/workspaces/remote/credentials', {
      overlapSeconds: 3600,
    });
    expect(reply.status).toBe(201);
    expect(asked[CredentialsRpc.generate.subject]?.at(-1)).toMatchObject({ overlapSeconds: 3600 });
    const tooLong = await admin.send('POST', '/api/workspaces/remote/credentials', {
      overlapSeconds: 86_401,
    });
    expect(tooLong.status).toBe(400);
  });

  it('generates new ones for admins: the secret once, not cached, not in the change log', async () => {
    const reply = await admin.send<Record<string, unknown>>(
      'POST',
      '/api/workspaces/remote/credentials',
    );
    expect(reply.status).toBe(201);
    expect(reply.headers.get('cache-control')).toBe('no-store');
    expect(reply.body).toMatchObject({
      apiKey: 'lek_sample',
      apiSecret: 'les_sample_secret',
      credentialScope: 'test/api/antavo_request',
      baseUrl: 'https://gateway.example.test',
    });
    const request = asked[CredentialsRpc.generate.subject]?.at(-1);
    expect(request).toMatchObject({
      workspaceId: 'remote',
      actor: { type: 'admin', email: 'admin@remote.test' },
      requestId: reply.headers.get('x-request-id'),
    });
    await eventually(() =>
      expect(changes.some((c) => c.action === 'credentials.generated')).toBe(true),
    );
    const event = changes.find((c) => c.action === 'credentials.generated');
    expect(event).toMatchObject({ workspaceId: 'remote', target: 'lek_sample', source: 'ui' });
    expect(JSON.stringify(event)).not.toContain('les_sample_secret');
  });

  it('refuses viewers', async () => {
    expect((await viewer.send('POST', '/api/workspaces/remote/credentials')).status).toBe(403);
  });
});

describe('audit logs', () => {
  it('pass filters, range and paging to the audit service', async () => {
    const reply = await viewer.send(
      'GET',
      '/api/workspaces/remote/audit/changes?action=workspace.created&actor=a%40example.test&limit=10&cursor=abc&from=2026-01-01T00:00:00Z',
    );
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ items: [change(1)], nextCursor: 'page-2' });
    expect(asked[AuditRpc.changes.subject]?.at(-1)).toEqual({
      workspaceId: 'remote',
      cursor: 'abc',
      limit: 10,
      from: '2026-01-01T00:00:00Z',
      filters: { action: 'workspace.created', actor: 'a@example.test' },
    });
    const tokens = await viewer.send('GET', '/api/workspaces/remote/audit/tokens?outcome=error');
    expect(tokens.status).toBe(200);
    expect(asked[AuditRpc.tokens.subject]?.at(-1)).toMatchObject({ filters: { outcome: 'error' } });
  });

  it('refuse bad queries with every bad field listed', async () => {
    const reply = await viewer.send<{ error: { details: { fields: { field: string }[] } } }>(
      'GET',
      '/api/workspaces/remote/audit/auth-clients?limit=0&format=xml&from=yesterday&colour=red',
    );
    expect(reply.status).toBe(400);
    expect(reply.body.error.details.fields.map((f) => f.field)).toEqual(
      expect.arrayContaining(['limit', 'format', 'from', 'colour']),
    );
  });

  it('export every page as CSV, formulas defused', async () => {
    const reply = await fetch(`${service.url}/api/workspaces/remote/audit/changes?format=csv`, {
      headers: { cookie: `le_session=${viewer.cookie!}`, 'x-forwarded-for': viewer.ip },
    });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toContain('text/csv');
    expect(reply.headers.get('content-disposition')).toBe(
      'attachment; filename="changes-remote.csv"',
    );
    const lines = (await reply.text()).trim().split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(
      /^at,action,actor_type,actor_id,actor_email,target,source,before,after/,
    );
    expect(lines[1]).toContain('workspace.modules.updated');
    expect(lines[2]).toContain("'=cmd|calc");
  });

  it('export failed calls as NDJSON', async () => {
    const reply = await viewer.send<string>(
      'GET',
      '/api/workspaces/remote/errors?format=ndjson&status=403',
    );
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toContain('application/x-ndjson');
    expect(asked[AuditRpc.failedCalls.subject]?.at(-1)).toMatchObject({
      filters: { status: '403' },
    });
  });
});

describe('failed calls', () => {
  it('show one call of the workspace, and nothing of another', async () => {
    const reply = await viewer.send('GET', '/api/workspaces/remote/errors/fc-9');
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ id: 'fc-9', workspaceId: 'remote', reason: 'ip_denied' });
    failedCallOwner = 'someone-else';
    expect((await viewer.send('GET', '/api/workspaces/remote/errors/fc-9')).status).toBe(404);
    failedCallOwner = null;
    const missing = await viewer.send('GET', '/api/workspaces/remote/errors/fc-9');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error: { code: 300411 } });
  });
});

describe('when the other service does not answer', () => {
  it('answers 503 in the envelope', async () => {
    for (const subscription of responders) subscription.unsubscribe();
    await link.connection.flush();
    const reply = await viewer.send('GET', '/api/workspaces/remote/credentials');
    expect(reply.status).toBe(503);
    expect(reply.body).toEqual({
      error: {
        type: 'ServiceUnavailableException',
        code: 100503,
        message: 'No answer from credentials',
      },
    });
  });
});
