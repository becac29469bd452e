// What the deploy checks share: their report lines (every check script: check.mjs, the chart's
// and the image's too); and for the checks that run the platform (check-services.mjs,
// check-upgrade.mjs), besides its processes (platform-processes.mjs), plain HTTP requests and the
// admin's session with the management API.
import http from 'node:http';

/** How many lines of each kind were reported, for the summary. */
export const results = { ok: 0, fail: 0, skip: 0, warn: 0 };

/**
 * @param {keyof typeof results} kind
 * @param {string} text
 */
export function report(kind, text) {
  results[kind] += 1;
  console.log(`${{ ok: '  ok  ', fail: '  FAIL', skip: '  SKIP', warn: '  WARN' }[kind]} ${text}`);
}

/** A flow the management API does not offer yet: skipped, not failed. */
export class NotThereYet extends Error {}

/**
 * Runs one check: ok with the detail `fn` resolves to, skipped on NotThereYet, else failed with
 * the error's message.
 * @param {string} text
 * @param {() => string | void | Promise<string | void>} fn returns or resolves to a detail shown
 *   after the text
 */
export async function check(text, fn) {
  try {
    const detail = await fn();
    report('ok', detail ? `${text} (${detail})` : text);
    return true;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    report(error instanceof NotThereYet ? 'skip' : 'fail', `${text}: ${message}`);
    return false;
  }
}

/** @typedef {{ status: number, body: string }} Reply status 0: no answer (body: why) */

/**
 * One request on a connection of its own (no keep-alive pool: a process that stops closes no
 * pooled connection under the next request), given up after 10 s.
 * @param {string} base
 * @param {{ method?: string, path: string, headers?: Record<string, string>, body?: string }} request
 * @returns {Promise<Reply>}
 */
export function send(base, { method = 'GET', path, headers = {}, body }) {
  const url = new URL(base);
  return new Promise((resolve) => {
    const req = http.request(
      { host: url.hostname, port: url.port, method, path, headers, agent: false, timeout: 10_000 },
      (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on('error', (error) => resolve({ status: 0, body: String(error) }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (error) => resolve({ status: 0, body: String(error.message) }));
    req.end(body);
  });
}

/** The admin's session with the management API. */
export class Admin {
  /**
   * @param {string} base
   * @param {string} csrf
   * @param {string} cookie
   */
  constructor(base, csrf, cookie) {
    this.base = base;
    this.csrf = csrf;
    this.cookie = cookie;
  }

  /**
   * @param {string} base
   * @param {string} email
   * @param {string} password
   */
  static async login(base, email, password) {
    const res = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    if (res.status !== 200) throw new Error(`login ${res.status} ${await res.text()}`);
    const { csrfToken } = /** @type {{ csrfToken: string }} */ (await res.json());
    return new Admin(base, csrfToken, (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '');
  }

  /**
   * The parsed answer of a request that must succeed (undefined when it is empty).
   * @param {string} method
   * @param {string} path
   * @param {unknown} [body]
   * @param {Record<string, string>} [extraHeaders]
   */
  async ok(method, path, body, extraHeaders = {}) {
    /** @type {Record<string, string>} */
    const headers = { cookie: this.cookie, 'x-csrf-token': this.csrf, ...extraHeaders };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status === 404 && text.includes('Cannot ')) {
      throw new NotThereYet(`${method} ${path} is not in the management API yet`);
    }
    if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status} ${text}`);
    return text === '' ? undefined : JSON.parse(text);
  }

  /**
   * A change made from a fresh read of `source`: its ETag goes as If-Match.
   * @param {string} source
   * @param {string} method
   * @param {string} path
   * @param {unknown} body
   */
  async change(source, method, path, body) {
    const res = await fetch(`${this.base}${source}`, { headers: { cookie: this.cookie } });
    await res.body?.cancel();
    const etag = res.headers.get('etag');
    if (res.status !== 200 || etag === null)
      throw new Error(`GET ${source} → ${res.status}, no ETag`);
    return this.ok(method, path, body, { 'if-match': etag });
  }

  /** Switches modules of a workspace, one request each (operators). */
  async switchModules(ws, modules) {
    for (const [module, enabled] of Object.entries(modules)) {
      await this.change(`/api/workspaces/${ws}`, 'PUT', `/api/workspaces/${ws}/modules/${module}`, {
        enabled,
      });
    }
  }
}
