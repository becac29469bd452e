import type { IpFilterEntry } from '@loyalty-edge/ip-filter-contracts';
import { previewImpact } from './preview.js';

const entry = (normalized: string): IpFilterEntry => ({
  input: normalized,
  normalized,
  hostBitsCleared: false,
});

describe(previewImpact.name, () => {
  const clients = [
    { ip: '10.1.2.3', requests: 5 },
    { ip: '192.168.1.1', requests: 40 },
    { ip: '::ffff:192.168.1.2', requests: 2 },
    { ip: '2001:db8::7', requests: 9 },
    { ip: '172.16.0.1', requests: 40 },
    { ip: 'unknown', requests: 3 },
  ];

  it('lists the clients a list would block, busiest first, with totals', () => {
    const impact = previewImpact([entry('10.0.0.0/8'), entry('2001:db8::/32')], clients);
    expect(impact).toEqual({
      filtering: true,
      blocked: [
        { ip: '172.16.0.1', requests: 40 },
        { ip: '192.168.1.1', requests: 40 },
        { ip: '::ffff:192.168.1.2', requests: 2 },
      ],
      unrecognized: [{ ip: 'unknown', requests: 3 }],
      totals: { clients: 6, requests: 99, blockedClients: 3, blockedRequests: 82 },
    });
  });

  it('matches IPv4-mapped clients against IPv4 entries, as the gateway does', () => {
    const impact = previewImpact(
      [entry('192.168.1.0/24')],
      [{ ip: '::ffff:192.168.1.2', requests: 1 }],
    );
    expect(impact.blocked).toEqual([]);
  });

  it('blocks nothing when the list is empty: the API is not filtered', () => {
    const impact = previewImpact([], clients);
    expect(impact.filtering).toBe(false);
    expect(impact.blocked).toEqual([]);
    expect(impact.totals).toMatchObject({ blockedClients: 0, blockedRequests: 0 });
  });
});
