import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, get, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { JsonLogger } from '@loyalty-edge/observability';
import { loadConfig } from './config.js';
import { createAdminWebServer } from './server.js';

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

/** The bytes as sent (fetch would undo the gzip). */
function rawGet(
  url: string,
  headers: Record<string, string>,
): Promise<{ encoding: string | undefined; body: Buffer }> {
  return new Promise((resolve, reject) => {
    get(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ encoding: response.headers['content-encoding'], body: Buffer.concat(chunks) }),
      );
    }).on('error', reject);
  });
}

async function bodyOf(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}

describe(createAdminWebServer.name, () => {
  const publicDir = mkdtempSync(join(tmpdir(), 'admin-web-'));
  const logs: string[] = [];
  let upstreamReady = true;
  const management = createServer((request, response) => {
    void bodyOf(request).then((body) => {
      if (request.url === '/readyz') {
        response.writeHead(upstreamReady ? 200 : 503).end();
        return;
      }
      response.setHeader('set-cookie', ['a=1; HttpOnly', 'b=2; SameSite=Strict']);
      response.writeHead(201, { 'content-type': 'application/json' });
      const { method, url, headers } = request;
      response.end(JSON.stringify({ method, url, headers, body }));
    });
  });
  let web: Server;
  let base = '';

  beforeAll(async () => {
    mkdirSync(join(publicDir, 'assets'));
    writeFileSync(join(publicDir, 'index.html'), '<!doctype html><title>admin</title>');
    writeFileSync(
      join(publicDir, 'assets', 'index-abc123.js'),
      `console.log(1);${' '.repeat(4096)}`,
    );
    const managementUrl = await listen(management);
    const config = loadConfig({ MANAGEMENT_API_URL: managementUrl, PROXY_TIMEOUT_MS: '2000' });
    const logger = new JsonLogger('admin-web', 'debug', (line) => logs.push(line));
    web = createAdminWebServer(config, logger, publicDir);
    base = await listen(web);
  });

  afterAll(async () => {
    await close(web);
    await close(management);
    rmSync(publicDir, { recursive: true, force: true });
  });

  it('serves index.html uncached with strict security headers', async () => {
    const response = await fetch(`${base}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('content-security-policy')).toMatch(
      /script-src 'self';.*frame-ancestors 'none'/,
    );
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    await expect(response.text()).resolves.toContain('<title>admin</title>');
  });

  it('answers unknown page paths with index.html, unknown assets with 404', async () => {
    const page = await fetch(`${base}/workspaces/acme/modules`);
    expect(page.status).toBe(200);
    await expect(page.text()).resolves.toContain('<title>admin</title>');
    expect((await fetch(`${base}/assets/index-missing.js`)).status).toBe(404);
    expect((await fetch(`${base}/robots.txt`)).status).toBe(404);
    expect((await fetch(`${base}/`, { method: 'POST' })).status).toBe(405);
  });

  it('caches hashed assets forever, gzipped, and revalidates by ETag', async () => {
    const response = await fetch(`${base}/assets/index-abc123.js`, {
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const raw = await rawGet(`${base}/assets/index-abc123.js`, { 'accept-encoding': 'gzip' });
    expect(raw.encoding).toBe('gzip');
    expect(gunzipSync(raw.body).toString()).toMatch(/^console\.log\(1\);/);
    const etag = response.headers.get('etag') ?? '';
    const again = await fetch(`${base}/assets/index-abc123.js`, {
      headers: { 'if-none-match': etag },
    });
    expect(again.status).toBe(304);
  });

  it('forwards /api/* with method, query, body and cookies, and passes every Set-Cookie back', async () => {
    const response = await fetch(`${base}/api/workspaces/acme/members?limit=5`, {
      method: 'POST',
      headers: {
        cookie: 'le_session=s3cr3t-session',
        'x-csrf-token': 'csrf-1',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ email: 'a@example.com' }),
    });
    expect(response.status).toBe(201);
    expect(response.headers.getSetCookie()).toEqual(['a=1; HttpOnly', 'b=2; SameSite=Strict']);
    const seen = (await response.json()) as {
      method: string;
      url: string;
      headers: Record<string, string>;
      body: string;
    };
    expect(seen.method).toBe('POST');
    expect(seen.url).toBe('/api/workspaces/acme/members?limit=5');
    expect(seen.headers.cookie).toBe('le_session=s3cr3t-session');
    expect(seen.headers['x-csrf-token']).toBe('csrf-1');
    expect(seen.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(JSON.parse(seen.body)).toEqual({ email: 'a@example.com' });
  });

  it('replaces X-Forwarded-For with the address it saw, and drops Forwarded and X-Real-IP', async () => {
    const response = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: {
        'x-forwarded-for': '203.0.113.66, 198.51.100.1',
        forwarded: 'for=203.0.113.67',
        'x-real-ip': '203.0.113.68',
      },
    });
    const seen = (await response.json()) as { headers: Record<string, string | undefined> };
    expect(seen.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(seen.headers.forwarded).toBeUndefined();
    expect(seen.headers['x-real-ip']).toBeUndefined();
  });

  it('believes X-Forwarded-For only from its own TRUSTED_PROXIES, and forwards one address', async () => {
    const managementUrl = `http://127.0.0.1:${(management.address() as AddressInfo).port}`;
    const behindIngress = createAdminWebServer(
      loadConfig({ MANAGEMENT_API_URL: managementUrl, TRUSTED_PROXIES: '127.0.0.1' }),
      new JsonLogger('admin-web', 'error', () => {}),
      publicDir,
    );
    const url = await listen(behindIngress);
    try {
      const seenFor = async (headers: Record<string, string>): Promise<string | undefined> => {
        const response = await fetch(`${url}/api/me`, { headers });
        return ((await response.json()) as { headers: Record<string, string> }).headers[
          'x-forwarded-for'
        ];
      };
      expect(await seenFor({ 'x-forwarded-for': '203.0.113.66, 198.51.100.7' })).toBe(
        '198.51.100.7',
      );
      expect(await seenFor({ 'x-forwarded-for': '203.0.113.66, 127.0.0.1' })).toBe('203.0.113.66');
      expect(await seenFor({})).toBe('127.0.0.1');
    } finally {
      await close(behindIngress);
    }
  });

  it('keeps invitation tokens out of its logs', async () => {
    const token = 'Inv1tat10nT0kenInv1tat10nT0kenInv1tat10nT0k';
    await (await fetch(`${base}/invitations/${token}`)).text();
    await (await fetch(`${base}/api/invitations/${token}`)).text();
    await (await fetch(`${base}/api/invitations/${token}/accept`, { method: 'POST' })).text();
    const logged = logs.join('\n');
    expect(logged).not.toContain(token);
    expect(logged).toContain('"path":"/invitations/[token]"');
    expect(logged).toContain('"path":"/api/invitations/[token]/accept"');
  });

  it('logs requests without cookies or query strings', () => {
    const logged = logs.join('\n');
    expect(logged).toContain('"path":"/api/workspaces/acme/members"');
    expect(logged).not.toContain('s3cr3t-session');
    expect(logged).not.toContain('limit=5');
  });

  it('is ready only while the management API is', async () => {
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    upstreamReady = false;
    expect((await fetch(`${base}/readyz`)).status).toBe(503);
    upstreamReady = true;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it('answers 502 in the error envelope when the management API is down', async () => {
    const config = loadConfig({ MANAGEMENT_API_URL: 'http://127.0.0.1:1' });
    const down = createAdminWebServer(
      config,
      new JsonLogger('admin-web', 'error', () => {}),
      publicDir,
    );
    const url = await listen(down);
    try {
      const response = await fetch(`${url}/api/me`);
      expect(response.status).toBe(502);
      await expect(response.json()).resolves.toMatchObject({
        error: { type: 'BadGatewayException', message: 'The management API is unavailable' },
      });
      expect((await fetch(`${url}/readyz`)).status).toBe(503);
    } finally {
      await close(down);
    }
  });
});
