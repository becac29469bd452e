import {
  TokenRpc,
  type AuthClientView,
  type CreatedAuthClient,
} from '@loyalty-edge/token-contracts';
import {
  changesOf,
  CLIENTS_PATH as base,
  newClient,
  startAuthClientFixture,
  type AuthClientFixture,
  type ErrorBody,
} from './auth-client-fixture.js';
import { newClientId } from './token-stand-in.js';
import { eventually } from '@loyalty-edge/testing';

// Reading and revoking auth clients, against a stand-in of the token service on real NATS.

let f: AuthClientFixture;
let client: CreatedAuthClient;

beforeAll(async () => {
  f = await startAuthClientFixture();
  await f.setAsyncEvents(true);
  await f.admin.send('POST', base, newClient({ name: 'Older' }));
  client = (await f.admin.send<CreatedAuthClient>('POST', base, newClient({ name: 'To revoke' })))
    .body;
});

afterAll(async () => {
  await f.close();
});

describe('reading auth clients', () => {
  it('lists them newest first with the module state, for viewers', async () => {
    const reply = await f.viewer.send<{ moduleEnabled: boolean; clients: AuthClientView[] }>(
      'GET',
      base,
    );
    expect(reply.status).toBe(200);
    expect(reply.body.moduleEnabled).toBe(true);
    expect(reply.body.clients.map((c) => c.name)).toEqual(['To revoke', 'Older']);
    const one = await f.viewer.send('GET', `${base}/${client.clientId}`);
    const { clientSecret: _secret, ...view } = client;
    expect([one.status, one.body]).toEqual([200, view]);
  });

  it('answers 404 for an unknown client and 400 for a malformed id', async () => {
    const missing = await f.viewer.send('GET', `${base}/${newClientId()}`);
    expect([missing.status, missing.body]).toEqual([
      404,
      { error: { type: 'NotFoundException', code: 150404, message: 'Auth client not found' } },
    ]);
    const revokeMissing = await f.admin.send<ErrorBody>('POST', `${base}/${newClientId()}/revoke`);
    expect([revokeMissing.status, revokeMissing.body.error.code]).toEqual([404, 150404]);
    for (const [method, path] of [
      ['GET', `${base}/not-a-client`],
      ['POST', `${base}/lec_short/revoke`],
    ] as const) {
      const reply = await f.admin.send<ErrorBody>(method, path);
      expect([path, reply.status]).toEqual([path, 400]);
      expect(reply.body.error.details?.fields.map((problem) => problem.field)).toEqual([
        'clientId',
      ]);
    }
  });

  it("shows another workspace's admin nothing (404 workspace not found)", async () => {
    for (const [method, path] of [
      ['GET', base],
      ['GET', `${base}/${client.clientId}`],
      ['POST', `${base}/${client.clientId}/revoke`],
    ] as const) {
      const reply = await f.otherAdmin.send<ErrorBody>(method, path);
      expect([path, reply.status, reply.body.error.code]).toEqual([path, 404, 300404]);
    }
  });
});

describe('revoking an auth client', () => {
  it('is refused to viewers (403)', async () => {
    const reply = await f.viewer.send<ErrorBody>('POST', `${base}/${client.clientId}/revoke`);
    expect([reply.status, reply.body.error.code]).toEqual([403, 300405]);
  });

  it('works with the module off, for good, idempotently, logged once', async () => {
    await f.setAsyncEvents(false);
    const path = `${base}/${client.clientId}/revoke`;
    const first = await f.admin.send<AuthClientView>('POST', path, undefined, {
      headers: { 'x-request-id': 'revoke-1' },
    });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ clientId: client.clientId, status: 'revoked' });
    expect(first.body.revokedAt).not.toBeNull();
    expect(f.token.requests(TokenRpc.revokeClient.subject).at(-1)).toMatchObject({
      workspaceId: 'ac-a',
      clientId: client.clientId,
      actor: { type: 'admin', email: 'admin@ac-a.test' },
      source: 'ui',
      requestId: 'revoke-1',
    });
    // an operator revoking again changes nothing: the same answer, and no second change event
    const again = await f.operator.send<AuthClientView>('POST', path);
    expect([again.status, again.body]).toEqual([200, first.body]);
    const logged = (): ReturnType<typeof changesOf> =>
      changesOf(f.changes, 'auth-client.revoked', client.clientId);
    await eventually(() => expect(logged()).toHaveLength(1));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(logged()).toHaveLength(1);
    expect(logged()[0]).toMatchObject({
      workspaceId: 'ac-a',
      requestId: 'revoke-1',
      source: 'ui',
      after: { clientId: client.clientId, status: 'revoked', revokedAt: first.body.revokedAt },
    });
    const read = await f.viewer.send<AuthClientView>('GET', `${base}/${client.clientId}`);
    expect(read.body.status).toBe('revoked');
  });

  it('from automation records source api', async () => {
    await f.setAsyncEvents(true);
    const other = await f.admin.send<CreatedAuthClient>('POST', base, newClient());
    await f.setAsyncEvents(false);
    const reply = await f.automation.send('POST', `${base}/${other.body.clientId}/revoke`);
    expect(reply.status).toBe(200);
    expect(f.token.requests(TokenRpc.revokeClient.subject).at(-1)).toMatchObject({
      actor: { type: 'token', email: 'admin@ac-a.test' },
      source: 'api',
    });
    await eventually(() =>
      expect(changesOf(f.changes, 'auth-client.revoked', other.body.clientId)[0]?.source).toBe(
        'api',
      ),
    );
  });
});
