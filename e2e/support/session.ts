export interface Answer<T = unknown> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

/**
 * One admin's session on the management API (cookie + CSRF token), with the revision a change
 * names sent as If-Match when the resource read gave one (settings guarded by ETags).
 */
export class Session {
  private constructor(
    private readonly base: string,
    private readonly cookie: string,
    private readonly csrf: string,
  ) {}

  static async login(base: string, email: string, password: string): Promise<Session> {
    const response = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    if (response.status !== 200) throw new Error(`login of ${email}: ${response.status}`);
    const { csrfToken } = (await response.json()) as { csrfToken: string };
    const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    return new Session(base, cookie, csrfToken);
  }

  async call<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Answer<T>> {
    const all: Record<string, string> = {
      cookie: this.cookie,
      'x-csrf-token': this.csrf,
      ...headers,
    };
    if (body !== undefined) all['content-type'] = 'application/json';
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers: all,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: (text === '' ? undefined : JSON.parse(text)) as T,
      headers: response.headers,
    };
  }

  async ok<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<T> {
    const answer = await this.call<T>(method, path, body, headers);
    if (answer.status >= 300) {
      throw new Error(`${method} ${path} → ${answer.status} ${JSON.stringify(answer.body)}`);
    }
    return answer.body;
  }

  /** A change of `path` made from the revision `read` (default: `path`) answers. */
  async change<T = unknown>(method: string, path: string, body: unknown, read = path): Promise<T> {
    const etag = (await this.call('GET', read)).headers.get('etag');
    return this.ok<T>(method, path, body, etag === null ? {} : { 'if-match': etag });
  }

  /** Switches a module on (one module per request, or the older whole-object form). */
  async enableModule(
    ws: string,
    module: 'ipFilter' | 'signatureCheck' | 'asyncEvents',
  ): Promise<void> {
    const read = `/api/workspaces/${ws}`;
    const etag = (await this.call('GET', read)).headers.get('etag');
    const ifMatch: Record<string, string> = etag === null ? {} : { 'if-match': etag };
    const one = await this.call('PUT', `${read}/modules/${module}`, { enabled: true }, ifMatch);
    if (one.status < 300) return;
    const current = await this.ok<{ modules: Record<string, boolean> }>('GET', read);
    await this.ok('PUT', `${read}/modules`, { ...current.modules, [module]: true }, ifMatch);
  }
}
