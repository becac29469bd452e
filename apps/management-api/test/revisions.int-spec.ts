import type { MemberView, WorkspaceView } from '@loyalty-edge/management-contracts';
import type { NatsLink } from '@loyalty-edge/nats';
import type { RunningService } from '@loyalty-edge/runtime';
import { cleanUp, uniquePrefix } from '@loyalty-edge/testing';
import {
  Client,
  managementEnv,
  openLink,
  OPERATOR,
  startManagement,
  watchChanges,
  type Reply,
} from './harness.js';

// Optimistic concurrency of what management-api keeps itself: module switches and members.

interface ErrorBody<D = unknown> {
  readonly error: { type: string; code: number; message: string; details?: D };
}

const prefix = uniquePrefix();
const env = managementEnv(prefix);
const PASSWORD = 'revisions passphrase';
let service: RunningService;
let link: NatsLink;
let operator: Client;
/** The same operator through a personal access token (no session, no CSRF). */
let automation: Client;

const required = {
  type: 'PreconditionRequiredException',
  code: 100428,
};

const withIfMatch = (etag: string | null | undefined) => ({
  headers: { 'if-match': etag ?? 'none' },
});

beforeAll(async () => {
  service = await startManagement(env);
  link = await openLink(env);
  await watchChanges(link);
  operator = await Client.login(service.url, OPERATOR.email, OPERATOR.password);
  const token = await operator.send<{ token: string }>('POST', '/api/tokens', {
    name: 'revisions',
    expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
  });
  automation = new Client(service.url).withBearer(token.body.token);
  for (const id of ['rev-a', 'rev-b']) {
    expect((await operator.send('POST', '/api/workspaces', { id, name: id })).status).toBe(201);
  }
});

afterAll(async () => {
  await link.close();
  await service.close();
  await cleanUp(prefix);
});

describe('module switches', () => {
  const read = (client: Client): Promise<Reply<WorkspaceView>> =>
    client.send<WorkspaceView>('GET', '/api/workspaces/rev-a');
  const toggle = (client: Client, module: string, enabled: boolean, etag?: string | null) =>
    client.send<WorkspaceView & ErrorBody<{ revision: number; current: WorkspaceView }>>(
      'PUT',
      `/api/workspaces/rev-a/modules/${module}`,
      { enabled },
      etag === undefined ? {} : withIfMatch(etag),
    );

  it('are read with the revision as a strong ETag', async () => {
    const reply = await read(operator);
    expect(reply.headers.get('etag')).toBe('"1"');
    expect(reply.body.modulesRevision).toBe(1);
  });

  it('refuse a switch without If-Match (428), from a session and a token alike', async () => {
    for (const client of [operator, automation]) {
      const reply = await toggle(client, 'ipFilter', true);
      expect(reply.status).toBe(428);
      expect(reply.body.error).toMatchObject(required);
      expect(reply.body.error.message).toContain('If-Match is required');
    }
    const star = await toggle(operator, 'ipFilter', true, '*');
    expect(star.status).toBe(428);
    const weak = await toggle(operator, 'ipFilter', true, 'W/"1"');
    expect([weak.status, weak.body.error.code]).toEqual([400, 100400]);
    expect((await read(operator)).body.modules.ipFilter).toBe(false);
  });

  it('keep both of two switches of different modules made from one read: the second re-applies after 412', async () => {
    const [first, second] = [await read(operator), await read(automation)];
    const etag = first.headers.get('etag');
    expect(second.headers.get('etag')).toBe(etag);

    const on = await toggle(operator, 'asyncEvents', true, etag);
    expect(on.status).toBe(200);
    expect(on.headers.get('etag')).toBe('"2"');

    const stale = await toggle(automation, 'signatureCheck', true, second.headers.get('etag'));
    expect(stale.status).toBe(412);
    expect(stale.body.error).toMatchObject({ type: 'PreconditionFailedException', code: 100412 });
    expect(stale.body.error.message).toContain('since you read them');
    // the conflict carries the current state, as a read answers it
    expect(stale.body.error.details).toEqual({ revision: 2, current: (await read(operator)).body });
    expect((await read(operator)).body.modules.signatureCheck).toBe(false);

    const current = stale.body.error.details?.current;
    const again = await toggle(automation, 'signatureCheck', true, `"${current?.modulesRevision}"`);
    expect(again.status).toBe(200);
    expect(again.body.modules).toEqual({
      ipFilter: false,
      signatureCheck: true,
      asyncEvents: true,
    });
  });

  it('change one module per request: the whole-set PUT is gone, unknown modules refused', async () => {
    const etag = (await read(operator)).headers.get('etag');
    const whole = await operator.send(
      'PUT',
      '/api/workspaces/rev-a/modules',
      { ipFilter: true, signatureCheck: true, asyncEvents: true },
      withIfMatch(etag),
    );
    expect(whole.status).toBe(404);
    const unknown = await toggle(operator, 'everything', true, etag);
    expect(unknown.status).toBe(400);
    const extra = await operator.send(
      'PUT',
      '/api/workspaces/rev-a/modules/ipFilter',
      { enabled: true, signatureCheck: false },
      withIfMatch(etag),
    );
    expect(extra.status).toBe(400);
    expect((await read(operator)).headers.get('etag')).toBe(etag);
  });

  it('apply one of two concurrent switches from the same revision', async () => {
    const etag = (await read(operator)).headers.get('etag');
    const replies = await Promise.all([
      toggle(operator, 'ipFilter', true, etag),
      toggle(automation, 'asyncEvents', false, etag),
    ]);
    expect(replies.map((r) => r.status).sort()).toEqual([200, 412]);
  });
});

describe('members', () => {
  const list = (client: Client): Promise<Reply<MemberView[]>> =>
    client.send<MemberView[]>('GET', '/api/workspaces/rev-b/members');
  const invite = (client: Client, email: string, etag?: string | null) =>
    client.send<ErrorBody<{ revision: number; current: MemberView[] }>>(
      'POST',
      '/api/workspaces/rev-b/members',
      { email, role: 'viewer' },
      etag === undefined ? {} : withIfMatch(etag),
    );

  it('are read with their revision as ETag; every change needs it (428)', async () => {
    const first = await list(operator);
    expect(first.headers.get('etag')).toBe('"1"');
    for (const client of [operator, automation]) {
      const reply = await invite(client, 'nobody@example.test');
      expect([reply.status, reply.body.error]).toMatchObject([428, required]);
    }
    const someone = '00000000-0000-4000-8000-000000000000';
    for (const method of ['PUT', 'DELETE']) {
      const reply = await operator.send<ErrorBody>(
        method,
        `/api/workspaces/rev-b/members/${someone}`,
        method === 'PUT' ? { role: 'admin' } : undefined,
      );
      expect([method, reply.status, reply.body.error.code]).toEqual([method, 428, 100428]);
    }
    expect((await list(operator)).body).toEqual([]);
  });

  it('answer a stale change 412 with the current list, and change nothing', async () => {
    const etag = (await list(operator)).headers.get('etag');
    const added = await invite(operator, 'first@example.test', etag);
    expect(added.status).toBe(201);
    expect(added.headers.get('etag')).toBe('"2"');

    const stale = await invite(automation, 'second@example.test', etag);
    expect(stale.status).toBe(412);
    const current = await list(operator);
    expect(stale.body.error.details).toEqual({ revision: 2, current: current.body });
    expect(current.body.map((m) => m.email)).toEqual(['first@example.test']);

    const id = current.body[0]?.id ?? 'missing';
    const promote = (tag: string | null) =>
      automation.send<MemberView>(
        'PUT',
        `/api/workspaces/rev-b/members/${id}`,
        { role: 'admin' },
        withIfMatch(tag),
      );
    expect((await promote(etag)).status).toBe(412);
    const promoted = await promote(current.headers.get('etag'));
    expect([promoted.status, promoted.body.role]).toEqual([200, 'admin']);
    expect(promoted.headers.get('etag')).toBe('"3"');

    const remove = (tag: string | null) =>
      operator.send('DELETE', `/api/workspaces/rev-b/members/${id}`, undefined, withIfMatch(tag));
    expect((await remove(current.headers.get('etag'))).status).toBe(412);
    const removed = await remove(promoted.headers.get('etag'));
    expect([removed.status, removed.headers.get('etag')]).toEqual([204, '"4"']);
  });

  it('raise the revision when an invitation is accepted', async () => {
    const etag = (await list(operator)).headers.get('etag');
    const added = await operator.send<{ invitation: { url: string } }>(
      'POST',
      '/api/workspaces/rev-b/members',
      { email: 'joiner@example.test', role: 'viewer' },
      withIfMatch(etag),
    );
    const token = added.body.invitation.url.split('/').pop() ?? '';
    const afterInvite = added.headers.get('etag');
    const accepted = await new Client(service.url).send(
      'POST',
      `/api/invitations/${token}/accept`,
      {
        password: PASSWORD,
      },
    );
    expect(accepted.status).toBe(200);
    const now = await list(operator);
    expect(now.headers.get('etag')).not.toBe(afterInvite);
    expect((await invite(operator, 'late@example.test', afterInvite)).status).toBe(412);
  });
});
