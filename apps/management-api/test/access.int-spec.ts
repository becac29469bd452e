import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NatsLink } from '@loyalty-edge/nats';
import type { RunningService } from '@loyalty-edge/runtime';
import { cleanUp, eventually, uniquePrefix } from '@loyalty-edge/testing';
import { RouteTable, type RouteInfo } from '../src/access/route-table.js';
import { ROLE_EXTENSION, ROUTE_ROLES } from '../src/access/role.decorator.js';
import type { ChangeEvent } from '@loyalty-edge/audit-contracts';
import {
  Client,
  managementEnv,
  openLink,
  OPERATOR,
  REMOTE_ANSWERS,
  respond,
  SAMPLE_CLIENT_ID,
  startManagement,
  switchModules,
  watchChanges,
} from './harness.js';

const prefix = uniquePrefix();
const env = managementEnv(prefix);
const PASSWORD = 'isolation passphrase';
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
let service: RunningService;
let link: NatsLink;
let routes: RouteInfo[];
let operator: Client;
let changes: ChangeEvent[];
let gateway: Server;
const ids: Record<string, string> = {};

const label = (route: RouteInfo): string => `${route.method} ${route.path}`;
const scoped = (): RouteInfo[] => routes.filter((route) => route.path.includes('/:ws'));

let sampleCount = 0;
/** A request body that the route would accept. A new route with a body needs one here. */
function sampleBody(route: RouteInfo): unknown {
  sampleCount += 1;
  const samples: Record<string, unknown> = {
    'PUT /api/workspaces/:ws/modules/:module': { enabled: true },
    'PUT /api/workspaces/:ws/ip-filter/:api': { entries: ['192.168.1.2', '10.0.0.0/8'] },
    'POST /api/workspaces/:ws/ip-filter/:api/preview': { entries: ['192.168.1.2'], days: 7 },
    'PUT /api/workspaces/:ws/signature-enforcement': { apis: ['events'] },
    'PUT /api/workspaces/:ws/rate-limit': { requestsPerMinute: 600 },
    'POST /api/workspaces/:ws/credentials': { overlapSeconds: 0 },
    'POST /api/workspaces/:ws/members': {
      email: `sample-${sampleCount}@example.test`,
      role: 'viewer',
    },
    'PUT /api/workspaces/:ws/members/:memberId': { role: 'viewer' },
    'POST /api/workspaces': { id: `sample-${sampleCount}`, name: 'Sample' },
    'POST /api/tokens': {
      name: 'sample',
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    },
    'PUT /api/me/password': { currentPassword: PASSWORD, newPassword: `${PASSWORD} 2` },
    'POST /api/workspaces/:ws/auth-clients': {
      name: 'sample',
      purpose: 'access checks',
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      scopes: ['loyalty.async_events'],
      audience: 'https://api.example.test',
    },
    'POST /api/auth/login': { email: OPERATOR.email, password: OPERATOR.password },
    'POST /api/invitations/:token/accept': { password: PASSWORD },
    'POST /api/workspaces/:ws/api-browser/requests': {
      method: 'GET',
      path: '/customers/-/count',
      auth: 'api_key',
    },
  };
  if (!route.hasBody) return undefined;
  if (!(label(route) in samples)) throw new Error(`no sample body for ${label(route)}: add one`);
  return samples[label(route)];
}

/** The route's path on a workspace, with a real member (the "victim") for :memberId. */
function pathOf(route: RouteInfo, ws: string): string {
  return route.path
    .replace(':ws', ws)
    .replace(':memberId', ids[`victim@${ws}.test`] ?? 'missing')
    .replace(':id', 'fc-1')
    .replace(':clientId', SAMPLE_CLIENT_ID)
    .replace(':module', 'asyncEvents')
    .replace(':api', 'events');
}

async function member(ws: string, email: string, role: 'admin' | 'viewer'): Promise<Client> {
  const reply = await operator.change<{ member: { adminId: string } }>(
    'POST',
    `/api/workspaces/${ws}/members`,
    { email, role, password: PASSWORD },
  );
  expect(reply.status).toBe(201);
  ids[email] = reply.body.member.adminId;
  return Client.login(service.url, email, PASSWORD);
}

beforeAll(async () => {
  // the API browser's calls go to a stand-in gateway that answers every request
  gateway = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"count":0}');
  });
  await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
  env.API_BROWSER_GATEWAY_URL = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
  service = await startManagement(env);
  link = await openLink(env);
  respond(link, REMOTE_ANSWERS);
  changes = await watchChanges(link);
  routes = service.app.get(RouteTable).list();
  operator = await Client.login(service.url, OPERATOR.email, OPERATOR.password);
  for (const id of ['iso-a', 'iso-b']) {
    expect((await operator.send('POST', '/api/workspaces', { id, name: id })).status).toBe(201);
  }
  await member('iso-b', 'victim@iso-b.test', 'viewer');
  // B's module-gated changes must pass whatever order the routes come in
  await switchModules(operator, 'iso-b', {
    ipFilter: true,
    signatureCheck: true,
    asyncEvents: true,
  });
  await member('iso-a', 'victim@iso-a.test', 'viewer');
});

afterAll(async () => {
  gateway.close();
  await link.close();
  await service.close();
  await cleanUp(prefix);
});

describe('the route table of the running app', () => {
  it('has every route, each with a declared role', () => {
    expect(routes.length).toBeGreaterThan(15);
    const undeclared = routes.filter((r) => r.role === undefined || !ROUTE_ROLES.includes(r.role));
    expect(undeclared.map(label)).toEqual([]);
  });

  it('needs If-Match on every change of modules, IP lists, enforcement and members', () => {
    const revisioned = routes.filter((route) => route.requiresRevision).map(label);
    expect(revisioned.sort()).toEqual([
      'DELETE /api/workspaces/:ws/members/:memberId',
      'POST /api/workspaces/:ws/members',
      'PUT /api/workspaces/:ws/ip-filter/:api',
      'PUT /api/workspaces/:ws/members/:memberId',
      'PUT /api/workspaces/:ws/modules/:module',
      'PUT /api/workspaces/:ws/signature-enforcement',
    ]);
  });

  it('refuses an anonymous caller on every route that is not public', async () => {
    const anonymous = new Client(service.url);
    for (const route of routes.filter((r) => r.role !== 'public')) {
      const reply = await anonymous.send(route.method, pathOf(route, 'iso-a'), sampleBody(route));
      expect([label(route), reply.status]).toEqual([label(route), 401]);
    }
  });
});

describe('the OpenAPI document', () => {
  it('has every route with its role, its request body schema and a response', async () => {
    const doc = (await (await fetch(`${service.url}/api/docs-json`)).json()) as {
      openapi: string;
      paths: Record<string, Record<string, Record<string, unknown>>>;
    };
    expect(doc.openapi).toMatch(/^3\./);
    const operations = Object.values(doc.paths).flatMap((item) => Object.keys(item));
    expect(operations).toHaveLength(routes.length);
    for (const route of routes) {
      const path = route.path.replace(/:(\w+)/g, '{$1}');
      const operation = doc.paths[path]?.[route.method.toLowerCase()] as
        | {
            [ROLE_EXTENSION]?: string;
            parameters?: { in: string; name: string; required?: boolean }[];
            requestBody?: { content?: Record<string, { schema?: unknown }> };
            responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
          }
        | undefined;
      expect([label(route), operation === undefined]).toEqual([label(route), false]);
      expect([label(route), operation?.[ROLE_EXTENSION]]).toEqual([label(route), route.role]);
      if (MUTATING.has(route.method) && route.hasBody) {
        const schema = operation?.requestBody?.content?.['application/json']?.schema;
        expect([label(route), schema !== undefined]).toEqual([label(route), true]);
      }
      const responses = operation?.responses ?? {};
      const ifMatch = (operation?.parameters ?? []).find(
        (p) => p.in === 'header' && p.name === 'If-Match',
      );
      expect([label(route), ifMatch?.required === true]).toEqual([
        label(route),
        route.requiresRevision,
      ]);
      if (route.requiresRevision) {
        expect([label(route), '412' in responses, '428' in responses]).toEqual([
          label(route),
          true,
          true,
        ]);
      }
      const success = Object.entries(responses).filter(([status]) => /^2\d\d$/.test(status));
      const described = success.some(
        ([status, response]) =>
          status === '204' || response.content?.['application/json']?.schema !== undefined,
      );
      expect([label(route), described]).toEqual([label(route), true]);
      expect([label(route), responses.default?.content?.['application/json']?.schema]).toEqual([
        label(route),
        { $ref: '#/components/schemas/ErrorEnvelopeDto' },
      ]);
    }
  });

  it('is browsable at /api/docs', async () => {
    const page = await fetch(`${service.url}/api/docs`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('swagger-ui-bundle.js');
    const bundle = await fetch(`${service.url}/api/docs/swagger-ui-bundle.js`);
    expect(bundle.status).toBe(200);
    expect((await bundle.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
    const init = await (await fetch(`${service.url}/api/docs/swagger-ui-init.js`)).text();
    expect(init).toContain('/api/docs-json');
  });
});

describe('workspace isolation, over every workspace route', () => {
  it('shows an admin of workspace A nothing of workspace B (404), by cookie or token', async () => {
    const adminA = await member('iso-a', 'admin@iso-a.test', 'admin');
    const token = await adminA.send<{ token: string }>('POST', '/api/tokens', {
      name: 'iso',
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    const callers = [adminA, new Client(service.url).withBearer(token.body.token)];
    for (const caller of callers) {
      for (const route of scoped()) {
        const reply = await caller.send(route.method, pathOf(route, 'iso-b'), sampleBody(route));
        expect([label(route), reply.status, reply.body]).toEqual([
          label(route),
          404,
          { error: { type: 'NotFoundException', code: 300404, message: 'Workspace not found' } },
        ]);
      }
    }
  });

  it('answers unknown workspaces exactly like foreign ones', async () => {
    const adminA = await Client.login(service.url, 'admin@iso-a.test', PASSWORD);
    for (const route of scoped()) {
      const foreign = await adminA.send(route.method, pathOf(route, 'iso-b'), sampleBody(route));
      const unknown = await adminA.send(route.method, pathOf(route, 'iso-zz'), sampleBody(route));
      expect([label(route), unknown.status, unknown.body]).toEqual([
        label(route),
        foreign.status,
        foreign.body,
      ]);
    }
  });

  it('refuses a viewer every change (and operator-only read) on its own workspace, allows every other read', async () => {
    const viewer = await member('iso-a', 'viewer@iso-a.test', 'viewer');
    for (const route of scoped()) {
      const reply = await viewer.send(route.method, pathOf(route, 'iso-a'), sampleBody(route));
      const expected = MUTATING.has(route.method) || route.role === 'operator' ? 403 : 200;
      expect([label(route), reply.status]).toEqual([label(route), expected]);
      if (expected === 403) expect(reply.body).toMatchObject({ error: { code: 300405 } });
    }
  });

  it("lets workspace B's own admin (or an operator, where needed) through every route", async () => {
    const adminB = await member('iso-b', 'admin@iso-b.test', 'admin');
    // changes last among themselves: deleting the victim comes after changing its role
    const order = (r: RouteInfo): number =>
      r.method === 'DELETE' ? 2 : MUTATING.has(r.method) ? 1 : 0;
    const requestIds = new Map<string, string>();
    for (const route of [...scoped()].sort((a, b) => order(a) - order(b))) {
      const caller = route.role === 'operator' ? operator : adminB;
      const requestId = `positive-${requestIds.size}`;
      // a change that needs a revision is made from a fresh read of it (If-Match)
      const reply = await caller.change(route.method, pathOf(route, 'iso-b'), sampleBody(route), {
        headers: { 'x-request-id': requestId },
      });
      expect([label(route), reply.status < 300]).toEqual([label(route), true]);
      // a preview computes and saves nothing, so it leaves no change behind
      if (MUTATING.has(route.method) && !route.path.endsWith('/preview')) {
        requestIds.set(label(route), requestId);
      }
    }
    // every change is in the admin change log, with the workspace and the request id
    await eventually(() => {
      const logged = [...requestIds].filter(([, id]) =>
        changes.some((c) => c.requestId === id && c.workspaceId === 'iso-b'),
      );
      expect(logged.map(([route]) => route)).toEqual([...requestIds.keys()]);
    });
  });
});

describe('the admin change log', () => {
  it('records every successful change outside workspaces too, with its request id', async () => {
    const user = await member('iso-a', 'logged@iso-a.test', 'viewer');
    const others = routes.filter((r) => !r.path.includes('/:ws') && MUTATING.has(r.method));
    // a password change revokes the access tokens: after the token's own revoke
    const order = (r: RouteInfo): number =>
      r.path.endsWith('/logout')
        ? 4
        : r.path === '/api/me/password'
          ? 3
          : r.method === 'DELETE'
            ? 2
            : 1;
    let tokenId = 'none';
    const invited = await operator.change<{ invitation: { url: string } }>(
      'POST',
      '/api/workspaces/iso-a/members',
      { email: 'invited@iso-a.test', role: 'viewer' },
    );
    const invitation = invited.body.invitation.url.split('/').pop() ?? '';
    const requestIds = new Map<string, string>();
    for (const route of others.sort((a, b) => order(a) - order(b))) {
      const caller =
        route.role === 'operator'
          ? operator
          : route.role === 'public'
            ? new Client(service.url)
            : user;
      const requestId = `other-${requestIds.size}`;
      const path = route.path.replace(':id', tokenId).replace(':token', invitation);
      const reply = await caller.send<{ id?: string }>(route.method, path, sampleBody(route), {
        headers: { 'x-request-id': requestId },
      });
      expect([label(route), reply.status < 300]).toEqual([label(route), true]);
      if (route.path === '/api/tokens' && reply.body.id !== undefined) tokenId = reply.body.id;
      requestIds.set(label(route), requestId);
    }
    expect([...requestIds.keys()]).toEqual(
      expect.arrayContaining([
        'POST /api/workspaces',
        'DELETE /api/tokens/:id',
        'POST /api/invitations/:token/accept',
      ]),
    );
    await eventually(() => {
      const logged = [...requestIds].filter(([, id]) => changes.some((c) => c.requestId === id));
      expect(logged.map(([route]) => route)).toEqual([...requestIds.keys()]);
    });
  });
});
