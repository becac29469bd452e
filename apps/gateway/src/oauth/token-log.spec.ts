import { jest } from '@jest/globals';
import { AuditEvents, type TokenEvent, type TokenEventBatch } from '@loyalty-edge/audit-contracts';
import type { EventPublisher } from '@loyalty-edge/nats';
import { TokenLog } from './token-log.js';

interface Sent {
  subject: string;
  batch: TokenEventBatch;
  id: string;
  events: number;
}

function publisher(accept = true): { fake: EventPublisher; sent: Sent[] } {
  const sent: Sent[] = [];
  const fake = {
    publish: (
      contract: { subject: string },
      batch: TokenEventBatch,
      id: string,
      events: number,
    ) => {
      sent.push({ subject: contract.subject, batch, id, events });
      return accept;
    },
  } as unknown as EventPublisher;
  return { fake, sent };
}

const event = (n: number): TokenEvent => ({
  id: `t-${n}`,
  at: '2024-05-01T10:00:00.000Z',
  workspaceId: 'ws-1',
  clientId: 'lec_AAAAAAAAAAAAAAAAAAAAAAAA',
  outcome: 'issued',
  clientIp: '198.51.100.1',
});

describe(TokenLog.name, () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('sends a batch once it holds maxEvents entries, with the batch id as message id', () => {
    const { fake, sent } = publisher();
    const log = new TokenLog(fake, { maxEvents: 3, maxWaitMs: 50 });
    for (let n = 1; n <= 4; n += 1) log.record(event(n));
    expect(sent).toHaveLength(1);
    const [first] = sent;
    expect(first?.subject).toBe(AuditEvents.tokenBatch.subject);
    expect(first?.batch.events).toEqual([event(1), event(2), event(3)]);
    expect(first?.id).toBe(first?.batch.id);
    expect(first?.events).toBe(3);
  });

  it('sends what it holds within maxWaitMs of the first entry', () => {
    const { fake, sent } = publisher();
    const log = new TokenLog(fake, { maxEvents: 100, maxWaitMs: 50 });
    log.record(event(1));
    jest.advanceTimersByTime(30);
    log.record(event(2));
    expect(sent).toHaveLength(0);
    jest.advanceTimersByTime(20);
    expect(sent.map((s) => s.batch.events.length)).toEqual([2]);
    jest.advanceTimersByTime(1000);
    expect(sent).toHaveLength(1);
  });

  it('hands everything over on flush (shutdown) and sends nothing when empty', () => {
    const { fake, sent } = publisher();
    const log = new TokenLog(fake, { maxEvents: 100, maxWaitMs: 50 });
    log.flush();
    expect(sent).toHaveLength(0);
    log.record(event(1));
    log.flush();
    expect(sent.map((s) => s.batch.events.map((e) => e.id))).toEqual([['t-1']]);
    jest.advanceTimersByTime(100);
    expect(sent).toHaveLength(1);
  });

  it('gives each batch its own id', () => {
    const { fake, sent } = publisher(false);
    const log = new TokenLog(fake, { maxEvents: 1, maxWaitMs: 50 });
    log.record(event(1));
    log.record(event(2));
    expect(new Set(sent.map((s) => s.id)).size).toBe(2);
  });
});
