import pg from 'pg';
import type { ChangeEvent } from '@loyalty-edge/audit-contracts';
import type {
  AcceptedInvitation,
  AddedMember,
  InvitationView,
  MemberView,
} from '@loyalty-edge/management-contracts';
import type { NatsLink } from '@loyalty-edge/nats';
import type { RunningService } from '@loyalty-edge/runtime';
import { cleanUp, eventually, uniquePrefix } from '@loyalty-edge/testing';
import {
  Client,
  managementEnv,
  openLink,
  OPERATOR,
  startManagement,
  watchChanges,
  type Reply,
} from './harness.js';

const prefix = uniquePrefix();
const env = managementEnv(prefix, {
  LOGIN_IP_MAX_FAILURES: '6',
  PUBLIC_URL: 'https://admin.example.test/',
});
const schema = `"${prefix}_management"`;
const PASSWORD = 'workspace admin passphrase';
/** What the attacker (an admin of workspace A) chooses for the victim's email. */
const ATTACKER_PASSWORD = 'attacker chosen passphrase';
const secrets: string[] = [OPERATOR.password, PASSWORD, ATTACKER_PASSWORD];

let service: RunningService;
let link: NatsLink;
let db: pg.Client;
let changes: ChangeEvent[];
let operator: Client;
let adminA: Client;
let adminB: Client;

type ErrorBody = { error: { type: string; code: number; message: string } };

/** The token of an invitation link (the last path segment). */
function tokenOf(added: Reply<AddedMember>): string {
  const url = added.body.invitation?.url ?? '';
  secrets.push(url);
  return url.slice(url.lastIndexOf('/') + 1);
}

function invite(
  by: Client,
  ws: string,
  email: string,
  role = 'admin',
): Promise<Reply<AddedMember>> {
  return by.change<AddedMember>('POST', `/api/workspaces/${ws}/members`, { email, role });
}

function lookup(client: Client, token: string): Promise<Reply<InvitationView & ErrorBody>> {
  return client.send<InvitationView & ErrorBody>('GET', `/api/invitations/${token}`);
}

function accept(
  client: Client,
  token: string,
  body: { password?: string } = {},
): Promise<Reply<AcceptedInvitation & ErrorBody>> {
  if (body.password !== undefined) secrets.push(body.password);
  return client.send<AcceptedInvitation & ErrorBody>(
    'POST',
    `/api/invitations/${token}/accept`,
    body,
  );
}

async function members(ws: string): Promise<MemberView[]> {
  return (await operator.send<MemberView[]>('GET', `/api/workspaces/${ws}/members`)).body;
}

async function passwordHashOf(email: string): Promise<string | undefined> {
  const { rows } = await db.query<{ password_hash: string }>(
    `SELECT password_hash FROM ${schema}.admins WHERE email = $1`,
    [email],
  );
  return rows[0]?.password_hash;
}

/** An active admin of the workspace, created by the operator with an initial password. */
async function workspaceAdmin(ws: string, email: string): Promise<Client> {
  const added = await operator.change<AddedMember>('POST', `/api/workspaces/${ws}/members`, {
    email,
    role: 'admin',
    password: PASSWORD,
  });
  expect([added.status, added.body.member.status, added.body.invitation]).toEqual([
    201,
    'active',
    null,
  ]);
  return Client.login(service.url, email, PASSWORD);
}

beforeAll(async () => {
  service = await startManagement(env);
  link = await openLink(env);
  changes = await watchChanges(link);
  db = new pg.Client({ connectionString: env.DATABASE_URL });
  await db.connect();
  operator = await Client.login(service.url, OPERATOR.email, OPERATOR.password);
  for (const id of ['inv-a', 'inv-b']) {
    expect(
      (await operator.send('POST', '/api/workspaces', { id, name: `Brand ${id}` })).status,
    ).toBe(201);
  }
  adminA = await workspaceAdmin('inv-a', 'admin@inv-a.test');
  adminB = await workspaceAdmin('inv-b', 'admin@inv-b.test');
});

afterAll(async () => {
  await db.end();
  await link.close();
  await service.close();
  await cleanUp(prefix);
});

describe('the cross-tenant account takeover through adding members (regression)', () => {
  const victim = 'x@victim.test';

  it("refuses a workspace admin's password with 400 in the envelope, and creates nothing", async () => {
    const added = await adminA.change<ErrorBody & { error: { details: unknown } }>(
      'POST',
      '/api/workspaces/inv-a/members',
      { email: victim, role: 'admin', password: ATTACKER_PASSWORD },
    );
    expect(added.status).toBe(400);
    expect(added.body.error).toMatchObject({
      type: 'BadRequestException',
      code: 300415,
      message: expect.stringContaining('Workspace admins cannot set a password') as string,
      details: { fields: [{ field: 'password' }] },
    });
    expect(await passwordHashOf(victim)).toBeUndefined();
    expect((await members('inv-a')).map((m) => m.email)).not.toContain(victim);
    expect((await new Client(service.url).login(victim, ATTACKER_PASSWORD)).status).toBe(401);
  });

  it("lets no one who knows X's password but not B's token into B, nor X into the attacker's account", async () => {
    // the attacker invites X to A and accepts A's link themselves, choosing X's password
    const fromA = await invite(adminA, 'inv-a', victim);
    expect(fromA.status).toBe(201);
    const tokenA = tokenOf(fromA);
    const created = await accept(new Client(service.url), tokenA, { password: ATTACKER_PASSWORD });
    expect([created.status, created.body.accountCreated]).toEqual([200, true]);
    const xId = (await members('inv-a')).find((m) => m.email === victim)?.adminId ?? '';
    expect((await adminA.change('DELETE', `/api/workspaces/inv-a/members/${xId}`)).status).toBe(
      204,
    );

    // B's admin adds X: an invitation, exactly like for an email without an account
    const fromB = await invite(adminB, 'inv-b', victim);
    const fresh = await invite(adminB, 'inv-b', 'nobody-yet@victim.test');
    expect([fromB.status, fresh.status]).toEqual([201, 201]);
    expect(fromB.headers.get('cache-control')).toBe('no-store');
    const shape = (reply: Reply<AddedMember>): unknown => ({
      ...reply.body,
      member: { ...reply.body.member, id: 'id', email: 'email', addedAt: 'at', expiresAt: 'at' },
      invitation: { url: 'url', expiresAt: 'at' },
    });
    expect(shape(fromB)).toEqual(shape(fresh));
    expect(fromB.body.member).toMatchObject({ adminId: null, status: 'invited', role: 'admin' });
    const tokenB = tokenOf(fromB);

    // the attacker logs in as X without B's token: nothing of B
    const attacker = await Client.login(service.url, victim, ATTACKER_PASSWORD);
    expect((await attacker.send('GET', '/api/workspaces')).body).toEqual([]);
    expect((await attacker.send('GET', '/api/workspaces/inv-b')).status).toBe(404);
    expect((await attacker.send('GET', '/api/workspaces/inv-b/members')).status).toBe(404);
    expect(
      (await attacker.send<{ workspaces: unknown[] }>('GET', '/api/me')).body.workspaces,
    ).toEqual([]);
    expect((await accept(attacker, tokenA)).status).toBe(404);

    // the real X has B's link but not the attacker's password: B's role is not granted to the
    // attacker's account, nor is its password reset; the attempt is reported to B
    const hash = await passwordHashOf(victim);
    const real = new Client(service.url);
    const info = await lookup(real, tokenB);
    expect([info.status, info.body.needsPassword, info.body.workspace.id]).toEqual([
      200,
      false,
      'inv-b',
    ]);
    for (const body of [{ password: 'the real x passphrase' }, {}]) {
      const refused = await accept(real, tokenB, body);
      expect([refused.status, refused.body.error.code]).toEqual([401, 300413]);
      expect(refused.body.error.message).toContain(`log in as ${victim}`);
    }
    expect(await passwordHashOf(victim)).toBe(hash);
    expect((await real.login(victim, 'the real x passphrase')).status).toBe(401);
    expect((await attacker.send('GET', '/api/workspaces/inv-b')).status).toBe(404);
    expect((await members('inv-b')).find((m) => m.email === victim)?.status).toBe('invited');
    await eventually(() =>
      expect(
        changes.filter(
          (c) => c.workspaceId === 'inv-b' && c.action === 'workspace.invitation.refused',
        ),
      ).toEqual([
        expect.objectContaining({
          after: { email: victim, reason: 'password-for-existing-account' },
        }),
        expect.objectContaining({ after: { email: victim, reason: 'not-signed-in' } }),
      ]),
    );
  });
});

describe('invitations of new emails', () => {
  it('set a policy-checked password once, and the invitee is a member who can log in', async () => {
    const added = await invite(adminB, 'inv-b', 'New.Viewer@Example.test', 'viewer');
    expect(added.body.member).toMatchObject({
      email: 'new.viewer@example.test',
      role: 'viewer',
      status: 'invited',
      adminId: null,
    });
    expect(added.body.invitation?.url).toMatch(
      /^https:\/\/admin\.example\.test\/invitations\/[\w-]{43}$/,
    );
    const token = tokenOf(added);
    const anonymous = new Client(service.url);
    const info = await lookup(anonymous, token);
    expect(info.body).toEqual({
      workspace: { id: 'inv-b', name: 'Brand inv-b' },
      email: 'new.viewer@example.test',
      role: 'viewer',
      expiresAt: added.body.invitation?.expiresAt,
      needsPassword: true,
    });
    expect(info.headers.get('cache-control')).toBe('no-store');

    const missing = await accept(anonymous, token);
    expect([missing.status, missing.body.error.code]).toEqual([400, 100400]);
    const weak = await accept(anonymous, token, { password: 'password1234' });
    expect([weak.status, weak.body.error.code]).toEqual([400, 300422]);
    const ok = await accept(anonymous, token, { password: 'my own viewer passphrase' });
    expect([ok.status, ok.body]).toEqual([
      200,
      {
        workspace: { id: 'inv-b', name: 'Brand inv-b' },
        email: 'new.viewer@example.test',
        role: 'viewer',
        accountCreated: true,
      },
    ]);
    const again = await accept(anonymous, token, { password: 'another passphrase 1' });
    expect([again.status, again.body.error.code]).toEqual([404, 300412]);
    const viewer = await Client.login(
      service.url,
      'new.viewer@example.test',
      'my own viewer passphrase',
    );
    const mine = await viewer.send<{ id: string; role: string }[]>('GET', '/api/workspaces');
    expect(mine.body.map((w) => [w.id, w.role])).toEqual([['inv-b', 'viewer']]);
    const listed = (await members('inv-b')).find((m) => m.email === 'new.viewer@example.test');
    expect(listed).toMatchObject({ status: 'active', expiresAt: null });
    expect(listed?.id).toBe(listed?.adminId);
  });

  it('expire after INVITATION_VALIDITY_HOURS (7 days by default)', async () => {
    const added = await invite(adminB, 'inv-b', 'late@example.test', 'viewer');
    const expires = Date.parse(added.body.invitation?.expiresAt ?? '');
    expect(Math.abs(expires - (Date.now() + 7 * 86_400_000))).toBeLessThan(60_000);
    const token = tokenOf(added);
    await db.query(
      `UPDATE ${schema}.invitations SET expires_at = now() - interval '1 second' WHERE email = $1`,
      ['late@example.test'],
    );
    const client = new Client(service.url);
    expect((await lookup(client, token)).status).toBe(404);
    expect((await accept(client, token, { password: 'a late passphrase 1' })).status).toBe(404);
    // still listed, as expired, until an admin removes or renews it
    const listed = (await members('inv-b')).find((m) => m.email === 'late@example.test');
    expect(listed?.status).toBe('invited');
    expect(Date.parse(listed?.expiresAt ?? '')).toBeLessThan(Date.now());
    const renewed = await invite(adminB, 'inv-b', 'late@example.test', 'viewer');
    expect(renewed.body.member.id).toBe(listed?.id);
    expect((await lookup(client, tokenOf(renewed))).status).toBe(200);
  });
});

describe('invitations of existing accounts', () => {
  let token = '';

  beforeAll(async () => {
    // an admin of A, invited to B as a viewer
    token = tokenOf(await invite(adminB, 'inv-b', 'admin@inv-a.test', 'viewer'));
  });

  it('need the invitee signed in as the account, with a session and its CSRF token', async () => {
    expect((await lookup(new Client(service.url), token)).body.needsPassword).toBe(false);
    const anonymous = await accept(new Client(service.url), token);
    expect([anonymous.status, anonymous.body.error.code]).toEqual([401, 300413]);
    const other = await accept(adminB, token);
    expect([other.status, other.body.error.code]).toEqual([403, 300414]);
    const withoutCsrf = await adminA.send<ErrorBody>(
      'POST',
      `/api/invitations/${token}/accept`,
      {},
      { csrf: false },
    );
    expect([withoutCsrf.status, withoutCsrf.body.error.code]).toEqual([403, 300403]);
    const created = await adminA.send<{ token: string }>('POST', '/api/tokens', {
      name: 'bot',
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    secrets.push(created.body.token);
    const bot = new Client(service.url).withBearer(created.body.token);
    const byToken = await accept(bot, token);
    expect([byToken.status, byToken.body.error.code]).toEqual([403, 300406]);
    const withPassword = await accept(adminA, token, { password: 'a brand new passphrase' });
    expect([withPassword.status, withPassword.body.error.code]).toEqual([400, 300415]);
    expect((await adminA.send('GET', '/api/workspaces/inv-b')).status).toBe(404);
  });

  it('are accepted by the account itself, once, without touching its password', async () => {
    const hash = await passwordHashOf('admin@inv-a.test');
    const accepted = await accept(adminA, token);
    expect([accepted.status, accepted.body.accountCreated, accepted.body.role]).toEqual([
      200,
      false,
      'viewer',
    ]);
    expect((await adminA.send<{ role: string }>('GET', '/api/workspaces/inv-b')).body.role).toBe(
      'viewer',
    );
    expect(await passwordHashOf('admin@inv-a.test')).toBe(hash);
    expect((await accept(adminA, token)).status).toBe(404);
  });
});

describe('the admin side', () => {
  it('lists invited and active members, re-roles and revokes invitations', async () => {
    const added = await invite(adminB, 'inv-b', 'revoked@example.test', 'viewer');
    const token = tokenOf(added);
    const id = added.body.member.id;
    const listed = (await adminB.send<MemberView[]>('GET', '/api/workspaces/inv-b/members')).body;
    expect(listed.find((m) => m.id === id)).toEqual(added.body.member);
    expect(listed.find((m) => m.email === 'admin@inv-b.test')).toMatchObject({ status: 'active' });

    const promoted = await adminB.change<MemberView>('PUT', `/api/workspaces/inv-b/members/${id}`, {
      role: 'admin',
    });
    expect([promoted.status, promoted.body.role, promoted.body.status]).toEqual([
      200,
      'admin',
      'invited',
    ]);
    expect((await lookup(new Client(service.url), token)).body.role).toBe('admin');

    // an admin of A only cannot even see it
    const outsider = await workspaceAdmin('inv-a', 'outsider@inv-a.test');
    expect((await outsider.change('DELETE', `/api/workspaces/inv-b/members/${id}`)).status).toBe(
      404,
    );
    expect((await adminB.change('DELETE', `/api/workspaces/inv-b/members/${id}`)).status).toBe(204);
    expect((await adminB.change('DELETE', `/api/workspaces/inv-b/members/${id}`)).status).toBe(404);
    expect((await lookup(new Client(service.url), token)).status).toBe(404);
    expect((await members('inv-b')).map((m) => m.email)).not.toContain('revoked@example.test');
  });

  it('refuses to invite an active member, and a second invitation replaces the first link', async () => {
    const member = await invite(adminB, 'inv-b', 'admin@inv-b.test');
    expect(member.status).toBe(409);
    const first = tokenOf(await invite(adminB, 'inv-b', 'twice@example.test'));
    const second = tokenOf(await invite(adminB, 'inv-b', 'twice@example.test', 'viewer'));
    const client = new Client(service.url);
    expect((await lookup(client, first)).status).toBe(404);
    expect((await lookup(client, second)).body.role).toBe('viewer');
  });

  it('lets operators create an account with an initial password, only for a new email', async () => {
    const taken = await operator.change<ErrorBody>('POST', '/api/workspaces/inv-a/members', {
      email: 'admin@inv-b.test',
      role: 'viewer',
      password: 'an attempt to reset it',
    });
    expect([taken.status, taken.body.error.code]).toEqual([400, 300415]);
    expect((await new Client(service.url).login('admin@inv-b.test', PASSWORD)).status).toBe(200);
    expect((await members('inv-a')).map((m) => m.email)).not.toContain('admin@inv-b.test');
    const asNull = await operator.change('POST', '/api/workspaces/inv-a/members', {
      email: 'null@example.test',
      role: 'viewer',
      password: null,
    });
    expect(asNull.status).toBe(400);
  });

  it('stores only the SHA-256 of the tokens', async () => {
    const token = tokenOf(await invite(adminB, 'inv-b', 'hashed@example.test'));
    const { rows } = await db.query<{ token_hash: Buffer }>(
      `SELECT token_hash FROM ${schema}.invitations WHERE email = 'hashed@example.test'`,
    );
    const { createHash } = await import('node:crypto');
    expect(rows[0]?.token_hash.toString('hex')).toBe(
      createHash('sha256').update(token).digest('hex'),
    );
  });
});

describe('token lookups', () => {
  it('answer unknown, used, revoked and expired tokens alike, and are throttled per address', async () => {
    const client = new Client(service.url);
    const unknown = await lookup(client, 'x'.repeat(43));
    expect(unknown.body).toEqual({
      error: {
        type: 'NotFoundException',
        code: 300412,
        message: 'This invitation link is not valid: it was used, revoked or has expired',
      },
    });
    const valid = tokenOf(await invite(adminB, 'inv-b', 'throttled@example.test'));
    // a valid token costs nothing; six failures in all (LOGIN_IP_MAX_FAILURES) are allowed
    expect((await lookup(client, valid)).status).toBe(200);
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const reply =
        attempt % 2 === 0
          ? await lookup(client, `guess-${attempt}`)
          : await accept(client, `guess-${attempt}`, { password: 'a guess passphrase' });
      statuses.push(reply.status);
    }
    expect(statuses).toEqual([404, 404, 404, 404, 404]);
    const limited = await lookup(client, valid);
    expect([limited.status, limited.body.error.code]).toEqual([429, 300416]);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await accept(client, valid, { password: 'throttled passphrase' })).status).toBe(429);
    // another address is not affected
    expect((await lookup(new Client(service.url), valid)).status).toBe(200);
  });
});

describe('the change log', () => {
  it('records every step, never a password or a token', async () => {
    await eventually(() => {
      const actions = new Set(changes.map((c) => c.action));
      for (const action of [
        'workspace.invitation.created',
        'workspace.invitation.accepted',
        'workspace.invitation.refused',
        'workspace.invitation.role_changed',
        'workspace.invitation.revoked',
        'workspace.member.added',
        'workspace.member.removed',
      ]) {
        expect([action, actions.has(action)]).toEqual([action, true]);
      }
    });
    const accepted = changes.find(
      (c) =>
        c.action === 'workspace.invitation.accepted' &&
        (c.after as { email?: string }).email === 'new.viewer@example.test',
    );
    expect(accepted).toMatchObject({
      workspaceId: 'inv-b',
      actor: { type: 'admin', email: 'new.viewer@example.test' },
      after: { role: 'viewer', accountCreated: true },
    });
    const created = changes.find((c) => c.action === 'workspace.invitation.created');
    expect(created?.after).toMatchObject({ status: 'invited', adminId: null });
    const text = JSON.stringify(changes);
    expect(secrets.length).toBeGreaterThan(10);
    for (const secret of secrets) {
      const token = secret.slice(secret.lastIndexOf('/') + 1);
      expect(text).not.toContain(token);
    }
  });
});
