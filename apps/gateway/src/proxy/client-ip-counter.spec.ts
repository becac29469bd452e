import type { ClientIpCountsEvent } from '@loyalty-edge/audit-contracts';
import type { EventPublisher } from '@loyalty-edge/nats';
import { ClientIpCounter } from './client-ip-counter.js';

function counter(maxKeys = 50_000): { counter: ClientIpCounter; events: ClientIpCountsEvent[] } {
  const events: ClientIpCountsEvent[] = [];
  const publisher = {
    publish: (_contract: unknown, event: ClientIpCountsEvent) => events.push(event) > 0,
  } as unknown as EventPublisher;
  return { counter: new ClientIpCounter(publisher, 3_600_000, maxKeys), events };
}

describe(ClientIpCounter.name, () => {
  it('publishes requests per workspace, API and client IP once per window', () => {
    const { counter: ips, events } = counter();
    ips.count('ws-a', 'events', '10.0.0.1');
    ips.count('ws-a', 'events', '10.0.0.1');
    ips.count('ws-a', 'customer', '10.0.0.1');
    ips.count('ws-b', 'events', '::1');
    ips.flush();
    expect(events).toHaveLength(1);
    expect(events[0]?.counts).toEqual([
      { workspaceId: 'ws-a', api: 'events', ip: '10.0.0.1', requests: 2 },
      { workspaceId: 'ws-a', api: 'customer', ip: '10.0.0.1', requests: 1 },
      { workspaceId: 'ws-b', api: 'events', ip: '::1', requests: 1 },
    ]);
    ips.flush();
    expect(events).toHaveLength(1);
    ips.stop();
  });

  it('stops adding new clients past its bound, still counting known ones', () => {
    const { counter: ips, events } = counter(2);
    ips.count('ws', 'events', '10.0.0.1');
    ips.count('ws', 'events', '10.0.0.2');
    ips.count('ws', 'events', '10.0.0.3');
    ips.count('ws', 'events', '10.0.0.1');
    ips.stop();
    expect(events[0]?.counts.map((c) => [c.ip, c.requests])).toEqual([
      ['10.0.0.1', 2],
      ['10.0.0.2', 1],
    ]);
  });
});
