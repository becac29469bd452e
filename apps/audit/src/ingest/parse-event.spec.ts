import { AuditEvents, type ChangeEvent, type FailedCallEvent } from '@loyalty-edge/audit-contracts';
import { parseEvent, parseMessage } from './parse-event.js';

const encode = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));

const change = (over: Partial<ChangeEvent> = {}): ChangeEvent => ({
  id: 'c-1',
  at: '2024-05-01T10:00:00Z',
  workspaceId: 'ws-1',
  actor: { type: 'admin', id: 'admin-1', email: 'admin@example.com' },
  action: 'ip-filter.updated',
  target: 'events',
  after: { entries: ['10.0.0.0/8'] },
  source: 'ui',
  ...over,
});

const failedCall = (over: Partial<FailedCallEvent> = {}): FailedCallEvent => ({
  id: 'f-1',
  at: '2024-05-01T10:00:00.000Z',
  workspaceId: 'ws-1',
  api: 'events',
  clientIp: '203.0.113.9',
  requestId: 'req-1',
  reason: 'signature_mismatch',
  durationMs: 3.4,
  request: {
    method: 'POST',
    url: '/events?api_key=lek_abc&x=1',
    headers: { 'content-type': 'application/json', authorization: 'ANTAVO-HMAC-SHA256 sig' },
    body: '{"customer":"c1","data":{"password":"hunter2"}}',
  },
  response: { status: 401, headers: { 'content-type': 'application/json' }, body: '{}' },
  ...over,
});

describe(parseEvent.name, () => {
  it('accepts a change, normalising `at` to the millisecond', () => {
    const result = parseEvent(AuditEvents.change.subject, encode(change()));
    expect(result).toEqual({
      record: { type: 'change', event: { ...change(), at: '2024-05-01T10:00:00.000Z' } },
    });
  });

  it('redacts a secret planted anywhere in a change', () => {
    const planted = change({
      before: { nested: [{ password: 'hunter2' }] },
      after: { clientSecret: 's3cr3t', name: 'kept' },
    });
    const result = parseEvent(AuditEvents.change.subject, encode(planted));
    const text = JSON.stringify(result);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('s3cr3t');
    expect(text).toContain('kept');
  });

  it('redacts headers, the query string and bodies of a failed call', () => {
    const result = parseEvent(AuditEvents.failedCall.subject, encode(failedCall()));
    if (!('record' in result) || result.record.type !== 'failed_call') throw new Error('refused');
    const { request } = result.record.event;
    expect(request.headers.authorization).toBe('[REDACTED]');
    expect(request.url).not.toContain('lek_abc');
    expect(request.url).toContain('x=1');
    expect(request.body).not.toContain('hunter2');
    expect(request.body).toContain('c1');
  });

  it('drops unknown fields instead of refusing the event', () => {
    const result = parseEvent(AuditEvents.change.subject, encode({ ...change(), extra: 1 }));
    expect(result).toHaveProperty('record.event');
    expect(result).not.toHaveProperty('record.event.extra');
  });

  it('accepts client IP counts and a token error without a workspace', () => {
    const counts = {
      id: 'n-1',
      at: '2024-05-01T10:01:00.000Z',
      counts: [{ workspaceId: 'ws-1', api: 'events', ip: '198.51.100.1', requests: 3 }],
    };
    expect(parseEvent(AuditEvents.clientIps.subject, encode(counts))).toHaveProperty('record');
    const token = {
      id: 't-1',
      at: '2024-05-01T10:01:00.000Z',
      workspaceId: null,
      clientId: null,
      outcome: 'error',
      errorCode: 220010,
      clientIp: '198.51.100.1',
    };
    expect(parseEvent(AuditEvents.token.subject, encode(token))).toHaveProperty(
      'record.type',
      'token',
    );
  });

  it('takes an auth-client event without `source` (an older publisher) as from the platform', () => {
    const event = {
      id: 'a-1',
      at: '2024-05-01T10:01:00.000Z',
      workspaceId: 'ws-1',
      clientId: 'lec_AAAAAAAAAAAAAAAAAAAAAAAA',
      clientName: 'CRM',
      action: 'created',
      actor: { type: 'admin', id: 'admin-1' },
    };
    expect(parseEvent(AuditEvents.authClient.subject, encode(event))).toEqual({
      record: { type: 'auth_client', event: { ...event, source: 'system' } },
    });
    const fromApi = { ...event, source: 'api', requestId: 'req-1' };
    expect(parseEvent(AuditEvents.authClient.subject, encode(fromApi))).toEqual({
      record: { type: 'auth_client', event: fromApi },
    });
  });

  it('keeps the new token fields, cutting an overlong user agent and message', () => {
    const token = {
      id: 't-2',
      at: '2024-05-01T10:01:00.000Z',
      workspaceId: 'ws-1',
      clientId: 'lec_AAAAAAAAAAAAAAAAAAAAAAAA',
      outcome: 'error',
      errorCode: 220015,
      error: 'invalid_scope',
      errorMessage: 'x'.repeat(600),
      audience: 'https://api.example.test',
      clientIp: '198.51.100.1',
      userAgent: 'u'.repeat(2000),
      requestId: 'req-2',
    };
    expect(parseEvent(AuditEvents.token.subject, encode(token))).toEqual({
      record: {
        type: 'token',
        event: { ...token, errorMessage: 'x'.repeat(500), userAgent: 'u'.repeat(1024) },
      },
    });
  });

  it.each([
    ['unknown_subject', 'audit.unknown.recorded', encode(change())],
    ['bad_json', AuditEvents.change.subject, new TextEncoder().encode('{"id":')],
    ['bad_json', AuditEvents.change.subject, new Uint8Array([0xff, 0xfe])],
    ['invalid', AuditEvents.change.subject, encode([change()])],
    ['invalid', AuditEvents.change.subject, encode(change({ at: 'yesterday' }))],
    ['invalid', AuditEvents.change.subject, encode({ ...change(), actor: { type: 'robot' } })],
    ['invalid', AuditEvents.failedCall.subject, encode({ ...failedCall(), request: null })],
    [
      'invalid',
      AuditEvents.token.subject,
      encode({
        id: 't',
        at: '2024-05-01T10:00:00Z',
        outcome: 'issued',
        clientIp: '192.0.2.1',
        userAgent: 7,
      }),
    ],
    [
      'invalid',
      AuditEvents.authClient.subject,
      encode({
        id: 'a',
        at: '2024-05-01T10:00:00Z',
        workspaceId: 'ws',
        clientId: 'c',
        clientName: 'n',
        action: 'created',
        actor: { type: 'admin', id: 'x' },
        source: 'browser',
      }),
    ],
  ])('refuses as %s', (reason, subject, data) => {
    expect(parseEvent(subject, data)).toEqual({ rejected: reason });
  });

  // class-validator's @ValidateNested let these through; the writer then threw on them
  it.each([
    ['a change without an actor', AuditEvents.change.subject, { ...change(), actor: undefined }],
    ['a change with a list of actors', AuditEvents.change.subject, { ...change(), actor: [] }],
    [
      'a failed call without a request',
      AuditEvents.failedCall.subject,
      { ...failedCall(), request: undefined },
    ],
    [
      'a failed call with a list as response',
      AuditEvents.failedCall.subject,
      { ...failedCall(), response: [] },
    ],
  ])('refuses %s', (_name, subject, event) => {
    expect(parseEvent(subject, encode(event))).toEqual({ rejected: 'invalid' });
  });

  it('keeps keys named like Object.prototype members in data (class-transformer dropped them)', () => {
    const after = { constructor: 'kept', toString: 1, list: [{ valueOf: true }] };
    const result = parseEvent(AuditEvents.change.subject, encode(change({ after })));
    expect(result).toHaveProperty('record.event.after', after);
  });

  it('takes up to 10,000 client IP counts', () => {
    const entry = { workspaceId: 'ws', api: 'events', ip: '192.0.2.1', requests: 1 };
    const counts = (size: number) =>
      encode({ id: 'n', at: '2024-05-01T10:00:00Z', counts: Array(size).fill(entry) });
    expect(parseEvent(AuditEvents.clientIps.subject, counts(10_000))).toHaveProperty('record');
    expect(parseEvent(AuditEvents.clientIps.subject, counts(10_001))).toEqual({
      rejected: 'invalid',
    });
  });
});

describe(parseMessage.name, () => {
  const token = (id: string, over: Record<string, unknown> = {}) => ({
    id,
    at: '2024-05-01T10:01:00Z',
    workspaceId: 'ws-1',
    clientId: 'lec_AAAAAAAAAAAAAAAAAAAAAAAA',
    outcome: 'issued',
    clientIp: '198.51.100.1',
    ...over,
  });
  const batch = (events: unknown, over: Record<string, unknown> = {}) =>
    encode({ id: 'b-1', at: '2024-05-01T10:01:00.050Z', events, ...over });

  it('gives one record per event of any other subject', () => {
    expect(parseMessage(AuditEvents.change.subject, encode(change()))).toEqual({
      records: [{ type: 'change', event: { ...change(), at: '2024-05-01T10:00:00.000Z' } }],
      refused: 0,
    });
    expect(parseMessage(AuditEvents.change.subject, encode([]))).toEqual({ rejected: 'invalid' });
  });

  it('unpacks a token-log batch into token records with their own ids', () => {
    const result = parseMessage(
      AuditEvents.tokenBatch.subject,
      batch([token('t-1'), token('t-2', { outcome: 'error', userAgent: 'u'.repeat(2000) })]),
    );
    expect(result).toEqual({
      records: [
        { type: 'token', event: { ...token('t-1'), at: '2024-05-01T10:01:00.000Z' } },
        {
          type: 'token',
          event: {
            ...token('t-2', { outcome: 'error' }),
            at: '2024-05-01T10:01:00.000Z',
            userAgent: 'u'.repeat(1024),
          },
        },
      ],
      refused: 0,
    });
  });

  it('refuses an invalid entry of a batch and keeps the others', () => {
    const result = parseMessage(
      AuditEvents.tokenBatch.subject,
      batch([token('t-1', { outcome: 'maybe' }), token('t-2'), 'junk', null]),
    );
    expect(result).toMatchObject({ records: [{ event: { id: 't-2' } }], refused: 3 });
  });

  it('takes an empty batch as nothing to store', () => {
    expect(parseMessage(AuditEvents.tokenBatch.subject, batch([]))).toEqual({
      records: [],
      refused: 0,
    });
  });

  it.each([
    ['bad_json', new TextEncoder().encode('{"id":')],
    ['invalid', encode([token('t-1')])],
    ['invalid', encode(null)],
    ['invalid', batch([token('t-1')], { id: '' })],
    ['invalid', batch([token('t-1')], { id: 7 })],
    ['invalid', batch({ 0: token('t-1') })],
    ['invalid', batch(Array.from({ length: 1001 }, (_, i) => token(`t-${i}`)))],
    ['invalid', batch([token('t-1', { clientIp: '' })])],
  ])('refuses a whole batch as %s', (reason, data) => {
    expect(parseMessage(AuditEvents.tokenBatch.subject, data)).toEqual({ rejected: reason });
  });
});

describe('parseEvent of failed calls over the limits', () => {
  it('stores them cut to fit and marked, noting each cut and replaced string', () => {
    const cut: string[] = [];
    const sanitised: [string, number][] = [];
    const notes = {
      cut: (field: string) => cut.push(field),
      sanitised: (type: string, strings: number) => sanitised.push([type, strings]),
    };
    const probe = failedCall({
      request: {
        method: 'GET',
        url: `/events?${'a'.repeat(9000)}`,
        headers: { 'content-type': 'text/plain' },
        body: 'a\u0000b',
      },
    });
    const result = parseEvent(AuditEvents.failedCall.subject, encode(probe), notes);
    if (!('record' in result) || result.record.type !== 'failed_call') throw new Error('refused');
    expect(result.record.event.request.url).toHaveLength(8192);
    expect(result.record.event.request.truncated).toEqual(['url']);
    expect(result.record.event.request.body).toBe('a\ufffdb');
    expect(cut).toEqual(['url']);
    expect(sanitised).toEqual([['failed_call', 1]]);
  });

  it('notes nothing for an event it refuses', () => {
    const cut: string[] = [];
    const notes = { cut: (field: string) => cut.push(field), sanitised: () => undefined };
    const broken = { ...failedCall(), request: { url: 'x'.repeat(9000) } };
    expect(parseEvent(AuditEvents.failedCall.subject, encode(broken), notes)).toEqual({
      rejected: 'invalid',
    });
    expect(cut).toEqual([]);
  });
});
