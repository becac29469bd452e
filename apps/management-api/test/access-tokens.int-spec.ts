import { createHash } from 'node:crypto';
import pg from 'pg';
import type { RunningService } from '@loyalty-edge/runtime';
import { cleanUp, uniquePrefix } from '@loyalty-edge/testing';
import {
  captureStdout,
  Client,
  managementEnv,
  OPERATOR,
  startManagement,
  type CapturedOutput,
} from './harness.js';

const prefix = uniquePrefix();
const env = managementEnv(prefix, { LOG_LEVEL: 'debug' });
const schema = `"${prefix}_management"`;
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
const secrets: string[] = [OPERATOR.password];
let logs: CapturedOutput;
let service: RunningService;
let db: pg.Client;
let operator: Client;

beforeAll(async () => {
  logs = captureStdout();
  service = await startManagement(env);
  db = new pg.Client({ connectionString: env.DATABASE_URL });
  await db.connect();
  operator = await Client.login(service.url, OPERATOR.email, OPERATOR.password);
  secrets.push(operator.cookie!, operator.csrfToken!);
});

afterAll(async () => {
  logs.restore();
  await db.end();
  await service.close();
  await cleanUp(prefix);
});

describe('CSRF', () => {
  it('refuses a change made with the session cookie but without the CSRF token', async () => {
    const body = { name: 'x', expiresAt: new Date(Date.now() + 86_400_000).toISOString() };
    const without = await operator.send('POST', '/api/tokens', body, { csrf: false });
    expect(without.status).toBe(403);
    expect(without.body).toMatchObject({ error: { type: 'ForbiddenException', code: 300403 } });
    const wrong = await operator.send('POST', '/api/tokens', body, {
      csrf: false,
      headers: { 'x-csrf-token': `${operator.csrfToken!}x` },
    });
    expect(wrong.status).toBe(403);
    expect((await operator.send('POST', '/api/tokens', body)).status).toBe(201);
  });
});

describe('personal access tokens', () => {
  const inDays = (days: number): string => new Date(Date.now() + days * 86_400_000).toISOString();

  it('work without CSRF, are shown once, stored hashed, and stop at revocation', async () => {
    const created = await operator.send<{ id: string; token: string; hint: string }>(
      'POST',
      '/api/tokens',
      { name: 'ci', expiresAt: inDays(30) },
    );
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    const { id, token, hint } = created.body;
    secrets.push(token);
    expect(token).toMatch(/^lep_[\w-]{43}$/);
    expect(token.startsWith(hint)).toBe(true);

    const listed = await operator.send('GET', '/api/tokens');
    expect(JSON.stringify(listed.body)).not.toContain(token);
    const { rows } = await db.query<{ token_hash: Buffer }>(
      `SELECT token_hash FROM ${schema}.access_tokens WHERE id = $1`,
      [id],
    );
    expect(rows[0]?.token_hash.toString('hex')).toBe(sha256(token));

    const bot = new Client(service.url).withBearer(token);
    const me = await bot.send('GET', '/api/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ user: { email: OPERATOR.email }, csrfToken: null });
    const change = await bot.send('POST', '/api/workspaces', { id: 'made-by-token', name: 'T' });
    expect(change.status).toBe(201);
    const mint = await bot.send('POST', '/api/tokens', { name: 'child', expiresAt: inDays(1) });
    expect(mint.status).toBe(403);
    expect(mint.body).toMatchObject({ error: { code: 300406 } });

    expect((await operator.send('DELETE', `/api/tokens/${id}`)).status).toBe(204);
    expect((await bot.send('GET', '/api/me')).status).toBe(401);
    const after = await operator.send<{ revokedAt: string | null }[]>('GET', '/api/tokens');
    expect(after.body.find((t) => (t as { id?: string }).id === id)?.revokedAt).not.toBeNull();
  });

  it('stop at expiry', async () => {
    const created = await operator.send<{ id: string; token: string }>('POST', '/api/tokens', {
      name: 'short',
      expiresAt: inDays(1),
    });
    secrets.push(created.body.token);
    const bot = new Client(service.url).withBearer(created.body.token);
    expect((await bot.send('GET', '/api/workspaces')).status).toBe(200);
    await db.query(
      `UPDATE ${schema}.access_tokens SET expires_at = now() - interval '1 second' WHERE id = $1`,
      [created.body.id],
    );
    expect((await bot.send('GET', '/api/workspaces')).status).toBe(401);
  });

  it('refuse an expiry in the past or too far ahead, and unknown or foreign ids', async () => {
    for (const expiresAt of [inDays(-1), inDays(400)]) {
      const reply = await operator.send('POST', '/api/tokens', { name: 'x', expiresAt });
      expect(reply.status).toBe(400);
      expect(reply.body).toMatchObject({
        error: { details: { fields: [{ field: 'expiresAt' }] } },
      });
    }
    const unknown = await operator.send(
      'DELETE',
      '/api/tokens/00000000-0000-4000-8000-000000000000',
    );
    expect(unknown.status).toBe(404);
  });

  it('refuse garbage', async () => {
    const bot = new Client(service.url).withBearer('lep_not-a-token');
    expect((await bot.send('GET', '/api/me')).status).toBe(401);
    const basic = await new Client(service.url).send('GET', '/api/me', undefined, {
      headers: { authorization: 'Basic YTpi' },
    });
    expect(basic.status).toBe(401);
  });
});

describe('logs', () => {
  it('never contain an access token, session cookie or CSRF token', () => {
    const text = logs.text();
    expect(text).toContain('"level":"debug"');
    expect(secrets.length).toBeGreaterThan(4);
    for (const secret of secrets) expect(text).not.toContain(secret);
  });
});
