import { TokenRpc, type CreatedAuthClient } from '@loyalty-edge/token-contracts';
import {
  changesOf,
  CLIENTS_PATH as base,
  newClient,
  startAuthClientFixture,
  type AuthClientFixture,
  type ErrorBody,
} from './auth-client-fixture.js';
import { Client } from './harness.js';
import { TOKEN_OPTIONS } from './token-stand-in.js';
import { eventually } from '@loyalty-edge/testing';

// Creating auth clients and the environment's options, against a stand-in of the token service
// on real NATS; reading and revoking them is in auth-client-revoke.int-spec.ts.

let f: AuthClientFixture;
const createRequests = (): Record<string, unknown>[] =>
  f.token.requests(TokenRpc.createClient.subject);

beforeAll(async () => {
  f = await startAuthClientFixture();
});

afterAll(async () => {
  await f.close();
});

describe('auth client options', () => {
  it('are shown to any signed-in caller, and to nobody else', async () => {
    const reply = await f.viewer.send('GET', '/api/auth-client-options');
    expect([reply.status, reply.body]).toEqual([200, TOKEN_OPTIONS]);
    const anonymous = await new Client(f.service.url).send('GET', '/api/auth-client-options');
    expect(anonymous.status).toBe(401);
  });
});

describe('auth clients with the Async Events module off', () => {
  it('are listed as such, and none can be created (409)', async () => {
    const list = await f.viewer.send('GET', base);
    expect([list.status, list.body]).toEqual([200, { moduleEnabled: false, clients: [] }]);
    const asked = createRequests().length;
    const reply = await f.admin.send<ErrorBody>('POST', base, newClient());
    expect(reply.status).toBe(409);
    expect(reply.body.error).toMatchObject({ type: 'ConflictException', code: 300409 });
    expect(createRequests()).toHaveLength(asked);
  });
});

describe('creating an auth client', () => {
  beforeAll(() => f.setAsyncEvents(true));

  it('lists every bad field, checked before the token service is asked', async () => {
    const asked = createRequests().length;
    const fieldsOf = async (body: Record<string, unknown>): Promise<Set<string>> => {
      const reply = await f.admin.send<ErrorBody>('POST', base, newClient(body));
      expect(reply.status).toBe(400);
      expect(reply.body.error).toMatchObject({ code: 100400, message: 'Validation failed' });
      return new Set(reply.body.error.details?.fields.map((problem) => problem.field));
    };
    expect(
      await fieldsOf({
        name: '',
        purpose: 'p'.repeat(501),
        expiresAt: '2027-01-01',
        scopes: [],
        audience: 7,
        colour: 'red',
      }),
    ).toEqual(new Set(['name', 'purpose', 'expiresAt', 'scopes', 'audience', 'colour']));
    expect(await fieldsOf({ scopes: [3], expiresAt: '2027-02-30T00:00:00Z' })).toEqual(
      new Set(['expiresAt', 'scopes']),
    );
    expect(await fieldsOf({ name: 'n'.repeat(101), expiresAt: '2027-01-01T00:00:00' })).toEqual(
      new Set(['name', 'expiresAt']),
    );
    expect(createRequests()).toHaveLength(asked);
  });

  it("passes on the token service's refusals with their fields", async () => {
    const reply = await f.admin.send<ErrorBody>(
      'POST',
      base,
      newClient({ scopes: ['loyalty.everything'], audience: 'https://elsewhere.test' }),
    );
    expect(reply.status).toBe(400);
    expect(reply.body.error.details?.fields).toEqual([
      { field: 'scopes', message: 'loyalty.everything is not a scope of this environment' },
      { field: 'audience', message: 'is not an audience of this environment' },
    ]);
  });

  it('answers the secret once, not cached, and logs the change without it', async () => {
    const reply = await f.admin.send<CreatedAuthClient>('POST', base, newClient(), {
      headers: { 'x-request-id': 'create-ui-1' },
    });
    expect(reply.status).toBe(201);
    expect(reply.headers.get('cache-control')).toBe('no-store');
    const created = reply.body;
    expect(created).toMatchObject({ name: 'CRM sync', status: 'active', createdVia: 'ui' });
    expect(created.clientSecret).toMatch(/^lecs_/);
    expect(createRequests().at(-1)).toMatchObject({
      workspaceId: 'ac-a',
      actor: { type: 'admin', email: 'admin@ac-a.test' },
      source: 'ui',
      requestId: 'create-ui-1',
    });
    const logged = (): ReturnType<typeof changesOf> =>
      changesOf(f.changes, 'auth-client.created', created.clientId);
    await eventually(() => expect(logged()).toHaveLength(1));
    const [event] = logged();
    expect(event).toMatchObject({
      workspaceId: 'ac-a',
      source: 'ui',
      requestId: 'create-ui-1',
      after: {
        clientId: created.clientId,
        name: 'CRM sync',
        scopes: ['loyalty.async_events'],
        audience: 'https://api.example.test',
        expiresAt: created.expiresAt,
      },
    });
    expect(event?.after).not.toHaveProperty('clientSecret');
    expect(JSON.stringify(f.changes)).not.toContain(created.clientSecret);
    for (const path of [base, `${base}/${created.clientId}`]) {
      const read = await f.viewer.send('GET', path);
      expect(read.status).toBe(200);
      expect(JSON.stringify(read.body)).toContain(created.clientId);
      expect(JSON.stringify(read.body)).not.toContain('lecs_');
    }
  });

  it('from automation (an access token) records source api and the token as actor', async () => {
    const reply = await f.automation.send<CreatedAuthClient>(
      'POST',
      base,
      newClient({ name: 'CI' }),
    );
    expect(reply.status).toBe(201);
    expect(createRequests().at(-1)).toMatchObject({
      actor: { type: 'token', email: 'admin@ac-a.test' },
      source: 'api',
    });
    await eventually(() =>
      expect(changesOf(f.changes, 'auth-client.created', reply.body.clientId)[0]?.source).toBe(
        'api',
      ),
    );
  });

  it("is refused to viewers (403) and to another workspace's admin (404); operators pass", async () => {
    const viewer = await f.viewer.send<ErrorBody>('POST', base, newClient());
    expect([viewer.status, viewer.body.error.code]).toEqual([403, 300405]);
    const other = await f.otherAdmin.send<ErrorBody>('POST', base, newClient());
    expect([other.status, other.body.error.code]).toEqual([404, 300404]);
    const operator = await f.operator.send('POST', base, newClient({ name: 'by operator' }));
    expect(operator.status).toBe(201);
  });
});

describe('the OpenAPI document', () => {
  it('lists the Authentication Manager routes with their roles', async () => {
    const doc = (await (await fetch(`${f.service.url}/api/docs-json`)).json()) as {
      paths: Record<string, Record<string, { 'x-required-role'?: string }>>;
      components: { schemas: Record<string, { required?: string[] }> };
    };
    const role = (path: string, method: string): string | undefined =>
      doc.paths[path]?.[method]?.['x-required-role'];
    const ws = '/api/workspaces/{ws}/auth-clients';
    expect([
      role('/api/auth-client-options', 'get'),
      role(ws, 'get'),
      role(ws, 'post'),
      role(`${ws}/{clientId}`, 'get'),
      role(`${ws}/{clientId}/revoke`, 'post'),
    ]).toEqual(['authenticated', 'viewer', 'admin', 'viewer', 'admin']);
    expect(new Set(doc.components.schemas.CreateAuthClientDto?.required)).toEqual(
      new Set(['name', 'purpose', 'expiresAt', 'scopes', 'audience']),
    );
    expect(doc.components.schemas.CreatedAuthClientDto?.required).toContain('clientSecret');
  });
});
