import type { IpFilterEntry } from '@loyalty-edge/ip-filter-contracts';
import { revisionOf, toRecord } from './ip-filter-records.js';

const entries = (...normalized: string[]): IpFilterEntry[] =>
  normalized.map((n) => ({ input: n, normalized: n, hostBitsCleared: false }));

describe(toRecord.name, () => {
  it('carries the normalized entries of non-empty lists, in catalog order, and the latest revision', () => {
    const record = toRecord('ws-1', [
      { api: 'events', entries: entries('10.0.0.0/8', '2001:db8::/32'), revision: 3 },
      { api: 'customer', entries: entries(), revision: 5 },
      { api: 'clubs', entries: entries('1.2.3.4'), revision: 1 },
    ]);
    expect(record).toEqual({
      workspaceId: 'ws-1',
      apis: { clubs: ['1.2.3.4'], events: ['10.0.0.0/8', '2001:db8::/32'] },
      revision: 5,
    });
    expect(Object.keys(record.apis)).toEqual(['clubs', 'events']);
  });

  it('is empty at revision 0 for a workspace without lists', () => {
    expect(toRecord('ws-2', [])).toEqual({ workspaceId: 'ws-2', apis: {}, revision: 0 });
    expect(revisionOf([])).toBe(0);
  });
});
