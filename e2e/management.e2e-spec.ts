import { within } from '@loyalty-edge/testing';
import { ManagementClient } from './support/management.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

let platform: TestPlatform;

beforeAll(async () => {
  platform = await startTestPlatform();
});

afterAll(async () => {
  await platform.shutdown();
});

interface Workspace {
  id: string;
  role: string;
  modules: { ipFilter: boolean; signatureCheck: boolean; asyncEvents: boolean };
}

describe('the bootstrap operator, through the management API of the running platform', () => {
  it('logs in, creates a workspace, adds an admin and enables modules; the admin then manages it', async () => {
    const operator = await ManagementClient.login(
      platform.management,
      platform.admin.email,
      platform.admin.password,
    );
    const me = await operator.ok<{ user: { email: string; operator: boolean } }>('GET', '/api/me');
    expect(me.user).toMatchObject({ email: platform.admin.email, operator: true });

    await operator.ok('POST', '/api/workspaces', { id: 'brand-x', name: 'Brand X' });
    // an operator may give a new account its initial password (workspace admins only invite)
    const added = await operator.change<{ member: { role: string; status: string } }>(
      'POST',
      '/api/workspaces/brand-x/members',
      {
        email: 'admin@brand-x.test',
        role: 'admin',
        password: 'correct horse battery staple 42',
      },
    );
    expect([added.status, added.body.member.role, added.body.member.status]).toEqual([
      201,
      'admin',
      'active',
    ]);
    await operator.switchModules('brand-x', { ipFilter: true });
    const modules = await operator.changeOk<Workspace>(
      'PUT',
      '/api/workspaces/brand-x/modules/signatureCheck',
      { enabled: true },
    );
    expect(modules.modules).toEqual({ ipFilter: true, signatureCheck: true, asyncEvents: false });

    const admin = await ManagementClient.login(
      platform.management,
      'admin@brand-x.test',
      'correct horse battery staple 42',
    );
    const mine = await admin.ok<Workspace[]>('GET', '/api/workspaces');
    expect(mine.map((w) => [w.id, w.role])).toEqual([['brand-x', 'admin']]);
    expect(
      (await admin.change('PUT', '/api/workspaces/brand-x/modules/ipFilter', { enabled: false }))
        .status,
    ).toBe(403);
    expect((await admin.call('POST', '/api/workspaces/brand-x/credentials')).status).toBe(201);
    expect((await admin.call('GET', '/api/workspaces/demo-nope')).status).toBe(404);

    // the change log arrives through the AUDIT stream, a moment after each change
    let actions: string[] = [];
    await within(5000, async () => {
      const changes = await admin.ok<{ items: { action: string }[] }>(
        'GET',
        '/api/workspaces/brand-x/audit/changes',
      );
      actions = changes.items.map((c) => c.action);
      return actions.includes('credentials.generated');
    });
    expect(actions).toEqual(
      expect.arrayContaining([
        'workspace.created',
        'workspace.member.added',
        'workspace.modules.updated',
        'credentials.generated',
      ]),
    );
  });

  it('serves the OpenAPI document', async () => {
    const document = (await (await fetch(`${platform.management}/api/docs-json`)).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/api/workspaces/{ws}/ip-filter/{api}',
        '/api/workspaces/{ws}/signature-enforcement',
      ]),
    );
  });
});
