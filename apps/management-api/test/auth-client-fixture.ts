import type { ChangeEvent } from '@loyalty-edge/audit-contracts';
import type { NatsLink } from '@loyalty-edge/nats';
import type { RunningService } from '@loyalty-edge/runtime';
import { cleanUp, uniquePrefix } from '@loyalty-edge/testing';
import {
  Client,
  managementEnv,
  openLink,
  OPERATOR,
  respond,
  startManagement,
  watchChanges,
} from './harness.js';
import { TokenStandIn } from './token-stand-in.js';

/**
 * The management API with a stand-in of the token service on real NATS, and its callers:
 * workspace `ac-a` (Async Events off) with an admin, a viewer and the admin's access token, and
 * workspace `ac-b` with an admin of its own.
 */
export interface AuthClientFixture {
  readonly service: RunningService;
  readonly link: NatsLink;
  readonly token: TokenStandIn;
  readonly changes: ChangeEvent[];
  readonly operator: Client;
  readonly admin: Client;
  readonly viewer: Client;
  /** The admin of ac-a, through a personal access token. */
  readonly automation: Client;
  /** The admin of ac-b. */
  readonly otherAdmin: Client;
  setAsyncEvents(on: boolean): Promise<void>;
  close(): Promise<void>;
}

export interface ErrorBody {
  readonly error: {
    readonly type: string;
    readonly code: number;
    readonly message: string;
    readonly details?: { readonly fields: readonly { field: string; message: string }[] };
  };
}

export const CLIENTS_PATH = '/api/workspaces/ac-a/auth-clients';

/** A body the create route and the stand-in accept, with `over` on top. */
export const newClient = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  name: 'CRM sync',
  purpose: 'Nightly customer sync',
  expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
  scopes: ['loyalty.async_events'],
  audience: 'https://api.example.test',
  ...over,
});

/** The change events of one action on one target. */
export const changesOf = (
  changes: readonly ChangeEvent[],
  action: string,
  target: string,
): ChangeEvent[] => changes.filter((c) => c.action === action && c.target === target);

const PASSWORD = 'auth clients passphrase';

export async function startAuthClientFixture(): Promise<AuthClientFixture> {
  const prefix = uniquePrefix();
  const env = managementEnv(prefix);
  const service = await startManagement(env);
  const link = await openLink(env);
  const token = new TokenStandIn();
  respond(link, token.answers());
  const changes = await watchChanges(link);
  const operator = await Client.login(service.url, OPERATOR.email, OPERATOR.password);
  const expectStatus = async (reply: Promise<{ status: number }>, status: number) => {
    const { status: actual } = await reply;
    if (actual !== status) throw new Error(`fixture set-up answered ${actual}, not ${status}`);
  };
  for (const id of ['ac-a', 'ac-b']) {
    await expectStatus(operator.send('POST', '/api/workspaces', { id, name: id }), 201);
  }
  const member = async (ws: string, email: string, role: 'admin' | 'viewer'): Promise<Client> => {
    const add = operator.change('POST', `/api/workspaces/${ws}/members`, {
      email,
      role,
      password: PASSWORD,
    });
    await expectStatus(add, 201);
    return Client.login(service.url, email, PASSWORD);
  };
  const admin = await member('ac-a', 'admin@ac-a.test', 'admin');
  const viewer = await member('ac-a', 'viewer@ac-a.test', 'viewer');
  const otherAdmin = await member('ac-b', 'admin@ac-b.test', 'admin');
  const created = await admin.send<{ token: string }>('POST', '/api/tokens', {
    name: 'ci',
    expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
  });
  return {
    service,
    link,
    token,
    changes,
    operator,
    admin,
    viewer,
    automation: new Client(service.url).withBearer(created.body.token),
    otherAdmin,
    setAsyncEvents: (on) =>
      expectStatus(
        operator.change('PUT', '/api/workspaces/ac-a/modules/asyncEvents', { enabled: on }),
        200,
      ),
    close: async () => {
      await link.close();
      await service.close();
      await cleanUp(prefix);
    },
  };
}
