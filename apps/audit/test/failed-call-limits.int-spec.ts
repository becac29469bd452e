import { jetstreamManager } from '@nats-io/jetstream';
import { AuditEvents, AuditRpc, type FailedCallEvent } from '@loyalty-edge/audit-contracts';
import { EventPublisher, NatsLink, RpcClient } from '@loyalty-edge/nats';
import { runService, type RunningService } from '@loyalty-edge/runtime';
import { cleanUp, serviceEnv, uniquePrefix } from '@loyalty-edge/testing';
import { auditApp } from '../src/app.module.js';
import { loadConfig } from '../src/config.js';
import { eventually, failedCall, sample, tokenEvent } from './support.js';

/**
 * Failed calls over the audit limits (as a gateway without limits of its own published them) are
 * stored cut to fit, never refused: a caller probing a stolen key must not stay invisible.
 */
const prefix = uniquePrefix();
const env = serviceEnv(prefix);
let service: RunningService;
let link: NatsLink;
let rpc: RpcClient;
let publisher: EventPublisher;

const metrics = async (): Promise<string> => (await fetch(`${service.url}/metrics`)).text();

const settled = (): Promise<void> =>
  eventually(async () => {
    const jsm = await jetstreamManager(link.connection);
    const info = await jsm.consumers.info(`${prefix}_AUDIT`, `${prefix}_audit_writer`);
    expect(info.num_pending + info.num_ack_pending).toBe(0);
  });

const stored = (id: string): Promise<FailedCallEvent | null> =>
  rpc.request(AuditRpc.failedCall, { workspaceId: 'ws-probe', id });

beforeAll(async () => {
  service = await runService(auditApp(loadConfig(env)));
  link = await NatsLink.open(loadConfig(env).common.nats, 'test');
  rpc = new RpcClient(link);
  publisher = new EventPublisher(link);
});

afterAll(async () => {
  await publisher.close();
  await link.close();
  await service.close();
  await cleanUp(prefix);
});

describe('failed calls over the limits', () => {
  it('stores an over-long URL, too many headers, an over-long header name and NUL bytes cut to fit, marked, and counts each cut', async () => {
    const before = await metrics();
    const base = failedCall({ workspaceId: 'ws-probe' });
    const headers300 = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`x-h-${i}`, 'v']));
    const events = {
      url: {
        ...base,
        id: 'probe-url',
        request: { ...base.request, url: `/events?${'a'.repeat(9000)}` },
      },
      headers: { ...base, id: 'probe-headers', request: { ...base.request, headers: headers300 } },
      name: {
        ...base,
        id: 'probe-name',
        request: { ...base.request, headers: { [`x-${'n'.repeat(300)}`]: 'v', accept: '*/*' } },
      },
      nul: {
        ...base,
        id: 'probe-nul',
        request: {
          ...base.request,
          headers: { 'content-type': 'text/plain' },
          body: 'a\u0000b\ud800c',
        },
        response: { ...base.response, body: 'not\u0000found' },
      },
    } satisfies Record<string, FailedCallEvent>;
    for (const event of Object.values(events)) publisher.publish(AuditEvents.failedCall, event);
    const token = tokenEvent({ workspaceId: 'ws-probe', userAgent: 'curl\u0000/8' });
    publisher.publish(AuditEvents.token, token);
    await publisher.flush();
    await settled();

    const url = await stored('probe-url');
    expect(url?.request.url).toHaveLength(8192);
    expect(url?.request.url.startsWith('/events?aaaa')).toBe(true);
    expect(url?.request.truncated).toEqual(['url']);

    const headers = await stored('probe-headers');
    expect(Object.keys(headers?.request.headers ?? {})).toHaveLength(200);
    expect(headers?.request.truncated).toEqual(['headers']);

    const name = await stored('probe-name');
    const names = Object.keys(name?.request.headers ?? {});
    expect(names).toHaveLength(2);
    expect(names.every((n) => n.length <= 200)).toBe(true);
    expect(name?.request.truncated).toEqual(['headers']);

    const nul = await stored('probe-nul');
    expect(nul?.request.body).toBe('a\ufffdb\ufffdc');
    expect(nul?.response.body).toBe('not\ufffdfound');

    const tokens = await rpc.request(AuditRpc.tokens, { workspaceId: 'ws-probe' });
    expect(tokens.items.map((t) => t.userAgent)).toEqual(['curl\ufffd/8']);

    const after = await metrics();
    const delta = (name: string): number => sample(after, name) - sample(before, name);
    expect(delta('audit_fields_truncated_total{field="url"}')).toBe(1);
    expect(delta('audit_fields_truncated_total{field="request_headers"}')).toBe(2);
    expect(delta('audit_strings_sanitised_total{type="failed_call"}')).toBe(2);
    expect(delta('audit_strings_sanitised_total{type="token"}')).toBe(1);
    expect(delta('audit_events_rejected_total{reason="invalid"}')).toBe(0);
    expect(delta('audit_events_rejected_total{reason="unstorable"}')).toBe(0);
  });
});
