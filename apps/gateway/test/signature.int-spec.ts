import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Escher from 'escher-auth';
import { jetstreamManager } from '@nats-io/jetstream';
import { AuditEvents, type FailedCallEvent } from '@loyalty-edge/audit-contracts';
import { KV_BUCKETS, STREAMS } from '@loyalty-edge/contracts';
import type { ApiKeyRecord } from '@loyalty-edge/credentials-contracts';
import { antavoParams, deriveSigningKey } from '@loyalty-edge/escher';
import type { WorkspaceRecord } from '@loyalty-edge/management-contracts';
import { ensureStream, kvPut, NatsLink, openBucket } from '@loyalty-edge/nats';
import { runService, type RunningService } from '@loyalty-edge/runtime';
import {
  SignatureRpc,
  type DeriveKeyRequest,
  type EnforcementRecord,
} from '@loyalty-edge/signature-contracts';
import { cleanUp, serviceEnv, uniquePrefix, within } from '@loyalty-edge/testing';
import { DataPlane, gatewayApp } from '../src/app.module.js';
import { loadConfig } from '../src/config.js';

const prefix = uniquePrefix();
const apiKey = 'lek_signedclient00000000000';
const secret = 'les_the-secret-the-gateway-never-sees';
const scope = 'eu/api/antavo_request';
let upstream: Server;
let gateway: RunningService;
let port: number;
let link: NatsLink;
let derivations = 0;
let upstreamUrl = '';
const received: string[] = [];

interface Sent {
  method: string;
  url: string;
  headers: [string, string][];
  body?: string;
}

function send(request: Sent): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: request.method,
        path: request.url,
        headers: Object.fromEntries(request.headers),
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

const client = (key = secret): Escher =>
  new Escher({ ...antavoParams('eu'), accessKeyId: apiKey, apiSecret: key });

function signed(method: string, url: string, body = '', key = secret): Sent {
  const headers: [string, string][] = [['Host', `127.0.0.1:${port}`]];
  if (body !== '') headers.push(['Content-Type', 'application/json']);
  const request = client(key).signRequest({ method, url, headers }, body);
  return { method, url, headers: request.headers.map(([n, v]) => [n, v]), body };
}

async function put(
  bucket: (typeof KV_BUCKETS)[keyof typeof KV_BUCKETS],
  key: string,
  value: unknown,
): Promise<void> {
  await kvPut(await openBucket(link, bucket), key, value);
}

beforeAll(async () => {
  upstream = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push(`${req.method ?? ''} ${req.url ?? ''} ${body}`);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const env = serviceEnv(prefix, {
    GATEWAY_PORT: '0',
    ESCHER_CREDENTIAL_SCOPE: scope,
    UPSTREAM_DEFAULT_URL:
      (upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`),
  });
  link = await NatsLink.open(loadConfig(env).common.nats, 'test');
  // stands in for the signature service: derives day keys from the secret
  link.connection.subscribe(link.subject(SignatureRpc.deriveKey.subject), {
    callback: (_error, message) => {
      derivations += 1;
      const request = message.json<DeriveKeyRequest>();
      const ok =
        request.apiKey === apiKey
          ? {
              workspaceId: 'ws-sig',
              signingKey: deriveSigningKey(
                secret,
                'ANTAVO',
                request.hashAlgo,
                request.shortDate,
                scope,
              ).toString('base64'),
            }
          : null;
      message.respond(JSON.stringify({ ok }));
    },
  });
  await put(KV_BUCKETS.apiKeys, apiKey, {
    workspaceId: 'ws-sig',
    status: 'active',
    version: 1,
  } satisfies ApiKeyRecord);
  gateway = await runService(gatewayApp(loadConfig(env)));
  port = Number(new URL(gateway.app.get(DataPlane).url).port);
});

afterAll(async () => {
  await link.close();
  await gateway.close();
  await new Promise((resolve) => upstream.close(resolve));
  await cleanUp(prefix);
});

describe('gateway Escher verification (escher-auth on the other side)', () => {
  it('accepts a signed GET with a query, deriving the day key once', async () => {
    expect((await send(signed('GET', '/customers/c1?fields=score&page=2'))).status).toBe(200);
    expect((await send(signed('GET', '/customers/c2'))).status).toBe(200);
    expect(derivations).toBe(1);
  });

  it('accepts a signed POST with a JSON body and forwards the body unchanged', async () => {
    const body = JSON.stringify({ customer: 'c1', action: 'point_add', data: { points: 5 } });
    expect((await send(signed('POST', '/events', body))).status).toBe(200);
    expect(received.at(-1)).toBe(`POST /events ${body}`);
  });

  it('accepts a presigned URL and strips its parameters before forwarding', async () => {
    const url = new URL(client().preSignUrl(`http://127.0.0.1:${port}/customers/c9?x=1`, 60));
    expect(
      (
        await send({
          method: 'GET',
          url: `${url.pathname}${url.search}`,
          headers: [['Host', `127.0.0.1:${port}`]],
        })
      ).status,
    ).toBe(200);
    expect(received.at(-1)).toBe('GET /customers/c9?x=1 ');
  });

  it('refuses a tampered body, path, query or date, a wrong secret and an expired date', async () => {
    const body = JSON.stringify({ customer: 'c1', action: 'point_add', data: { points: 5 } });
    const good = signed('POST', '/events?a=1', body);
    const attempts: Sent[] = [
      { ...good, body: body.replace('5', '6') },
      { ...good, url: '/events/bulk?a=1' },
      { ...good, url: '/events?a=2' },
      {
        ...good,
        headers: good.headers.map(([n, v]): [string, string] => [
          n,
          n.toLowerCase() === 'date' ? new Date(Date.now() - 5000).toUTCString() : v,
        ]),
      },
      signed('POST', '/events?a=1', body, 'les_wrong'),
    ];
    for (const [index, attempt] of attempts.entries()) {
      const response = await send(attempt);
      expect([index, response.status]).toEqual([index, 401]);
      expect(JSON.parse(response.body)).toEqual({
        error: {
          type: 'UnauthorizedException',
          code: 110406,
          message: 'Signature authentication failed',
        },
      });
    }
    const expiredHeaders: [string, string][] = [
      ['Host', `127.0.0.1:${port}`],
      ['Date', new Date(Date.now() - 3600_000).toUTCString()],
    ];
    const expired = client().signRequest(
      { method: 'GET', url: '/customers/c1', headers: expiredHeaders },
      '',
    );
    expect(
      (
        await send({
          method: 'GET',
          url: '/customers/c1',
          headers: expired.headers.map(([n, v]) => [n, v]),
        })
      ).status,
    ).toBe(401);
  });

  it('refuses plain keys on enforced APIs only, within a second of the change', async () => {
    await put(KV_BUCKETS.workspaces, 'ws-sig', {
      id: 'ws-sig',
      name: 'Sig',
      modules: { ipFilter: false, signatureCheck: true, asyncEvents: false },
    } satisfies WorkspaceRecord);
    await put(KV_BUCKETS.signatureEnforcement, 'ws-sig', {
      workspaceId: 'ws-sig',
      apis: ['customer'],
      revision: 1,
    } satisfies EnforcementRecord);
    const plain = {
      method: 'GET',
      url: `/customers/c1?api_key=${apiKey}`,
      headers: [] as [string, string][],
    };
    const elapsed = await within(2000, async () => (await send(plain)).status === 401);
    expect(elapsed).toBeLessThan(1000);
    expect(JSON.parse((await send(plain)).body)).toEqual({
      error: {
        type: 'UnauthorizedException',
        code: 110405,
        message: 'This API requires a signed request',
      },
    });
    expect(
      (await send({ ...plain, url: `/events?api_key=${apiKey}`, method: 'POST', body: '{}' }))
        .status,
    ).toBe(200);
    expect((await send(signed('GET', '/customers/c1'))).status).toBe(200);
  });

  it('evicts cached day keys when the credentials change', async () => {
    await put(KV_BUCKETS.apiKeys, apiKey, {
      workspaceId: 'ws-sig',
      status: 'inactive',
      version: 1,
    } satisfies ApiKeyRecord);
    await within(2000, async () => (await send(signed('GET', '/customers/c1'))).status === 401);
    await put(KV_BUCKETS.apiKeys, apiKey, {
      workspaceId: 'ws-sig',
      status: 'active',
      version: 2,
    } satisfies ApiKeyRecord);
    const before = derivations;
    await within(2000, async () => (await send(signed('GET', '/customers/c1'))).status === 200);
    expect(derivations).toBe(before + 1);
  });
});

describe('replay protection (REPLAY_PROTECTION=true)', () => {
  it('accepts a signed request once and refuses the same signature again', async () => {
    const env = serviceEnv(prefix, {
      GATEWAY_PORT: '0',
      ESCHER_CREDENTIAL_SCOPE: scope,
      UPSTREAM_DEFAULT_URL: upstreamUrl,
      REPLAY_PROTECTION: 'true',
    });
    const guarded = await runService(gatewayApp(loadConfig(env)));
    const plainPort = port;
    port = Number(new URL(guarded.app.get(DataPlane).url).port);
    try {
      const request = signed('GET', '/customers/replay-1');
      expect((await send(request)).status).toBe(200);
      const again = await send(request);
      expect(again.status).toBe(401);
      expect(JSON.parse(again.body)).toMatchObject({ error: { code: 110406 } });
      expect((await send(signed('GET', '/customers/replay-2'))).status).toBe(200);
    } finally {
      port = plainPort;
      await guarded.close();
    }
  });
});

describe('signatures bound to the gateway (GATEWAY_HOSTS, ESCHER_MAX_EXPIRES_SECONDS)', () => {
  async function reasons(): Promise<string[]> {
    const jsm = await jetstreamManager(link.connection);
    const stream = link.name(STREAMS.audit.name);
    const info = await jsm.streams.info(stream);
    const found: string[] = [];
    for (let seq = 1; seq <= info.state.last_seq; seq += 1) {
      const message = await jsm.streams.getMessage(stream, { seq }).catch(() => null);
      if (message?.subject === link.subject(AuditEvents.failedCall.subject))
        found.push(message.json<FailedCallEvent>().reason);
    }
    return found;
  }

  function signedFor(host: string, url: string): Sent {
    const request = client().signRequest({ method: 'GET', url, headers: [['Host', host]] }, '');
    return { method: 'GET', url, headers: request.headers.map(([n, v]) => [n, v]) };
  }

  it('refuses a signature whose signed Host is not one of the gateway hosts', async () => {
    await ensureStream(link, STREAMS.audit);
    const env = serviceEnv(prefix, {
      GATEWAY_PORT: '0',
      ESCHER_CREDENTIAL_SCOPE: scope,
      UPSTREAM_DEFAULT_URL: upstreamUrl,
      GATEWAY_HOSTS: 'api.loyalty.test, other.loyalty.test:8443',
    });
    const bound = await runService(gatewayApp(loadConfig(env)));
    const plainPort = port;
    port = Number(new URL(bound.app.get(DataPlane).url).port);
    try {
      expect((await send(signedFor('api.loyalty.test', '/customers/h1'))).status).toBe(200);
      expect((await send(signedFor('API.Loyalty.test:443', '/customers/h2'))).status).toBe(200);
      expect((await send(signedFor('other.loyalty.test:8443', '/customers/h3'))).status).toBe(200);
      for (const host of [`127.0.0.1:${port}`, 'evil.test', 'other.loyalty.test:9443']) {
        const refused = await send(signedFor(host, '/customers/h4'));
        expect([host, refused.status]).toEqual([host, 401]);
        expect(JSON.parse(refused.body)).toEqual({
          error: {
            type: 'UnauthorizedException',
            code: 110406,
            message: 'Signature authentication failed',
          },
        });
      }
      await within(
        2000,
        async () => (await reasons()).filter((r) => r === 'host_not_allowed').length === 3,
      );
    } finally {
      port = plainPort;
      await bound.close();
    }
  });

  it('refuses a presigned URL valid for longer than the cap', async () => {
    await ensureStream(link, STREAMS.audit);
    const presigned = (expires: number): Sent => {
      const url = new URL(client().preSignUrl(`http://127.0.0.1:${port}/customers/p1`, expires));
      return {
        method: 'GET',
        url: `${url.pathname}${url.search}`,
        headers: [['Host', `127.0.0.1:${port}`]],
      };
    };
    expect((await send(presigned(86_400))).status).toBe(200);
    const refused = await send(presigned(86_401));
    expect(refused.status).toBe(401);
    expect(JSON.parse(refused.body)).toMatchObject({ error: { code: 110406 } });
    expect((await send(presigned(10 * 365 * 86_400))).status).toBe(401);
    await within(
      2000,
      async () => (await reasons()).filter((r) => r === 'expires_too_long').length === 2,
    );
  });
});
