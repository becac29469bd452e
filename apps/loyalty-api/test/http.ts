/** A tiny fetch client for the tests: the gateway's trusted headers, JSON in and out. */
export interface Reply<T = unknown> {
  readonly status: number;
  readonly body: T;
}

export function client(baseUrl: string) {
  return async <T = unknown>(
    method: 'GET' | 'POST',
    path: string,
    options: { workspace?: string | null; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<Reply<T>> => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.workspace !== null) headers['x-le-workspace-id'] = options.workspace ?? 'ws-a';
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers,
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
    return { status: response.status, body: (await response.json()) as T };
  };
}
