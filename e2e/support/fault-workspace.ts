import { randomUUID } from 'node:crypto';
import Escher from 'escher-auth';
import { antavoParams } from '@loyalty-edge/escher';
import { within } from '@loyalty-edge/testing';
import {
  revisedWrite,
  send,
  type AdminWrite,
  type Outcome,
  type Outgoing,
  type Probe,
} from './fault-traffic.js';
import { ManagementClient } from './management.js';
import type { TestPlatform } from './platform.js';

/** A workspace set up for the fault tests, with every kind of credential the gateway takes. */
export interface FaultWorkspace {
  readonly id: string;
  readonly apiKey: string;
  readonly apiSecret: string;
  readonly client: { readonly clientId: string; readonly clientSecret: string };
  /** An access token of the auth client (Bearer at the Async Events API). */
  readonly bearer: string;
  /** The operator's personal access token for the management API. */
  readonly adminToken: string;
}

/**
 * A workspace with every module on (no IP list yet), signatures enforced for the Events API,
 * API credentials, an auth client and its token, and an operator access token; resolves once
 * every gateway replica enforces all of it and holds the Escher day key (each replica derives it
 * on its first signed request, over NATS).
 */
export async function setUpFaultWorkspace(
  platform: TestPlatform,
  id: string,
  passPath = '/customers/-/count',
): Promise<FaultWorkspace> {
  const operator = await ManagementClient.login(
    platform.management,
    platform.admin.email,
    platform.admin.password,
  );
  await operator.ok('POST', '/api/workspaces', { id, name: `Faults ${id}` });
  const { token: adminToken } = await operator.ok<{ token: string }>('POST', '/api/tokens', {
    name: `faults ${id}`,
    expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
  });
  for (const module of ['ipFilter', 'signatureCheck', 'asyncEvents']) {
    await mustWrite(platform.management, adminToken, {
      method: 'PUT',
      path: `/api/workspaces/${id}/modules/${module}`,
      body: { enabled: true },
      revisionFrom: `/api/workspaces/${id}`,
    });
  }
  await mustWrite(platform.management, adminToken, {
    method: 'PUT',
    path: `/api/workspaces/${id}/signature-enforcement`,
    body: { apis: ['events'] },
    revisionFrom: `/api/workspaces/${id}/signature-enforcement`,
  });
  const { apiKey, apiSecret } = await operator.ok<{ apiKey: string; apiSecret: string }>(
    'POST',
    `/api/workspaces/${id}/credentials`,
  );
  const options = await operator.ok<{ scopes: string[]; audiences: string[] }>(
    'GET',
    '/api/auth-client-options',
  );
  const client = await operator.ok<{ clientId: string; clientSecret: string }>(
    'POST',
    `/api/workspaces/${id}/auth-clients`,
    {
      name: 'fault tests',
      purpose: 'fault tests',
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      scopes: options.scopes,
      audience: options.audiences[0],
    },
  );
  const gateway = platform.gateways[0] ?? '';
  const issued = await send(gateway, tokenRequest(client));
  if (issued.status !== 200) throw new Error(`token request answered ${issued.status}`);
  const { access_token: bearer } = JSON.parse(issued.body) as { access_token: string };
  const workspace = { id, apiKey, apiSecret, client, bearer, adminToken };
  const warm = standardProbes(workspace, passPath).filter((probe) =>
    ['api_key', 'api_key on an enforced API', 'Escher', 'Bearer'].includes(probe.name),
  );
  for (const base of platform.gateways) {
    for (const probe of warm) {
      await within(
        5000,
        async () => (await send(base, probe.request(base))).status === probe.expected,
      );
    }
  }
  return workspace;
}

/** Like `revisedWrite`, but anything but 2xx is an error. */
async function mustWrite(management: string, token: string, write: AdminWrite): Promise<void> {
  const answer = await revisedWrite(management, token, write);
  if (answer.status < 200 || answer.status >= 300) {
    throw new Error(`${write.method} ${write.path} → ${answer.status} ${answer.body}`);
  }
}

export function tokenRequest(client: FaultWorkspace['client']): Outgoing {
  const basic = Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64');
  return {
    method: 'POST',
    path: '/v1/auth/token',
    headers: {
      authorization: `Basic ${basic}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials&scope=loyalty.async_events',
  };
}

/** An Escher-signed request (escher-auth as the client) for one gateway. */
export function signed(
  gateway: string,
  workspace: Pick<FaultWorkspace, 'apiKey' | 'apiSecret'>,
  method: string,
  path: string,
): Outgoing {
  const client = new Escher({
    ...antavoParams('eu'),
    accessKeyId: workspace.apiKey,
    apiSecret: workspace.apiSecret,
  });
  const request = client.signRequest(
    { method, url: path, headers: [['Host', new URL(gateway).host]] },
    '',
  );
  return { method, path, headers: Object.fromEntries(request.headers) };
}

const json = { 'content-type': 'application/json' };

/**
 * The mix every fault test sends: accepted and refused requests of each credential kind.
 * `passPath` is what accepted api_key and Escher requests ask for (a path of the loyalty
 * backend, or of an upstream that needs no database).
 */
export function standardProbes(
  workspace: Omit<FaultWorkspace, 'adminToken'>,
  passPath = '/customers/-/count',
): Probe[] {
  const { apiKey, bearer } = workspace;
  const withKey = (path: string): string =>
    `${path}${path.includes('?') ? '&' : '?'}api_key=${apiKey}`;
  return [
    {
      name: 'api_key',
      expected: 200,
      audited: true,
      request: () => ({ method: 'GET', path: withKey(passPath) }),
    },
    {
      name: 'api_key, unknown customer (404 from the backend)',
      expected: 404,
      audited: true,
      request: () => ({ method: 'GET', path: withKey('/customers/fault-nobody') }),
    },
    {
      name: 'api_key on an enforced API',
      expected: 401,
      audited: true,
      request: () => ({
        method: 'POST',
        path: withKey('/events'),
        headers: json,
        body: JSON.stringify({ customer: 'fault-c', action: 'point_add', data: { points: 1 } }),
      }),
    },
    {
      name: 'unknown api_key',
      expected: 401,
      audited: false,
      request: () => ({ method: 'GET', path: `${passPath}?api_key=lek_fault_never_issued` }),
    },
    {
      name: 'Escher',
      expected: 200,
      audited: true,
      request: (gateway) => signed(gateway, workspace, 'GET', passPath),
    },
    {
      name: 'Bearer',
      expected: 200,
      audited: true,
      request: () => ({
        method: 'POST',
        path: '/v1/async/events',
        headers: { ...json, authorization: `Bearer ${bearer}` },
        body: JSON.stringify({ customer: `fault-${randomUUID()}`, action: 'opt_in', data: {} }),
      }),
    },
    {
      name: 'Bearer, unknown correlation id (404 from the backend)',
      expected: 404,
      audited: true,
      request: () => ({
        method: 'GET',
        path: `/v1/async/events/${randomUUID()}`,
        headers: { authorization: `Bearer ${bearer}` },
      }),
    },
    {
      name: 'forged Bearer',
      expected: 401,
      audited: false,
      request: () => ({
        method: 'POST',
        path: '/v1/async/events',
        headers: { ...json, authorization: `Bearer ${bearer.slice(0, -4)}AAAA` },
        body: JSON.stringify({ customer: 'fault-forged', action: 'opt_in', data: {} }),
      }),
    },
  ];
}

/** Correlation ids of the async events the platform accepted (200) among these outcomes. */
export function acceptedAsyncEvents(outcomes: readonly Outcome[]): string[] {
  return outcomes
    .filter((outcome) => outcome.probe.name === 'Bearer' && outcome.status === 200)
    .map(
      (outcome) =>
        (JSON.parse(outcome.body) as { payload: { correlation_id: string } }).payload
          .correlation_id,
    );
}

/**
 * Waits until none of the accepted async events is still `queued` or `processing` (or `ms`
 * passed); returns the count per status. An event stuck in the queue is a lost event.
 */
export async function asyncEventStatuses(
  gateway: string,
  workspace: Pick<FaultWorkspace, 'bearer'>,
  ids: readonly string[],
  ms: number,
): Promise<Record<string, number>> {
  const deadline = performance.now() + ms;
  const status = new Map<string, string>();
  let open = [...ids];
  for (;;) {
    for (let i = 0; i < open.length; i += 16) {
      await Promise.all(
        open.slice(i, i + 16).map(async (id) => {
          const answer = await send(gateway, {
            method: 'GET',
            path: `/v1/async/events/${id}`,
            headers: { authorization: `Bearer ${workspace.bearer}` },
          });
          const body =
            answer.status === 200
              ? (JSON.parse(answer.body) as { payload: { status: string } }).payload.status
              : `answered ${answer.status}`;
          status.set(id, body);
        }),
      );
    }
    open = open.filter((id) => ['queued', 'processing'].includes(status.get(id) ?? 'queued'));
    if (open.length === 0 || performance.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const counts: Record<string, number> = {};
  for (const value of status.values()) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

/** Environment for a fault-test platform: no rate limit, lost async publishes retried fast. */
export const FAULT_ENV: Readonly<Record<string, string>> = {
  // the stream is steady, not a burst: rate limits are another test's subject
  RATE_LIMIT_DEFAULT_PER_MINUTE: '0',
  LOYALTY_ASYNC_REPUBLISH_AFTER_MS: '2000',
  LOYALTY_ASYNC_SWEEP_INTERVAL_MS: '500',
};
