import { createHash } from 'node:crypto';
import pg from 'pg';
import type { RunningService } from '@loyalty-edge/runtime';
import { cleanUp, uniquePrefix } from '@loyalty-edge/testing';
import {
  captureStdout,
  Client,
  managementEnv,
  nextIp,
  OPERATOR,
  startManagement,
  type CapturedOutput,
} from './harness.js';

const prefix = uniquePrefix();
const env = managementEnv(prefix, { LOG_LEVEL: 'debug', LOGIN_IP_MAX_FAILURES: '8' });
const schema = `"${prefix}_management"`;
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

const secrets: string[] = [OPERATOR.password];
let logs: CapturedOutput;
let service: RunningService;
let replica: RunningService | undefined;
let db: pg.Client;
let operator: Client;

beforeAll(async () => {
  logs = captureStdout();
  service = await startManagement(env);
  db = new pg.Client({ connectionString: env.DATABASE_URL });
  await db.connect();
  operator = await Client.login(service.url, OPERATOR.email, OPERATOR.password);
  secrets.push(operator.cookie!, operator.csrfToken!);
  const created = await operator.send('POST', '/api/workspaces', { id: 'auth-ws', name: 'Auth' });
  expect(created.status).toBe(201);
});

afterAll(async () => {
  logs.restore();
  await db.end();
  await replica?.close();
  await service.close();
  await cleanUp(prefix);
});

/** A new admin account (a viewer of auth-ws) with this password. */
async function account(email: string, password = 'a perfectly fine passphrase'): Promise<void> {
  secrets.push(password);
  const reply = await operator.change('POST', '/api/workspaces/auth-ws/members', {
    email,
    role: 'viewer',
    password,
  });
  expect(reply.status).toBe(201);
}

describe('login, session and logout', () => {
  it('logs in with a hardened cookie, shows the caller, and logs out', async () => {
    const client = new Client(service.url);
    const login = await client.login(OPERATOR.email, OPERATOR.password);
    expect(login.status).toBe(200);
    expect(login.body).toMatchObject({ user: { email: OPERATOR.email, operator: true } });
    expect(login.headers.get('cache-control')).toBe('no-store');
    const cookie = login.headers.getSetCookie()[0]!;
    expect(cookie).toMatch(
      /^le_session=[\w-]{43}; Max-Age=43200; Path=\/; HttpOnly; SameSite=Strict$/,
    );
    secrets.push(client.cookie!, client.csrfToken!);

    const me = await client.send<Record<string, unknown>>('GET', '/api/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      user: { email: OPERATOR.email, operator: true },
      csrfToken: client.csrfToken,
      workspaces: [expect.objectContaining({ id: 'auth-ws', role: 'operator' })],
    });

    const logout = await client.send('POST', '/api/auth/logout');
    expect(logout.status).toBe(204);
    expect(logout.headers.getSetCookie()[0]).toMatch(/^le_session=; Max-Age=0; Path=\//);
    const after = await client.send<{ error: { code: number } }>('GET', '/api/me');
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe(300402);
  });

  it('stores only the SHA-256 of the session token', async () => {
    const { rows } = await db.query<{ token_hash: Buffer }>(`SELECT * FROM ${schema}.sessions`);
    const hashes = rows.map((row) => row.token_hash.toString('hex'));
    expect(hashes).toContain(sha256(operator.cookie!));
    expect(JSON.stringify(rows)).not.toContain(operator.cookie);
  });

  it('ends a session after the idle timeout and after its maximum age', async () => {
    for (const column of ['last_seen_at', 'expires_at']) {
      const client = await Client.login(service.url, OPERATOR.email, OPERATOR.password);
      secrets.push(client.cookie!, client.csrfToken!);
      expect((await client.send('GET', '/api/me')).status).toBe(200);
      const past = column === 'last_seen_at' ? "now() - interval '31 minutes'" : 'now()';
      await db.query(`UPDATE ${schema}.sessions SET ${column} = ${past} WHERE token_hash = $1`, [
        createHash('sha256').update(client.cookie!).digest(),
      ]);
      expect((await client.send('GET', '/api/me')).status).toBe(401);
    }
  });

  it('marks every answer private', async () => {
    const reply = await operator.send('GET', '/api/me');
    expect(reply.headers.get('cache-control')).toBe('no-store');
    expect(reply.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('answers an unknown email exactly like a wrong password', async () => {
    const client = new Client(service.url);
    const unknown = await client.login('nobody@example.test', 'whatever it is 1');
    const wrong = await client.login(OPERATOR.email, 'not the password');
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
    expect(unknown.body).toEqual({
      error: { type: 'UnauthorizedException', code: 300401, message: 'Invalid email or password' },
    });
  });

  it('lists every bad field of a bad login body', async () => {
    const reply = await new Client(service.url).send<{
      error: { details: { fields: { field: string }[] } };
    }>('POST', '/api/auth/login', { email: 5 });
    expect(reply.status).toBe(400);
    expect(reply.body.error.details.fields.map((f) => f.field)).toEqual(
      expect.arrayContaining(['email', 'password']),
    );
  });

  it('echoes a well-formed X-Request-Id and makes one up otherwise', async () => {
    const client = new Client(service.url);
    const given = await client.send('GET', '/api/apis', undefined, {
      headers: { 'x-request-id': 'req-123' },
    });
    expect(given.headers.get('x-request-id')).toBe('req-123');
    const bad = await client.send('GET', '/api/apis', undefined, {
      headers: { 'x-request-id': 'bad id with spaces' },
    });
    expect(bad.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('login throttling', () => {
  it('locks an account from one address after 5 failed attempts, on every replica, until the lock ends', async () => {
    await account('locked@example.test', 'the right passphrase');
    const client = new Client(service.url);
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 5; attempt += 1) {
      statuses.push((await client.login('locked@example.test', 'a wrong passphrase')).status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 429]);

    const right = await client.login('locked@example.test', 'the right passphrase');
    expect(right.status).toBe(429);
    expect(right.body).toMatchObject({ error: { type: 'TooManyRequestsException', code: 300423 } });
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(50);

    replica = await startManagement(env);
    const elsewhere = new Client(replica.url, client.ip);
    expect((await elsewhere.login('locked@example.test', 'the right passphrase')).status).toBe(429);

    await db.query(
      `UPDATE ${schema}.login_throttle SET locked_until = now() - interval '1 second' WHERE key = $1`,
      [`email-ip:${client.ip}|locked@example.test`],
    );
    expect((await client.login('locked@example.test', 'the right passphrase')).status).toBe(200);
  });

  it('locks unknown emails the same way (no way to tell which exist)', async () => {
    const client = new Client(service.url);
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 6; attempt += 1) {
      statuses.push((await client.login('ghost@example.test', 'a wrong passphrase')).status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
  });

  it('limits failed logins per client IP', async () => {
    const client = new Client(service.url);
    for (let attempt = 0; attempt < 8; attempt += 1) {
      expect((await client.login(`spray-${attempt}@example.test`, 'guess guess 1')).status).toBe(
        401,
      );
    }
    const blocked = await client.login(OPERATOR.email, OPERATOR.password);
    expect(blocked.status).toBe(429);
    expect(blocked.body).toMatchObject({ error: { code: 300429 } });
    // another address is not affected
    expect((await new Client(service.url).login(OPERATOR.email, OPERATOR.password)).status).toBe(
      200,
    );
  });

  it('creates the bootstrap operator once, however many replicas start', async () => {
    const { rows } = await db.query<{ operator: boolean; password_hash: string }>(
      `SELECT operator, password_hash FROM ${schema}.admins WHERE email = $1`,
      [OPERATOR.email],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.operator).toBe(true);
    expect(rows[0]?.password_hash).toMatch(/^scrypt\$15\$8\$1\$/);
  });
});

describe('password change', () => {
  it('applies the policy, needs the current password and ends the other sessions', async () => {
    await account('changer@example.test', 'first passphrase ok');
    const here = await Client.login(service.url, 'changer@example.test', 'first passphrase ok');
    const there = await Client.login(service.url, 'changer@example.test', 'first passphrase ok');

    const weak = await here.send('PUT', '/api/me/password', {
      currentPassword: 'first passphrase ok',
      newPassword: 'changer@example.test',
    });
    expect(weak.status).toBe(400);
    expect(weak.body).toMatchObject({
      error: { code: 300422, details: { fields: [{ field: 'newPassword' }] } },
    });
    const wrong = await here.send('PUT', '/api/me/password', {
      currentPassword: 'not it at all',
      newPassword: 'second passphrase ok',
    });
    expect(wrong.status).toBe(400);
    secrets.push('second passphrase ok');
    const ok = await here.send('PUT', '/api/me/password', {
      currentPassword: 'first passphrase ok',
      newPassword: 'second passphrase ok',
    });
    expect(ok.status).toBe(200);
    expect((await here.send('GET', '/api/me')).status).toBe(200);
    expect((await there.send('GET', '/api/me')).status).toBe(401);
    expect(
      (await new Client(service.url).login('changer@example.test', 'second passphrase ok')).status,
    ).toBe(200);
  });

  it("revokes the account's access tokens and ends its other sessions, and says so", async () => {
    await account('revoker@example.test', 'first passphrase ok');
    const here = await Client.login(service.url, 'revoker@example.test', 'first passphrase ok');
    const there = await Client.login(service.url, 'revoker@example.test', 'first passphrase ok');
    const tokens: Client[] = [];
    for (const name of ['ci', 'terraform']) {
      const created = await here.send<{ token: string }>('POST', '/api/tokens', {
        name,
        expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      });
      secrets.push(created.body.token);
      tokens.push(new Client(service.url).withBearer(created.body.token));
    }
    for (const bot of tokens) expect((await bot.send('GET', '/api/me')).status).toBe(200);
    // someone else's token is not touched
    const other = await operator.send<{ token: string }>('POST', '/api/tokens', {
      name: 'operator automation',
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    secrets.push(other.body.token);

    secrets.push('second passphrase ok!');
    const changed = await here.send('PUT', '/api/me/password', {
      currentPassword: 'first passphrase ok',
      newPassword: 'second passphrase ok!',
    });
    expect([changed.status, changed.body]).toEqual([
      200,
      { otherSessionsEnded: 1, accessTokensRevoked: 2 },
    ]);
    for (const bot of tokens) expect((await bot.send('GET', '/api/me')).status).toBe(401);
    expect((await there.send('GET', '/api/me')).status).toBe(401);
    expect((await here.send('GET', '/api/me')).status).toBe(200);
    const listed = await here.send<{ revokedAt: string | null }[]>('GET', '/api/tokens');
    expect(listed.body.map((token) => token.revokedAt === null)).toEqual([false, false]);
    const untouched = new Client(service.url).withBearer(other.body.token);
    expect((await untouched.send('GET', '/api/me')).status).toBe(200);
  });

  it('locks the account after 5 wrong current passwords, like failed logins', async () => {
    await account('guessed@example.test', 'the real passphrase');
    const stolen = await Client.login(service.url, 'guessed@example.test', 'the real passphrase');
    const guess = (currentPassword: string) =>
      stolen.send<{ error: { code: number } }>('PUT', '/api/me/password', {
        currentPassword,
        newPassword: 'attacker passphrase 1',
      });
    const answers: [number, number | undefined][] = [];
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const reply = await guess(`guess number ${attempt}`);
      answers.push([reply.status, reply.body.error.code]);
    }
    expect(answers).toEqual([
      [400, 300401],
      [400, 300401],
      [400, 300401],
      [400, 300401],
      [429, 300423],
    ]);
    // now even the right one is refused, and the account's logins from that address too
    const right = await guess('the real passphrase');
    expect([right.status, right.body.error.code]).toEqual([429, 300423]);
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(50);
    const login = await new Client(service.url, stolen.ip).login(
      'guessed@example.test',
      'the real passphrase',
    );
    expect(login.status).toBe(429);
    // the owner, elsewhere, still logs in
    const owner = await new Client(service.url).login(
      'guessed@example.test',
      'the real passphrase',
    );
    expect(owner.status).toBe(200);
    expect((await stolen.send('GET', '/api/me')).status).toBe(200);
  });

  it('counts wrong current passwords per client address, across accounts', async () => {
    const ip = nextIp();
    const sessions: Client[] = [];
    for (const email of ['spray-a@example.test', 'spray-b@example.test']) {
      await account(email, 'the real passphrase');
      const client = new Client(service.url, ip);
      expect((await client.login(email, 'the real passphrase')).status).toBe(200);
      sessions.push(client);
    }
    const statuses: number[] = [];
    for (const client of sessions) {
      for (let attempt = 0; attempt < 4; attempt += 1) {
        const reply = await client.send('PUT', '/api/me/password', {
          currentPassword: `wrong guess ${attempt}`,
          newPassword: 'attacker passphrase 1',
        });
        statuses.push(reply.status);
      }
    }
    expect(statuses).toEqual([400, 400, 400, 400, 400, 400, 400, 400]);
    const limited = await sessions[0]!.send('PUT', '/api/me/password', {
      currentPassword: 'the real passphrase',
      newPassword: 'a new passphrase 2',
    });
    expect([limited.status, limited.body]).toMatchObject([429, { error: { code: 300429 } }]);
    // the same account from another address is not limited
    const elsewhere = await Client.login(
      service.url,
      'spray-b@example.test',
      'the real passphrase',
    );
    secrets.push('a new passphrase 2');
    const changed = await elsewhere.send('PUT', '/api/me/password', {
      currentPassword: 'the real passphrase',
      newPassword: 'a new passphrase 2',
    });
    expect(changed.status).toBe(200);
  });
});

describe('logs', () => {
  it('never contain a session cookie, CSRF token, access token or password', () => {
    const text = logs.text();
    expect(text).toContain('"level":"debug"');
    expect(text).toContain('bootstrap operator created');
    expect(secrets.length).toBeGreaterThan(8);
    for (const secret of secrets) expect(text).not.toContain(secret);
  });
});
