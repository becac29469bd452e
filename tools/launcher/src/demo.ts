export interface DemoWorkspace {
  readonly id: string;
  /** Present only when this run generated the credentials (the secret is shown once). */
  readonly credentials?: { readonly apiKey: string; readonly apiSecret: string };
  readonly apiKey?: string;
  /** Present only when this run created the demo auth client (its secret is shown once). */
  readonly authClient?: { readonly clientId: string; readonly clientSecret: string };
  readonly authClientId?: string;
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
  extraHeaders: Record<string, string> = {},
): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json', ...extraHeaders };
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

async function ensureWorkspace(base: string, session: Session, id: string): Promise<void> {
  const existing = await call(base, session, 'GET', `/api/workspaces/${id}`);
  if (existing.status === 404) {
    await expectOk(
      await call(base, session, 'POST', '/api/workspaces', { id, name: 'Demo workspace' }),
      'creating the demo workspace',
    );
    // the demo shows every part of the product: Async Events (and its auth clients) on, one
    // module per request, made from the revision just read (If-Match)
    const read = await call(base, session, 'GET', `/api/workspaces/${id}`);
    await read.body?.cancel();
    const ifMatch = { 'if-match': read.headers.get('etag') ?? '' };
    const path = `/api/workspaces/${id}/modules/asyncEvents`;
    await expectOk(
      await call(base, session, 'PUT', path, { enabled: true }, ifMatch),
      'enabling Async Events on the demo workspace',
    );
  } else {
    await expectOk(existing, 'reading the demo workspace');
  }
}

async function ensureCredentials(
  base: string,
  session: Session,
  id: string,
): Promise<Pick<DemoWorkspace, 'apiKey' | 'credentials'>> {
  const current = (await expectOk(
    await call(base, session, 'GET', `/api/workspaces/${id}/credentials`),
    'reading demo credentials',
  )) as { active: { apiKey: string } | null };
  if (current.active) return { apiKey: current.active.apiKey };
  const generated = (await expectOk(
    await call(base, session, 'POST', `/api/workspaces/${id}/credentials`, {}),
    'generating demo credentials',
  )) as { apiKey: string; apiSecret: string };
  return { apiKey: generated.apiKey, credentials: generated };
}

async function ensureAuthClient(
  base: string,
  session: Session,
  id: string,
): Promise<Pick<DemoWorkspace, 'authClientId' | 'authClient'>> {
  const listed = (await expectOk(
    await call(base, session, 'GET', `/api/workspaces/${id}/auth-clients`),
    'reading demo auth clients',
  )) as { moduleEnabled: boolean; clients: { clientId: string; status: string }[] };
  const active = listed.clients.find((client) => client.status === 'active');
  if (active) return { authClientId: active.clientId };
  if (!listed.moduleEnabled) return {};
  const options = (await expectOk(
    await call(base, session, 'GET', '/api/auth-client-options'),
    'reading auth client options',
  )) as { scopes: string[]; audiences: string[]; maxExpiryDays: number };
  const expiresAt = new Date(Date.now() + Math.min(365, options.maxExpiryDays) * 86_400_000);
  const created = (await expectOk(
    await call(base, session, 'POST', `/api/workspaces/${id}/auth-clients`, {
      name: 'Demo client',
      purpose: 'Try the Async Events API with a Bearer token',
      expiresAt: expiresAt.toISOString(),
      scopes: options.scopes,
      audience: options.audiences[0],
    }),
    'creating the demo auth client',
  )) as { clientId: string; clientSecret: string };
  return { authClientId: created.clientId, authClient: created };
}

/**
 * On first start: the demo workspace (Async Events on), its API credentials and an auth client,
 * created through the management API as the bootstrap operator (the path an admin takes).
 * Idempotent: later starts find them and show no secret.
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
  try {
    await ensureWorkspace(management, session, workspaceId);
    const credentials = await ensureCredentials(management, session, workspaceId);
    const authClient = await ensureAuthClient(management, session, workspaceId);
    return { id: workspaceId, ...credentials, ...authClient };
  } finally {
    await call(management, session, 'POST', '/api/auth/logout');
  }
}
