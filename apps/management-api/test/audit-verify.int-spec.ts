import { AuditChainRpc, type ChainVerification } from '@loyalty-edge/audit-contracts';
import { ErrorCodes } from '@loyalty-edge/contracts';
import { AppError } from '@loyalty-edge/errors';
import type { NatsLink } from '@loyalty-edge/nats';
import type { Subscription } from '@nats-io/transport-node';
import type { RunningService } from '@loyalty-edge/runtime';
import { cleanUp, uniquePrefix } from '@loyalty-edge/testing';
import {
  Client,
  managementEnv,
  openLink,
  OPERATOR,
  REMOTE_ANSWERS,
  respond,
  startManagement,
} from './harness.js';

const prefix = uniquePrefix();
const env = managementEnv(prefix);
const WS = 'chained';
const PASSWORD = 'chained passphrase';
let service: RunningService;
let link: NatsLink;
let operator: Client;
let admin: Client;
let responders: Subscription[] = [];
/** What the audit stand-in was asked, and how it answers. */
const asked: Record<string, unknown>[] = [];
let answer: (request: Record<string, unknown>) => unknown;

function verification(workspaceId: string): ChainVerification {
  return {
    workspaceId,
    ok: false,
    anchoredAt: '2026-11-30T12:00:00.000Z',
    logs: [
      {
        log: 'changes',
        entries: 2,
        firstSeq: 1,
        lastSeq: 2,
        anchoredSeq: 2,
        unchained: 0,
        broken: {
          kind: 'altered',
          seq: 3,
          id: 'e3',
          detail: 'content does not match its hash',
        },
      },
      {
        log: 'tokens',
        entries: 0,
        firstSeq: 1,
        lastSeq: 0,
        anchoredSeq: null,
        unchained: 4,
        broken: null,
      },
    ],
  };
}

beforeAll(async () => {
  service = await startManagement(env);
  link = await openLink(env);
  responders = respond(link, {
    ...REMOTE_ANSWERS,
    [AuditChainRpc.verify.subject]: (request) => {
      asked.push(request);
      return answer(request);
    },
  });
  operator = await Client.login(service.url, OPERATOR.email, OPERATOR.password);
  expect((await operator.send('POST', '/api/workspaces', { id: WS, name: 'Chained' })).status).toBe(
    201,
  );
  const added = await operator.change('POST', `/api/workspaces/${WS}/members`, {
    email: 'admin@chained.test',
    role: 'admin',
    password: PASSWORD,
  });
  expect(added.status).toBe(201);
  admin = await Client.login(service.url, 'admin@chained.test', PASSWORD);
});

afterAll(async () => {
  await link.close();
  await service.close();
  await cleanUp(prefix);
});

beforeEach(() => {
  asked.length = 0;
  answer = (request) => verification(String(request.workspaceId));
});

describe('GET /api/workspaces/:ws/audit/verify', () => {
  it("gives an operator the audit service's report of the workspace", async () => {
    const reply = await operator.send('GET', `/api/workspaces/${WS}/audit/verify`);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual(verification(WS));
    expect(asked).toEqual([{ workspaceId: WS }]);
  });

  it("refuses the workspace's own admin (403) without asking the audit service", async () => {
    const reply = await admin.send('GET', `/api/workspaces/${WS}/audit/verify`);
    expect(reply.status).toBe(403);
    expect(reply.body).toMatchObject({ error: { code: 300405 } });
    expect(asked).toEqual([]);
  });

  it('passes an error of the audit service on in the envelope', async () => {
    answer = () => {
      throw new AppError('unavailable', ErrorCodes.unavailable, 'Audit store unavailable');
    };
    const reply = await operator.send('GET', `/api/workspaces/${WS}/audit/verify`);
    expect([reply.status, reply.body]).toEqual([
      503,
      {
        error: {
          type: 'ServiceUnavailableException',
          code: ErrorCodes.unavailable,
          message: 'Audit store unavailable',
        },
      },
    ]);
  });

  it('answers 503 in the envelope when the audit service is not there', async () => {
    for (const subscription of responders) subscription.unsubscribe();
    await link.connection.flush();
    const reply = await operator.send('GET', `/api/workspaces/${WS}/audit/verify`);
    expect([reply.status, reply.body]).toEqual([
      503,
      {
        error: {
          type: 'ServiceUnavailableException',
          code: ErrorCodes.unavailable,
          message: 'No answer from audit',
        },
      },
    ]);
  });
});
