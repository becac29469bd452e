import { API_IDS, ErrorCodes } from '@loyalty-edge/contracts';
import { AppError } from '@loyalty-edge/errors';
import { IpFilterRpc, type IpFilterList } from '@loyalty-edge/ip-filter-contracts';
import type { NatsLink } from '@loyalty-edge/nats';
import type { RunningService } from '@loyalty-edge/runtime';
import { SignatureRpc, type EnforcementSet } from '@loyalty-edge/signature-contracts';
import { cleanUp, uniquePrefix } from '@loyalty-edge/testing';
import {
  Client,
  managementEnv,
  openLink,
  OPERATOR,
  REMOTE_ANSWERS,
  respond,
  startManagement,
  switchModules,
  watchChanges,
} from './harness.js';

// IP lists and signature enforcement keep their revisions in the ip-filter and signature
// services (their own tests cover the compare-and-set); here they are stood in for by services
// that keep revisions in memory and refuse a stale one as the real ones do.

interface ErrorBody<D = unknown> {
  readonly error: { type: string; code: number; message: string; details?: D };
}

const prefix = uniquePrefix();
const env = managementEnv(prefix);
let service: RunningService;
let link: NatsLink;
let operator: Client;
let automation: Client;
const requests: Record<string, unknown>[] = [];

const lists = new Map<string, IpFilterList>();
let enforcement: EnforcementSet = {
  workspaceId: 'pol',
  apis: [],
  updatedAt: null,
  updatedBy: null,
  revision: 0,
};
let workspaceRevision = 0;

const listOf = (api: string): IpFilterList =>
  lists.get(api) ?? {
    api: api as IpFilterList['api'],
    entries: [],
    updatedAt: null,
    updatedBy: null,
    revision: 0,
  };

function stale(current: { revision: number }): AppError {
  return new AppError('precondition_failed', ErrorCodes.preconditionFailed, 'stale', {
    revision: current.revision,
    current,
  });
}

const STAND_INS = {
  ...REMOTE_ANSWERS,
  [IpFilterRpc.getLists.subject]: () => ({
    workspaceId: 'pol',
    apis: API_IDS.map(listOf),
    revision: workspaceRevision,
  }),
  [IpFilterRpc.update.subject]: (request: Record<string, unknown>) => {
    requests.push(request);
    const api = String(request.api);
    const before = listOf(api);
    if (before.revision !== request.expectedRevision) throw stale(before);
    workspaceRevision += 1;
    const entries = (request.entries as string[]).map((input) => ({
      input,
      normalized: input,
      hostBitsCleared: false,
    }));
    const list = {
      ...before,
      entries,
      updatedAt: new Date().toISOString(),
      updatedBy: 'someone@example.test',
      revision: workspaceRevision,
    };
    lists.set(api, list);
    return {
      workspaceId: 'pol',
      list,
      before: before.entries,
      merged: [],
      changed: true,
      revision: workspaceRevision,
    };
  },
  [SignatureRpc.getEnforcement.subject]: () => enforcement,
  [SignatureRpc.setEnforcement.subject]: (request: Record<string, unknown>) => {
    requests.push(request);
    if (enforcement.revision !== request.expectedRevision) throw stale(enforcement);
    const before = enforcement.apis;
    enforcement = {
      ...enforcement,
      apis: request.apis as EnforcementSet['apis'],
      updatedAt: new Date().toISOString(),
      updatedBy: 'someone@example.test',
      revision: enforcement.revision + 1,
    };
    return { ...enforcement, before };
  },
};

beforeAll(async () => {
  service = await startManagement(env);
  link = await openLink(env);
  respond(link, STAND_INS);
  await watchChanges(link);
  operator = await Client.login(service.url, OPERATOR.email, OPERATOR.password);
  const token = await operator.send<{ token: string }>('POST', '/api/tokens', {
    name: 'policies',
    expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
  });
  automation = new Client(service.url).withBearer(token.body.token);
  expect((await operator.send('POST', '/api/workspaces', { id: 'pol', name: 'pol' })).status).toBe(
    201,
  );
  await switchModules(operator, 'pol', { ipFilter: true, signatureCheck: true });
});

afterAll(async () => {
  await link.close();
  await service.close();
  await cleanUp(prefix);
});

describe('IP lists', () => {
  const path = (api: string): string => `/api/workspaces/pol/ip-filter/${api}`;
  const save = (client: Client, api: string, entries: string[], etag?: string | null) =>
    client.send<ErrorBody<{ revision: number; current: IpFilterList }>>(
      'PUT',
      path(api),
      { entries },
      etag === undefined ? {} : { headers: { 'if-match': etag ?? 'none' } },
    );

  it('are read one by one with the list revision as ETag, and each in the collection', async () => {
    const one = await operator.send<IpFilterList & { moduleEnabled: boolean }>(
      'GET',
      path('customer'),
    );
    expect([one.status, one.headers.get('etag')]).toEqual([200, '"0"']);
    expect(one.body).toMatchObject({ api: 'customer', revision: 0, moduleEnabled: true });
    const all = await operator.send<{ apis: IpFilterList[] }>(
      'GET',
      '/api/workspaces/pol/ip-filter',
    );
    expect(all.body.apis.every((list) => list.revision === 0)).toBe(true);
    expect((await operator.send('GET', path('nope'))).status).toBe(400);
  });

  it('refuse a save without If-Match (428), by session and token, before asking ip-filter', async () => {
    for (const client of [operator, automation]) {
      const reply = await save(client, 'customer', ['10.0.0.0/8']);
      expect([reply.status, reply.body.error.code]).toEqual([428, 100428]);
    }
    expect(requests).toEqual([]);
  });

  it('pass the revision on, answer the new ETag, and a stale save 412 with the current list', async () => {
    const first = await save(operator, 'customer', ['10.0.0.0/8'], '"0"');
    expect([first.status, first.headers.get('etag')]).toEqual([200, '"1"']);
    expect(requests.at(-1)).toMatchObject({ api: 'customer', expectedRevision: 0 });

    // another list does not count: its revision is its own
    const other = await save(automation, 'events', ['192.0.2.1'], '"0"');
    expect(other.status).toBe(200);

    const late = await save(automation, 'customer', ['172.16.0.0/12'], '"0"');
    expect(late.status).toBe(412);
    expect(late.body.error).toMatchObject({ type: 'PreconditionFailedException', code: 100412 });
    expect(late.body.error.message).toContain('The Customer list was changed by someone else');
    expect(late.body.error.message).toContain('someone@example.test');
    const current = await operator.send('GET', path('customer'));
    expect(late.body.error.details).toEqual({ revision: 1, current: current.body });
    expect(current.body).toMatchObject({ entries: [{ input: '10.0.0.0/8' }] });

    const reapplied = await save(
      automation,
      'customer',
      ['172.16.0.0/12'],
      current.headers.get('etag'),
    );
    expect(reapplied.status).toBe(200);
  });
});

describe('signature enforcement', () => {
  const path = '/api/workspaces/pol/signature-enforcement';
  const put = (client: Client, apis: string[], etag?: string | null) =>
    client.send<ErrorBody<{ revision: number; current: EnforcementSet }>>(
      'PUT',
      path,
      { apis },
      etag === undefined ? {} : { headers: { 'if-match': etag ?? 'none' } },
    );

  it('is read with its revision as ETag; a change needs it (428) and a stale one gets 412 with the set', async () => {
    const read = await automation.send<EnforcementSet>('GET', path);
    expect([read.headers.get('etag'), read.body.revision]).toEqual(['"0"', 0]);
    for (const client of [operator, automation]) {
      const reply = await put(client, ['events']);
      expect([reply.status, reply.body.error.code]).toEqual([428, 100428]);
    }
    const saved = await put(operator, ['events'], read.headers.get('etag'));
    expect([saved.status, saved.headers.get('etag')]).toEqual([200, '"1"']);
    expect(requests.at(-1)).toMatchObject({ apis: ['events'], expectedRevision: 0 });

    const late = await put(automation, ['customer'], read.headers.get('etag'));
    expect(late.status).toBe(412);
    const current = await operator.send('GET', path);
    expect(late.body.error.details).toEqual({ revision: 1, current: current.body });
    expect(current.body).toMatchObject({ apis: ['events'], moduleEnabled: true });
  });
});
