import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppError } from '@loyalty-edge/errors';
import { antavoParams, deriveSigningKey, EscherVerifier } from '@loyalty-edge/escher';
import type { RpcClient } from '@loyalty-edge/nats';
import type { Caller } from '../access/principal.js';
import type { ChangeLog } from '../change-log/change-log.js';
import type { ManagementConfig } from '../config.js';
import { ApiBrowserService } from './api-browser.service.js';

const SECRET = 'les_test_secret';
const API_KEY = 'lek_test_key';
const SCOPE = 'eu/api/antavo_request';

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: string[];
  readonly body: string;
}

const caller: Caller = {
  principal: { adminId: 'a1', email: 'a@x.test', operator: false, via: 'session' },
  requestId: 'req-1',
  clientIp: '203.0.113.9',
};

describe(ApiBrowserService.name, () => {
  let gateway: Server;
  let url = '';
  const seen: Seen[] = [];

  beforeAll(async () => {
    gateway = createServer((request: IncomingMessage, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        seen.push({
          method: request.method ?? '',
          url: request.url ?? '',
          headers: request.rawHeaders,
          body: Buffer.concat(chunks).toString(),
        });
        response.writeHead(200, { 'content-type': 'application/json', 'set-cookie': 'a=b' });
        response.end('{"ok":true,"password":"p1"}');
      });
    });
    await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
  });

  afterAll(() => {
    gateway.close();
  });

  /** The service with stand-ins: credentials and signature answer for `owner` only. */
  function service(
    owner = 'ws-a',
    gatewayUrl = url,
  ): { browser: ApiBrowserService; recorded: unknown[] } {
    const recorded: unknown[] = [];
    const rpc = {
      request: (definition: { subject: string }, payload: Record<string, string>) => {
        if (definition.subject === 'credentials.api-key.get') {
          return Promise.resolve({
            apiKey: API_KEY,
            workspaceId: payload.workspaceId,
            status: 'active',
          });
        }
        const key = deriveSigningKey(SECRET, 'ANTAVO', 'SHA256', payload.shortDate ?? '', SCOPE);
        return Promise.resolve({
          workspaceId: owner,
          signingKey: Buffer.from(key).toString('base64'),
        });
      },
    } as unknown as RpcClient;
    const changes = {
      record: (_: unknown, change: unknown) => recorded.push(change),
    } as unknown as ChangeLog;
    const config = {
      client: { credentialScope: SCOPE, gatewayUrl: 'https://api.example.test' },
      apiBrowser: { gatewayUrl, timeoutMs: 2000 },
    } as unknown as ManagementConfig;
    return { browser: new ApiBrowserService(rpc, changes, config), recorded };
  }

  it('signs with the derived day key a gateway verifies, for the public host, secret never sent', async () => {
    const { browser, recorded } = service();
    const body = { customer: 'c1', action: 'opt_in', data: { password: 'hunter2' } };
    const exchange = await browser.send(
      caller,
      'ws-a',
      { method: 'POST', path: '/events', query: {}, body },
      'signature',
    );
    const request = seen.at(-1)!;
    const verifier = new EscherVerifier({ ...antavoParams('eu'), credentialScope: SCOPE });
    const accessKey = verifier.authenticate(
      { method: request.method, url: request.url, headers: request.headers, body: request.body },
      () => ({ secret: SECRET }),
    );
    expect(accessKey).toBe(API_KEY);
    expect(request.headers).toEqual(
      expect.arrayContaining(['host', 'api.example.test', 'x-forwarded-for', '203.0.113.9']),
    );
    expect(JSON.stringify(exchange)).not.toContain(SECRET);
    expect(exchange.request.headers.Authorization).toBe('[REDACTED]');
    expect(exchange.request.body).toContain('"password":"[REDACTED]"');
    expect(exchange.response).toMatchObject({
      status: 200,
      headers: { 'set-cookie': '[REDACTED]' },
    });
    expect(exchange.response.body).not.toContain('p1');
    expect(recorded).toEqual([
      {
        workspaceId: 'ws-a',
        action: 'api-browser.request.sent',
        target: 'POST /events',
        after: { auth: 'signature', status: 200 },
      },
    ]);
  });

  it('sends a plain call with api_key in the query, shown redacted', async () => {
    const { browser } = service();
    const exchange = await browser.send(
      caller,
      'ws-a',
      { method: 'GET', path: '/customers', query: { limit: '2' } },
      'api_key',
    );
    expect(seen.at(-1)?.url).toBe(`/customers?limit=2&api_key=${API_KEY}`);
    expect(exchange.request.url).toBe(
      'https://api.example.test/customers?limit=2&api_key=[REDACTED]',
    );
  });

  it('refuses to sign when the key the signature service knows is of another workspace', async () => {
    const { browser, recorded } = service('ws-b');
    const before = seen.length;
    await expect(
      browser.send(caller, 'ws-a', { method: 'GET', path: '/customers', query: {} }, 'signature'),
    ).rejects.toBeInstanceOf(AppError);
    expect(seen.length).toBe(before);
    expect(recorded).toEqual([]);
  });

  it('answers 503 when the gateway cannot be reached, and logs no change', async () => {
    const { browser, recorded } = service('ws-a', 'http://127.0.0.1:9');
    await expect(
      browser.send(caller, 'ws-a', { method: 'GET', path: '/customers', query: {} }, 'api_key'),
    ).rejects.toMatchObject({ kind: 'unavailable', code: 100503 });
    expect(recorded).toEqual([]);
  });
});
