export interface DemoWorkspace {
  readonly id: string;
  /** Present only when this run generated the credentials (the secret is shown once). */
  readonly credentials?: { readonly apiKey: string; readonly apiSecret: string };
  readonly apiKey?: string;
}

interface Session {
  readonly cookie: string;
  readonly csrf: string;
}

async function call(
  base: string,
  session: Session | undefined,
  method: string,
  path: string,
  body?: unknown,
): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (session) {
    headers.cookie = session.cookie;
    headers['x-csrf-token'] = session.csrf;
  }
  return fetch(`${base}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function expectOk(response: Response, what: string): Promise<unknown> {
  if (!response.ok)
    throw new Error(`${what} failed with ${response.status}: ${await response.text()}`);
  return response.json();
}

/**
 * On first start: the demo workspace and its API credentials, created through the management
 * API as the bootstrap operator (the same path an admin takes). Idempotent.
 */
export async function bootstrapDemo(
  management: string,
  admin: { readonly email: string; readonly password: string },
  workspaceId = 'demo',
): Promise<DemoWorkspace> {
  const login = await call(management, undefined, 'POST', '/api/auth/login', admin);
  const { csrfToken } = (await expectOk(login, 'operator login')) as { csrfToken: string };
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const session = { cookie, csrf: csrfToken };
  const existing = await call(management, session, 'GET', `/api/workspaces/${workspaceId}`);
  if (existing.status === 404) {
    await expectOk(
      await call(management, session, 'POST', '/api/workspaces', {
        id: workspaceId,
        name: 'Demo workspace',
      }),
      'creating the demo workspace',
    );
  } else {
    await expectOk(existing, 'reading the demo workspace');
  }
  const current = (await expectOk(
    await call(management, session, 'GET', `/api/workspaces/${workspaceId}/credentials`),
    'reading demo credentials',
  )) as { active: { apiKey: string } | null };
  const apiKey = current.active?.apiKey;
  if (apiKey) return { id: workspaceId, apiKey };
  const generated = (await expectOk(
    await call(management, session, 'POST', `/api/workspaces/${workspaceId}/credentials`, {}),
    'generating demo credentials',
  )) as { apiKey: string; apiSecret: string };
  await call(management, session, 'POST', '/api/auth/logout');
  return {
    id: workspaceId,
    apiKey: generated.apiKey,
    credentials: { apiKey: generated.apiKey, apiSecret: generated.apiSecret },
  };
}
