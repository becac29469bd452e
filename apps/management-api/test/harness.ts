import {
  AuditChainRpc,
  AuditEvents,
  AuditRpc,
  type ChangeEvent,
} from '@loyalty-edge/audit-contracts';
import { CredentialsRpc } from '@loyalty-edge/credentials-contracts';
import { IpFilterRpc } from '@loyalty-edge/ip-filter-contracts';
import { SignatureRpc } from '@loyalty-edge/signature-contracts';
import { API_IDS, STREAMS } from '@loyalty-edge/contracts';
import { AppError, toWire } from '@loyalty-edge/errors';
import { CSRF_HEADER, SESSION_COOKIE } from '@loyalty-edge/management-contracts';
import { ensureStream, NatsLink } from '@loyalty-edge/nats';
import type { Subscription } from '@nats-io/transport-node';
import { runService, type RunningService } from '@loyalty-edge/runtime';
import { serviceEnv } from '@loyalty-edge/testing';
import { TokenRpc } from '@loyalty-edge/token-contracts';
import { managementApp } from '../src/app.module.js';
import { loadConfig } from '../src/config.js';
import { newClientId, sampleAuthClient, TOKEN_OPTIONS } from './token-stand-in.js';

export const OPERATOR = { email: 'operator@example.test', password: 'operator passphrase 1' };

/** The environment of a management API under test; 127.0.0.1 is a trusted proxy. */
export function managementEnv(
  prefix: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return serviceEnv(prefix, {
    BOOTSTRAP_ADMIN_EMAIL: OPERATOR.email,
    BOOTSTRAP_ADMIN_PASSWORD: OPERATOR.password,
    TRUSTED_PROXIES: '127.0.0.1, ::1',
    NATS_REQUEST_TIMEOUT_MS: '1000',
    ...extra,
  });
}

/**
 * Starts the app in-process. The AUDIT stream is created first (the audit service owns it in a
 * deployment): without it, change events would wait in the publisher's buffer.
 */
export async function startManagement(env: Record<string, string>): Promise<RunningService> {
  const link = await openLink(env);
  try {
    await ensureStream(link, STREAMS.audit, 600);
  } finally {
    await link.close();
  }
  return runService(managementApp(loadConfig(env)));
}

export async function openLink(env: Record<string, string>): Promise<NatsLink> {
  return NatsLink.open(loadConfig(env).common.nats, 'test');
}

export interface Reply<T = unknown> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

let ipCounter = 0;
/** A client address of its own (sent as X-Forwarded-For through the trusted 127.0.0.1). */
export function nextIp(): string {
  ipCounter += 1;
  return `198.51.${Math.floor(ipCounter / 250)}.${(ipCounter % 250) + 1}`;
}

/** Calls the API as one caller: a session (cookie + CSRF token), a Bearer token, or nobody. */
export class Client {
  cookie: string | undefined;
  csrfToken: string | undefined;
  bearer: string | undefined;

  constructor(
    readonly base: string,
    readonly ip: string = nextIp(),
  ) {}

  static async login(base: string, email: string, password: string): Promise<Client> {
    const client = new Client(base);
    const reply = await client.login(email, password);
    if (reply.status !== 200) throw new Error(`login of ${email} failed: ${reply.status}`);
    return client;
  }

  async login(email: string, password: string): Promise<Reply<{ csrfToken?: string }>> {
    const reply = await this.send<{ csrfToken?: string }>('POST', '/api/auth/login', {
      email,
      password,
    });
    const cookie = reply.headers
      .getSetCookie()
      .find((line) => line.startsWith(`${SESSION_COOKIE}=`));
    if (reply.status === 200 && cookie !== undefined) {
      this.cookie = cookie.split(';')[0]?.slice(SESSION_COOKIE.length + 1);
      this.csrfToken = reply.body.csrfToken;
    }
    return reply;
  }

  withBearer(token: string): Client {
    const client = new Client(this.base, this.ip);
    client.bearer = token;
    return client;
  }

  /** The ETag of a read; undefined when it answers none (not found, not allowed). */
  async etag(path: string): Promise<string | undefined> {
    const reply = await this.send('GET', path);
    return reply.headers.get('etag') ?? undefined;
  }

  /**
   * A change made from a fresh read: the ETag of the resource it changes goes as If-Match (as
   * the admin web app and careful automation send it). Routes without revisions: as `send`.
   */
  async change<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    options: { csrf?: boolean; headers?: Record<string, string> } = {},
  ): Promise<Reply<T>> {
    const source = revisionSourceOf(path);
    const etag = source === undefined ? undefined : await this.etag(source);
    const headers = etag === undefined ? options.headers : { 'if-match': etag, ...options.headers };
    return this.send<T>(method, path, body, { ...options, ...(headers ? { headers } : {}) });
  }

  async send<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    options: { csrf?: boolean; headers?: Record<string, string> } = {},
  ): Promise<Reply<T>> {
    const headers: Record<string, string> = { 'x-forwarded-for': this.ip, ...options.headers };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.cookie !== undefined) headers.cookie = `${SESSION_COOKIE}=${this.cookie}`;
    if (this.csrfToken !== undefined && options.csrf !== false) {
      headers[CSRF_HEADER] = this.csrfToken;
    }
    if (this.bearer !== undefined) headers.authorization = `Bearer ${this.bearer}`;
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    const type = response.headers.get('content-type') ?? '';
    const parsed: unknown =
      type.includes('application/json') && text !== '' ? JSON.parse(text) : text;
    return { status: response.status, body: parsed as T, headers: response.headers };
  }
}

/**
 * Where a change's revision is read: the resource whose ETag its `If-Match` names (modules →
 * the workspace, a member → the members list); undefined for routes without revisions.
 */
export function revisionSourceOf(path: string): string | undefined {
  const bare = path.split('?')[0] ?? path;
  const modules = /^(\/api\/workspaces\/[^/]+)\/modules\/[^/]+$/.exec(bare);
  if (modules) return modules[1];
  const members = /^(\/api\/workspaces\/[^/]+\/members)(\/[^/]+)?$/.exec(bare);
  if (members) return members[1];
  if (/^\/api\/workspaces\/[^/]+\/(ip-filter\/[^/]+|signature-enforcement)$/.test(bare))
    return bare;
  return undefined;
}

/** Collects the admin change events the service publishes (the AUDIT stream must exist). */
export async function watchChanges(link: NatsLink): Promise<ChangeEvent[]> {
  const events: ChangeEvent[] = [];
  link.connection.subscribe(link.subject(AuditEvents.change.subject), {
    callback: (error, message) => {
      if (!error) events.push(message.json<ChangeEvent>());
    },
  });
  await link.connection.flush();
  return events;
}

/**
 * Answers request/reply subjects in place of other services (credentials, audit, token) on the
 * test's NATS prefix: `answer` gets the request and returns the `ok` value, or throws an
 * AppError, answered as the service's error.
 */
export function respond(
  link: NatsLink,
  answers: Readonly<Record<string, (request: Record<string, unknown>) => unknown>>,
): Subscription[] {
  return Object.entries(answers).map(([subject, answer]) =>
    link.connection.subscribe(link.subject(subject), {
      callback: (error, message) => {
        if (error) return;
        const request = message.json<Record<string, unknown>>();
        let reply: unknown;
        try {
          reply = { ok: answer(request) };
        } catch (caught) {
          if (!(caught instanceof AppError)) throw caught;
          reply = { error: toWire(caught) };
        }
        message.respond(JSON.stringify(reply));
      },
    }),
  );
}

/** A well-formed auth client id the sample answers know. */
export const SAMPLE_CLIENT_ID = newClientId();

/** Remote answers good enough for every route: empty audit pages, fixed credentials. */
export const REMOTE_ANSWERS: Readonly<
  Record<string, (request: Record<string, unknown>) => unknown>
> = {
  [CredentialsRpc.getActive.subject]: (request) => ({
    apiKey: 'lek_sample',
    workspaceId: request.workspaceId,
    status: 'active',
    version: 1,
    createdAt: new Date().toISOString(),
    createdBy: 'someone',
  }),
  [CredentialsRpc.generate.subject]: (request) => ({
    apiKey: 'lek_sample',
    apiSecret: 'les_sample_secret',
    workspaceId: request.workspaceId,
    status: 'active',
    version: 1,
    createdAt: new Date().toISOString(),
    createdBy: 'someone',
  }),
  [AuditRpc.changes.subject]: () => ({ items: [], nextCursor: null }),
  [AuditChainRpc.verify.subject]: (request) => ({
    workspaceId: request.workspaceId,
    ok: true,
    anchoredAt: null,
    logs: [],
  }),
  [AuditRpc.clientIps.subject]: () => [{ ip: '203.0.113.7', requests: 12 }],
  [AuditRpc.keyUsage.subject]: (request) => ({
    lastUsedOn: '2026-11-30',
    clientIps: 2,
    requests: 40,
    days: request.days,
  }),
  [IpFilterRpc.getLists.subject]: (request) => ({
    workspaceId: request.workspaceId,
    apis: API_IDS.map((api) => ({
      api,
      entries: [],
      updatedAt: null,
      updatedBy: null,
      revision: 0,
    })),
    revision: 0,
  }),
  [IpFilterRpc.update.subject]: (request) => ({
    workspaceId: request.workspaceId,
    list: { api: request.api, entries: [], updatedAt: null, updatedBy: null, revision: 1 },
    before: [],
    merged: [],
    changed: true,
    revision: 1,
  }),
  [IpFilterRpc.preview.subject]: (request) => ({
    workspaceId: request.workspaceId,
    api: request.api,
    entries: [],
    merged: [],
    filtering: true,
    blocked: [{ ip: '203.0.113.7', requests: 12 }],
    unrecognized: [],
    totals: { clients: 1, requests: 12, blockedClients: 1, blockedRequests: 12 },
  }),
  [SignatureRpc.getEnforcement.subject]: (request) => ({
    workspaceId: request.workspaceId,
    apis: [],
    updatedAt: null,
    updatedBy: null,
    revision: 0,
  }),
  [SignatureRpc.setEnforcement.subject]: (request) => ({
    workspaceId: request.workspaceId,
    apis: request.apis,
    before: [],
    updatedAt: new Date().toISOString(),
    updatedBy: 'someone',
    revision: 1,
  }),
  [TokenRpc.options.subject]: () => TOKEN_OPTIONS,
  [TokenRpc.listClients.subject]: () => [],
  [TokenRpc.getClient.subject]: (request) =>
    sampleAuthClient(String(request.workspaceId), String(request.clientId)),
  [TokenRpc.createClient.subject]: (request) => ({
    ...sampleAuthClient(String(request.workspaceId), SAMPLE_CLIENT_ID),
    clientSecret: 'lecs_sample_secret',
  }),
  // a revoke that changed something (the sample client above is active), so it is logged
  [TokenRpc.revokeClient.subject]: (request) =>
    sampleAuthClient(String(request.workspaceId), String(request.clientId), {
      status: 'revoked',
      revokedAt: new Date().toISOString(),
      revokedBy: 'someone',
    }),
  [AuditRpc.authClients.subject]: () => ({ items: [], nextCursor: null }),
  [AuditRpc.tokens.subject]: () => ({ items: [], nextCursor: null }),
  [AuditRpc.failedCalls.subject]: () => ({ items: [], nextCursor: null }),
  [AuditRpc.failedCall.subject]: (request) => ({
    id: request.id,
    workspaceId: request.workspaceId,
    at: new Date().toISOString(),
    api: 'events',
    clientIp: '203.0.113.1',
    requestId: 'r1',
    reason: 'ip_denied',
    durationMs: 1,
    request: { method: 'POST', url: '/events', headers: {}, body: '' },
    response: { status: 403, headers: {}, body: '' },
  }),
};

export interface CapturedOutput {
  text(): string;
  restore(): void;
}

/** Records what the process writes to stdout (the services' JSON logs), still printing it. */
export function captureStdout(): CapturedOutput {
  const chunks: string[] = [];
  const realWrite = process.stdout.write.bind(process.stdout);
  process.stdout.write = (chunk: string | Uint8Array, ...rest: never[]) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return realWrite(chunk, ...rest);
  };
  return {
    text: () => chunks.join(''),
    restore: () => {
      process.stdout.write = realWrite;
    },
  };
}

/** Switches each given module in turn, one request each, from a fresh read (operators). */
export async function switchModules(
  operator: Client,
  ws: string,
  modules: Partial<Record<'ipFilter' | 'signatureCheck' | 'asyncEvents', boolean>>,
): Promise<void> {
  for (const [module, enabled] of Object.entries(modules)) {
    const reply = await operator.change('PUT', `/api/workspaces/${ws}/modules/${module}`, {
      enabled,
    });
    if (reply.status !== 200) {
      throw new Error(`switching ${module} of ${ws} answered ${reply.status}`);
    }
  }
}
