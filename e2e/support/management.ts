export interface Reply<T> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

/** The management API as an admin's browser or automation uses it: session cookie + CSRF token. */
export class ManagementClient {
  private constructor(
    private readonly base: string,
    private readonly cookie: string,
    private readonly csrf: string,
  ) {}

  static async login(base: string, email: string, password: string): Promise<ManagementClient> {
    const response = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    if (response.status !== 200)
      throw new Error(`login failed: ${response.status} ${await response.text()}`);
    const { csrfToken } = (await response.json()) as { csrfToken: string };
    const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    return new ManagementClient(base, cookie, csrfToken);
  }

  async call<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    extraHeaders: Record<string, string> = {},
  ): Promise<Reply<T>> {
    const headers: Record<string, string> = {
      cookie: this.cookie,
      'x-csrf-token': this.csrf,
      ...extraHeaders,
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: (text === '' ? undefined : JSON.parse(text)) as T,
      headers: response.headers,
    };
  }

  /**
   * A change made from a fresh read: the ETag of what it changes (`revisionSourceOf`) goes as
   * If-Match, as the admin web app sends it.
   */
  async change<T = unknown>(method: string, path: string, body?: unknown): Promise<Reply<T>> {
    const source = revisionSourceOf(path);
    if (source === undefined) return this.call<T>(method, path, body);
    const read = await this.call('GET', source);
    const etag = read.headers.get('etag');
    return this.call<T>(method, path, body, etag === null ? {} : { 'if-match': etag });
  }

  /** `change`, and a non-2xx answer is an error. */
  async changeOk<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const reply = await this.change<T>(method, path, body);
    if (reply.status >= 300)
      throw new Error(`${method} ${path} → ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body;
  }

  /** Switches each given module, one request each (operators). */
  async switchModules(ws: string, modules: Record<string, boolean>): Promise<void> {
    for (const [module, enabled] of Object.entries(modules)) {
      await this.changeOk('PUT', `/api/workspaces/${ws}/modules/${module}`, { enabled });
    }
  }

  /** Like `call`, but a non-2xx answer is an error (with the answer in its message). */
  async ok<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const reply = await this.call<T>(method, path, body);
    if (reply.status >= 300)
      throw new Error(`${method} ${path} → ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body;
  }
}

/**
 * Where the revision of a change is read: modules → the workspace, a member → the members list,
 * an IP list and the enforcement set → themselves; undefined for routes without revisions.
 */
export function revisionSourceOf(path: string): string | undefined {
  const modules = /^(\/api\/workspaces\/[^/]+)\/modules\/[^/]+$/.exec(path);
  if (modules) return modules[1];
  const members = /^(\/api\/workspaces\/[^/]+\/members)(\/[^/]+)?$/.exec(path);
  if (members) return members[1];
  return /^\/api\/workspaces\/[^/]+\/(ip-filter\/[^/]+|signature-enforcement)$/.test(path)
    ? path
    : undefined;
}
