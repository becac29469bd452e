import http from 'node:http';
import Escher from 'escher-auth';
import { antavoParams } from '@loyalty-edge/escher';
import { within } from '@loyalty-edge/testing';
import { ManagementClient } from './support/management.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

let platform: TestPlatform;
let operator: ManagementClient;
let apiKey: string;
let apiSecret: string;

interface Envelope {
  error: { type: string; code: number; message: string };
}

interface Answer {
  status: number;
  body: string;
}

/** A request over a real socket, optionally from another loopback address. */
function send(
  gateway: string,
  request: {
    method: string;
    path: string;
    headers?: Record<string, string>;
    body?: string;
    from?: string;
  },
): Promise<Answer> {
  const url = new URL(gateway);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: request.method,
        path: request.path,
        headers: request.headers,
        localAddress: request.from,
        agent: false,
      },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(request.body);
  });
}

function signed(
  gateway: string,
  method: string,
  path: string,
  body = '',
  secret = apiSecret,
): { method: string; path: string; headers: Record<string, string>; body: string } {
  const host = new URL(gateway).host;
  const client = new Escher({ ...antavoParams('eu'), accessKeyId: apiKey, apiSecret: secret });
  const headers: [string, string][] = [['Host', host]];
  if (body !== '') headers.push(['Content-Type', 'application/json']);
  const request = client.signRequest({ method, url: path, headers }, body);
  return { method, path, headers: Object.fromEntries(request.headers), body };
}

beforeAll(async () => {
  platform = await startTestPlatform({
    extraGateways: 1,
    env: { TRUSTED_PROXIES: '127.0.0.1/32', CLIENT_IP_FLUSH_SECONDS: '1' },
  });
  operator = await ManagementClient.login(
    platform.management,
    platform.admin.email,
    platform.admin.password,
  );
  await operator.ok('POST', '/api/workspaces', { id: 'shop', name: 'Shop' });
  ({ apiKey, apiSecret } = await operator.ok<{ apiKey: string; apiSecret: string }>(
    'POST',
    '/api/workspaces/shop/credentials',
  ));
  const [first] = platform.gateways as [string];
  await within(
    2000,
    async () =>
      (await send(first, { method: 'GET', path: `/customers/-/count?api_key=${apiKey}` }))
        .status === 200,
  );
});

afterAll(async () => {
  await platform.shutdown();
});

describe('Escher signatures through the running gateway (escher-auth as the client)', () => {
  it('accepts a signed POST with a JSON body, a signed GET with a query and a presigned URL', async () => {
    const [gateway] = platform.gateways as [string];
    const optIn = JSON.stringify({
      customer: 'sig-1',
      action: 'opt_in',
      data: { first_name: 'Grace' },
    });
    expect((await send(gateway, signed(gateway, 'POST', '/events', optIn))).status).toBe(200);
    const read = await send(gateway, signed(gateway, 'GET', '/customers/sig-1?fields=score'));
    expect([read.status, (JSON.parse(read.body) as { first_name: string }).first_name]).toEqual([
      200,
      'Grace',
    ]);
    const client = new Escher({ ...antavoParams('eu'), accessKeyId: apiKey, apiSecret });
    const presigned = new URL(client.preSignUrl(`${gateway}/customers/sig-1`, 300));
    expect(
      (
        await send(gateway, {
          method: 'GET',
          path: `${presigned.pathname}${presigned.search}`,
          headers: { host: presigned.host },
        })
      ).status,
    ).toBe(200);
  });

  it('refuses a tampered body, path, query or date, a wrong secret and an expired date with 401', async () => {
    const [gateway] = platform.gateways as [string];
    const body = JSON.stringify({ customer: 'sig-1', action: 'point_add', data: { points: 10 } });
    const good = signed(gateway, 'POST', '/events?x=1', body);
    const dateName =
      Object.keys(good.headers).find((name) => name.toLowerCase() === 'date') ?? 'Date';
    const attempts = {
      body: { ...good, body: body.replace('10', '11') },
      path: { ...good, path: '/events/bulk?x=1' },
      query: { ...good, path: '/events?x=2' },
      date: {
        ...good,
        headers: { ...good.headers, [dateName]: new Date(Date.now() - 5000).toUTCString() },
      },
      secret: signed(gateway, 'POST', '/events?x=1', body, 'les_not-the-secret'),
      expired: (() => {
        const stale = new Escher({ ...antavoParams('eu'), accessKeyId: apiKey, apiSecret });
        const headers: [string, string][] = [
          ['Host', new URL(gateway).host],
          ['Date', new Date(Date.now() - 3_600_000).toUTCString()],
        ];
        return {
          method: 'GET',
          path: '/customers/sig-1',
          headers: Object.fromEntries(
            stale.signRequest({ method: 'GET', url: '/customers/sig-1', headers }, '').headers,
          ),
          body: '',
        };
      })(),
    };
    for (const [name, attempt] of Object.entries(attempts)) {
      const answer = await send(gateway, attempt);
      expect([name, answer.status, (JSON.parse(answer.body) as Envelope).error.code]).toEqual([
        name,
        401,
        110406,
      ]);
    }
  });

  it('says clearly that enforcement needs the module, then enforces at every replica within a second', async () => {
    const off = await operator.change<{ error: { message: string } }>(
      'PUT',
      '/api/workspaces/shop/signature-enforcement',
      { apis: ['customer'] },
    );
    expect(off.status).toBe(409);
    expect(off.body.error.message).toContain('API signature check module is not enabled');
    await operator.switchModules('shop', { signatureCheck: true });
    await operator.changeOk('PUT', '/api/workspaces/shop/signature-enforcement', {
      apis: ['customer'],
    });
    const saved = performance.now();
    const plain = { method: 'GET', path: `/customers/sig-1?api_key=${apiKey}` };
    const waits = await Promise.all(
      platform.gateways.map((gateway) =>
        within(1000, async () => (await send(gateway, plain)).status === 401).then(
          () => performance.now() - saved,
        ),
      ),
    );
    console.log(
      `signature enforcement in force after: ${waits.map((ms) => `${ms.toFixed(1)} ms`).join(', ')}`,
    );
    for (const gateway of platform.gateways) {
      const refused = await send(gateway, plain);
      expect(JSON.parse(refused.body)).toEqual({
        error: {
          type: 'UnauthorizedException',
          code: 110405,
          message: 'This API requires a signed request',
        },
      });
      expect((await send(gateway, signed(gateway, 'GET', '/customers/sig-1'))).status).toBe(200);
      const events = await send(gateway, {
        method: 'POST',
        path: `/events?api_key=${apiKey}`,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ customer: 'sig-1', action: 'point_add', data: { points: 1 } }),
      });
      expect(events.status).toBe(200);
    }
    // a change made from an older read is refused with the set as it is now
    const enforcement = '/api/workspaces/shop/signature-enforcement';
    const read = await operator.call<{ revision: number }>('GET', enforcement);
    await operator.changeOk('PUT', enforcement, { apis: ['customer', 'events'] });
    const stale = await operator.call<{
      error: { code: number; details: { revision: number; current: { apis: string[] } } };
    }>('PUT', enforcement, { apis: [] }, { 'if-match': read.headers.get('etag') ?? '' });
    expect(stale.status).toBe(412);
    expect(stale.body.error.code).toBe(100412);
    expect(stale.body.error.details.current.apis).toEqual(['customer', 'events']);
    expect(stale.body.error.details.revision).toBe(read.body.revision + 1);
    await operator.changeOk('PUT', enforcement, { apis: [] });
  });
});

describe('IP allow-lists through the running gateway', () => {
  const path = (): string => `/customers/sig-1?api_key=${apiKey}`;
  const from = (gateway: string, ip: string): Promise<Answer> =>
    send(gateway, { method: 'GET', path: path(), headers: { 'x-forwarded-for': ip } });

  it('refuses an invalid list whole, listing every bad entry', async () => {
    await operator.switchModules('shop', { ipFilter: true });
    const refused = await operator.change<{ error: { details: { fields: { field: string }[] } } }>(
      'PUT',
      '/api/workspaces/shop/ip-filter/customer',
      {
        entries: ['192.168.1.2', '192.168.1.300', 'example.com', '10.0.0.0/33'],
      },
    );
    expect(refused.status).toBe(400);
    expect(refused.body.error.details.fields.map((f) => f.field)).toEqual([
      'entries[1]',
      'entries[2]',
      'entries[3]',
    ]);
    const lists = await operator.ok<{ apis: { api: string; entries: unknown[] }[] }>(
      'GET',
      '/api/workspaces/shop/ip-filter',
    );
    expect(lists.apis.find((a) => a.api === 'customer')?.entries).toEqual([]);
  });

  it('holds the documented example at every replica within a second of saving', async () => {
    const saved = await operator.changeOk<{
      list: { entries: { input: string; normalized: string; hostBitsCleared: boolean }[] };
    }>('PUT', '/api/workspaces/shop/ip-filter/customer', {
      entries: ['192.168.1.2', '192.168.0.3/24'],
    });
    // the list's own revision: a save made from the read before this one is refused whole
    const stale = await operator.call<{
      error: { details: { current: { entries: { input: string }[]; revision: number } } };
    }>(
      'PUT',
      '/api/workspaces/shop/ip-filter/customer',
      { entries: ['10.0.0.0/8'] },
      { 'if-match': '"0"' },
    );
    expect(stale.status).toBe(412);
    expect(stale.body.error.details.current.entries.map((entry) => entry.input)).toEqual([
      '192.168.1.2',
      '192.168.0.3/24',
    ]);
    expect(saved.list.entries).toEqual([
      { input: '192.168.1.2', normalized: '192.168.1.2', hostBitsCleared: false },
      { input: '192.168.0.3/24', normalized: '192.168.0.0/24', hostBitsCleared: true },
    ]);
    const returned = performance.now();
    const waits = await Promise.all(
      platform.gateways.map((gateway) =>
        within(1000, async () => (await from(gateway, '10.0.0.1')).status === 403).then(
          () => performance.now() - returned,
        ),
      ),
    );
    console.log(`IP list in force after: ${waits.map((ms) => `${ms.toFixed(1)} ms`).join(', ')}`);
    for (const gateway of platform.gateways) {
      for (const ip of ['192.168.1.2', '192.168.0.0', '192.168.0.3', '192.168.0.255']) {
        expect([ip, (await from(gateway, ip)).status]).toEqual([ip, 200]);
      }
      for (const ip of ['192.168.1.3', '192.168.1.0', '192.167.255.255', '192.168.2.0']) {
        const answer = await from(gateway, ip);
        expect([ip, answer.status, (JSON.parse(answer.body) as Envelope).error.type]).toEqual([
          ip,
          403,
          'ForbiddenException',
        ]);
      }
    }
  });

  it('judges real sockets by their address, and ignores X-Forwarded-For from untrusted peers', async () => {
    await operator.changeOk('PUT', '/api/workspaces/shop/ip-filter/customer', {
      entries: ['127.0.0.2'],
    });
    const [gateway] = platform.gateways as [string];
    await within(
      1000,
      async () =>
        (await send(gateway, { method: 'GET', path: path(), from: '127.0.0.2' })).status === 200,
    );
    expect((await send(gateway, { method: 'GET', path: path(), from: '127.0.0.3' })).status).toBe(
      403,
    );
    expect(
      (
        await send(gateway, {
          method: 'GET',
          path: path(),
          from: '127.0.0.3',
          headers: { 'x-forwarded-for': '127.0.0.2' },
        })
      ).status,
    ).toBe(403);
  });

  it('previews which recent clients a proposed list would block', async () => {
    const preview = async (): Promise<{ blocked: { ip: string; requests: number }[] }> =>
      operator.ok('POST', '/api/workspaces/shop/ip-filter/customer/preview', {
        entries: ['127.0.0.2'],
        days: 1,
      });
    let result = await preview();
    await within(10_000, async () => {
      result = await preview();
      return result.blocked.some((client) => client.ip === '192.168.1.3');
    });
    expect(result.blocked.map((client) => client.ip)).not.toContain('127.0.0.2');
    expect(result.blocked.find((client) => client.ip === '192.168.1.3')?.requests).toBeGreaterThan(
      0,
    );
  });
});
