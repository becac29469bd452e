import { DataSource } from 'typeorm';
import {
  AuditEvents,
  AuditRpc,
  type AuthClientEvent,
  type TokenEvent,
} from '@loyalty-edge/audit-contracts';
import { dataSourceOptions, migrate } from '@loyalty-edge/db';
import { EventPublisher, NatsLink, RpcClient } from '@loyalty-edge/nats';
import { runService, type RunningService } from '@loyalty-edge/runtime';
import { cleanUp, serviceEnv, uniquePrefix } from '@loyalty-edge/testing';
import { auditApp } from '../src/app.module.js';
import { loadConfig } from '../src/config.js';
import { CreateAuditTables1734000000000 } from '../src/migrations/1734000000000-create-audit-tables.js';
import { migrations } from '../src/migrations/index.js';
import { authClient, eventually, minutesAgo, tokenEvent, withDb } from './support.js';

// The auth-client and token logs of the Authentication Manager: the fields added to their
// events, rows stored before those fields existed, and events of publishers that predate them.

const prefix = uniquePrefix();
const env = serviceEnv(prefix);
const config = loadConfig(env);
const schema = `"${config.database.schema}"`;
let service: RunningService;
let link: NatsLink;
let rpc: RpcClient;
let publisher: EventPublisher;

const OLD_AT = '2026-01-02T03:04:05.678Z';

/** The schema as the first migration left it, with one row in each log. */
async function storeBeforeUpgrade(): Promise<void> {
  const dataSource = new DataSource(
    dataSourceOptions({
      ...config.database,
      entities: [],
      migrations: [CreateAuditTables1734000000000],
    }),
  );
  await dataSource.initialize();
  try {
    await migrate(dataSource, config.database.schema);
    await dataSource.query(
      `INSERT INTO ${schema}.auth_client_events
         (id, workspace_id, at, client_id, client_name, action, actor_type, actor_id, actor_email)
       VALUES ('old-client', 'ws-old', $1, 'lec_old', 'Old client', 'created', 'admin', 'a1', NULL)`,
      [OLD_AT],
    );
    await dataSource.query(
      `INSERT INTO ${schema}.token_events
         (id, workspace_id, at, client_id, outcome, error_code, error, scope, jti, client_ip)
       VALUES ('old-token', 'ws-old', $1, 'lec_old', 'error', 220010, 'invalid_client', NULL, NULL, '192.0.2.1')`,
      [OLD_AT],
    );
  } finally {
    await dataSource.destroy();
  }
}

beforeAll(async () => {
  await storeBeforeUpgrade();
  service = await runService(auditApp(config));
  link = await NatsLink.open(config.common.nats, 'test');
  rpc = new RpcClient(link);
  publisher = new EventPublisher(link);
});

afterAll(async () => {
  await publisher.close();
  await link.close();
  await service.close();
  await cleanUp(prefix);
});

const tokensOf = async (workspaceId: string, expected: number): Promise<TokenEvent[]> =>
  eventually(async () => {
    const page = await rpc.request(AuditRpc.tokens, { workspaceId });
    expect(page.items).toHaveLength(expected);
    return [...page.items];
  });

const clientEventsOf = async (workspaceId: string, expected: number): Promise<AuthClientEvent[]> =>
  eventually(async () => {
    const page = await rpc.request(AuditRpc.authClients, { workspaceId });
    expect(page.items).toHaveLength(expected);
    return [...page.items];
  });

describe('the auth-client and token logs', () => {
  it('keep the rows stored before the upgrade, answered as they were', async () => {
    expect(await clientEventsOf('ws-old', 1)).toEqual([
      {
        id: 'old-client',
        at: OLD_AT,
        workspaceId: 'ws-old',
        clientId: 'lec_old',
        clientName: 'Old client',
        action: 'created',
        actor: { type: 'admin', id: 'a1' },
        source: 'system',
      },
    ]);
    expect(await tokensOf('ws-old', 1)).toEqual([
      {
        id: 'old-token',
        at: OLD_AT,
        workspaceId: 'ws-old',
        clientId: 'lec_old',
        outcome: 'error',
        errorCode: 220010,
        error: 'invalid_client',
        clientIp: '192.0.2.1',
      },
    ]);
  });

  it('round-trip every field of a token event and an auth-client event', async () => {
    const refused = tokenEvent({
      workspaceId: 'ws-new',
      at: minutesAgo(2),
      outcome: 'error',
      errorCode: 220015,
      error: 'invalid_scope',
      errorMessage: 'The scope loyalty.other is not granted to this client',
      scope: 'loyalty.other',
      audience: 'https://api.example.test',
      userAgent: 'curl/8.5.0',
      requestId: 'req-token-1',
    });
    const { jti: _jti, ...withoutJti } = refused;
    const issued = tokenEvent({
      workspaceId: 'ws-new',
      at: minutesAgo(1),
      audience: 'https://api.example.test',
      userAgent: 'integration/1.0',
      requestId: 'req-token-2',
    });
    const revoked = authClient({
      workspaceId: 'ws-new',
      clientId: 'lec_AAAAAAAAAAAAAAAAAAAAAAAA',
      action: 'revoked',
      actor: { type: 'token', id: 'tok-1', email: 'ci@example.test' },
      source: 'api',
      requestId: 'req-client-1',
    });
    publisher.publish(AuditEvents.token, withoutJti);
    publisher.publish(AuditEvents.token, issued);
    publisher.publish(AuditEvents.authClient, revoked);
    await publisher.flush();

    expect(await tokensOf('ws-new', 2)).toEqual([issued, withoutJti]);
    expect(await clientEventsOf('ws-new', 1)).toEqual([revoked]);
    const byError = await rpc.request(AuditRpc.tokens, {
      workspaceId: 'ws-new',
      filters: { error: 'invalid_scope' },
    });
    expect(byError.items.map((t) => t.id)).toEqual([refused.id]);
  });

  it('store events of publishers that predate the new fields', async () => {
    const { source: _source, ...oldClient } = authClient({ workspaceId: 'ws-legacy' });
    const oldToken = tokenEvent({ workspaceId: 'ws-legacy' });
    publisher.publish(AuditEvents.authClient, oldClient as AuthClientEvent);
    publisher.publish(AuditEvents.token, oldToken);
    await publisher.flush();

    expect(await clientEventsOf('ws-legacy', 1)).toEqual([{ ...oldClient, source: 'system' }]);
    expect(await tokensOf('ws-legacy', 1)).toEqual([oldToken]);
  });

  it('cut an overlong user agent and message instead of losing the token event', async () => {
    const event = tokenEvent({
      workspaceId: 'ws-long',
      outcome: 'error',
      error: 'invalid_request',
      errorMessage: 'm'.repeat(2000),
      userAgent: 'u'.repeat(5000),
    });
    publisher.publish(AuditEvents.token, event);
    await publisher.flush();
    const [stored] = await tokensOf('ws-long', 1);
    expect(stored?.userAgent).toBe('u'.repeat(1024));
    expect(stored?.errorMessage).toBe('m'.repeat(500));
  });

  it('undo the upgrade cleanly (down migration)', async () => {
    const dataSource = new DataSource(
      dataSourceOptions({ ...config.database, entities: [], migrations }),
    );
    await dataSource.initialize();
    const columns = (table: string): Promise<string[]> =>
      withDb(config.database.url, async (db) => {
        const { rows } = await db.query<{ column_name: string }>(
          `SELECT column_name FROM information_schema.columns
            WHERE table_schema = $1 AND table_name = $2`,
          [config.database.schema, table],
        );
        return rows.map((row) => row.column_name);
      });
    try {
      expect(await columns('token_events')).toEqual(
        expect.arrayContaining(['error_message', 'audience', 'user_agent', 'request_id']),
      );
      // the hash chains first (the newest migration), then these details
      await dataSource.undoLastMigration({ transaction: 'each' });
      expect(await columns('token_events')).not.toContain('hash');
      await dataSource.undoLastMigration({ transaction: 'each' });
      expect(await columns('auth_client_events')).not.toContain('source');
      expect(await columns('token_events')).not.toContain('user_agent');
      await migrate(dataSource, config.database.schema);
      expect(await columns('auth_client_events')).toEqual(
        expect.arrayContaining(['source', 'request_id']),
      );
    } finally {
      await dataSource.destroy();
    }
  });
});
