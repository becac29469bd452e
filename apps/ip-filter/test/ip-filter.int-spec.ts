import {
  IpFilterErrorCodes,
  IpFilterRpc,
  type UpdateListRequest,
} from '@loyalty-edge/ip-filter-contracts';
import { Harness, refusal } from './harness.js';

const h = new Harness();
beforeAll(() => h.open());
afterAll(() => h.close());

describe('ip-filter lists', () => {
  it('updates a list, shows both input and normalized form, and publishes the KV record', async () => {
    const result = await h.update('ws-a', 'events', ['192.168.0.3/24', '10.0.0.1', '10.0.0.1/32']);
    expect(result).toMatchObject({
      workspaceId: 'ws-a',
      before: [],
      merged: [{ normalized: '10.0.0.1', inputs: ['10.0.0.1', '10.0.0.1/32'] }],
      changed: true,
      revision: 1,
      list: {
        api: 'events',
        entries: [
          { input: '192.168.0.3/24', normalized: '192.168.0.0/24', hostBitsCleared: true },
          { input: '10.0.0.1', normalized: '10.0.0.1', hostBitsCleared: false },
        ],
        updatedBy: 'admin@example.com',
      },
    });

    const lists = await h.rpc.request(IpFilterRpc.getLists, { workspaceId: 'ws-a' });
    expect(lists.revision).toBe(1);
    expect(lists.apis).toHaveLength(13);
    expect(lists.apis.find((list) => list.api === 'events')).toEqual(result.list);
    expect(lists.apis.find((list) => list.api === 'customer')).toEqual({
      api: 'customer',
      entries: [],
      updatedAt: null,
      updatedBy: null,
      revision: 0,
    });
    expect(await h.record('ws-a')).toEqual({
      workspaceId: 'ws-a',
      apis: { events: ['192.168.0.0/24', '10.0.0.1'] },
      revision: 1,
    });

    const second = await h.update('ws-a', 'events', ['2001:db8::/32']);
    expect(second.before.map((entry) => entry.normalized)).toEqual(['192.168.0.0/24', '10.0.0.1']);
    expect(await h.record('ws-a')).toEqual({
      workspaceId: 'ws-a',
      apis: { events: ['2001:db8::/32'] },
      revision: 2,
    });
  });

  it('takes an emptied list out of the record and reports an unchanged list', async () => {
    await h.update('ws-e', 'clubs', ['1.2.3.4']);
    await h.update('ws-e', 'events', ['5.6.7.8']);
    const same = await h.update('ws-e', 'events', ['5.6.7.8/32']);
    expect(same.changed).toBe(false);
    const emptied = await h.update('ws-e', 'clubs', []);
    expect(emptied).toMatchObject({ changed: true, list: { entries: [] }, revision: 4 });
    expect(await h.record('ws-e')).toEqual({
      workspaceId: 'ws-e',
      apis: { events: ['5.6.7.8'] },
      revision: 4,
    });
  });

  it('refuses the whole update when one entry is invalid, and changes nothing', async () => {
    await h.update('ws-b', 'customer', ['10.0.0.0/8']);
    const rowsBefore = await h.storedRows('ws-b');
    const kvBefore = await h.bucket.get('ws-b');

    const error = await refusal(
      h.update('ws-b', 'customer', ['10.0.0.1', '172.16.0.0/12', 'example.com', '1.2.3.4/33']),
    );
    expect(error.kind).toBe('invalid');
    expect(error.code).toBe(IpFilterErrorCodes.invalidList);
    expect(error.details?.fields).toEqual([
      {
        field: 'entries[2]',
        message: '"example.com" looks like a hostname; only IP addresses and ranges',
        reason: 'hostname',
      },
      {
        field: 'entries[3]',
        message: '"1.2.3.4/33": the prefix length is over 32',
        reason: 'prefix-out-of-range',
      },
    ]);

    expect(await h.storedRows('ws-b')).toEqual(rowsBefore);
    expect((await h.bucket.get('ws-b'))?.revision).toBe(kvBefore?.revision);
    const lists = await h.rpc.request(IpFilterRpc.getLists, { workspaceId: 'ws-b' });
    expect(lists.apis.find((list) => list.api === 'customer')?.entries).toEqual([
      { input: '10.0.0.0/8', normalized: '10.0.0.0/8', hostBitsCleared: false },
    ]);
  });

  it('refuses an unknown API, too many entries, and a workspace over its total', async () => {
    const unknown = await refusal(h.update('ws-c', 'Events', ['10.0.0.1']));
    expect(unknown).toMatchObject({ kind: 'invalid', code: IpFilterErrorCodes.unknownApi });
    expect(unknown.details?.fields).toEqual([
      { field: 'api', message: '"Events" is not an API of the catalog', reason: 'unknown-api' },
    ]);

    const seven = ['1', '2', '3', '4', '5', '6', '7'].map((n) => `10.0.0.${n}`);
    const tooMany = await refusal(h.update('ws-c', 'events', seven));
    expect(tooMany.details?.fields).toEqual([
      {
        field: 'entries',
        message: 'A list holds at most 6 entries; got 7',
        reason: 'too-many-entries',
      },
    ]);

    await h.update('ws-c', 'events', seven.slice(0, 6));
    await h.update('ws-c', 'clubs', seven.slice(0, 4));
    const overTotal = await refusal(h.update('ws-c', 'offers', ['10.1.0.1']));
    expect(overTotal.message).toContain(
      'at most 10 entries over all APIs; this list would make 11',
    );
    expect((await h.record('ws-c'))?.apis).not.toHaveProperty('offers');
    // replacing a list counts the new one instead of the old
    await expect(h.update('ws-c', 'clubs', seven.slice(0, 3))).resolves.toMatchObject({
      revision: 3,
    });
  });

  it('refuses a malformed request with every bad field listed', async () => {
    const error = await refusal(
      h.rpc.request(IpFilterRpc.update, {
        workspaceId: 'no spaces',
        api: 'events',
        entries: ['10.0.0.1', 7],
        expectedRevision: -1,
        actor: { type: 'robot', id: '' },
      } as unknown as UpdateListRequest),
    );
    expect(error.kind).toBe('invalid');
    const fields = error.details?.fields?.map((f) => f.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'workspaceId',
        'entries',
        'expectedRevision',
        'actor.type',
        'actor.id',
      ]),
    );
    const getError = await refusal(h.rpc.request(IpFilterRpc.getLists, { workspaceId: '' }));
    expect(getError.details?.fields?.map((f) => f.field)).toEqual(['workspaceId']);
  });

  it('applies one of concurrent updates made from the same revision; the others get the current list', async () => {
    const lists = [1, 2, 3, 4, 5].map((n) => [
      `10.${n}.0.0/16`,
      `10.${n}.1.1`,
      `2001:db8:${n}::/48`,
    ]);
    const outcomes = await Promise.allSettled(
      lists.map((entries) => h.update('ws-race', 'events', entries, 0)),
    );
    const applied = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    expect(applied).toHaveLength(1);
    const winner = applied[0]!;
    expect(winner).toMatchObject({ revision: 1, before: [] });
    for (const outcome of outcomes.filter((o) => o.status === 'rejected')) {
      expect(outcome.reason).toMatchObject({
        kind: 'precondition_failed',
        code: 100412,
        details: { revision: 1, current: winner.list },
      });
    }
    const kv = await h.record('ws-race');
    expect(kv?.revision).toBe(1);
    expect(kv?.apis.events).toEqual(winner.list.entries.map((entry) => entry.normalized));
    // a stale revision never applies, a current one does
    await expect(refusal(h.update('ws-race', 'events', ['10.9.9.9'], 0))).resolves.toMatchObject({
      kind: 'precondition_failed',
    });
    const next = await h.update('ws-race', 'events', ['10.9.9.9'], 1);
    expect(next).toMatchObject({ revision: 2, before: winner.list.entries });
  });

  it('keeps every API when different lists of one workspace change at once', async () => {
    // each list has its own revision: changing one does not make the others stale
    const apis = ['events', 'customer', 'clubs', 'coupons', 'offers'];
    await Promise.all(apis.map((api, n) => h.update('ws-many', api, [`192.0.2.${n}`], 0)));
    const kv = await h.record('ws-many');
    expect(kv?.revision).toBe(5);
    expect(Object.keys(kv?.apis ?? {}).sort()).toEqual([...apis].sort());
  });
});
