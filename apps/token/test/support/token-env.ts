import { randomBytes } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import pg from 'pg';
import { STREAMS } from '@loyalty-edge/contracts';
import type { NatsLink } from '@loyalty-edge/nats';
import { ServiceTest } from '@loyalty-edge/service-testing';
import type { CreateAuthClientRequest } from '@loyalty-edge/token-contracts';
import { tokenApp } from '../../src/app.module.js';
import { loadConfig, type TokenConfig } from '../../src/config.js';

export const AUDIENCE = 'https://gw.example.com/v1/async/events';
export const SCOPES = ['loyalty.async_events', 'loyalty.other'];
export const actor = { type: 'admin' as const, id: 'admin-1', email: 'admin@example.com' };

export type TokenTest = ServiceTest<TokenConfig>;

/** The token service under test, with its own key-encryption key and this issuer's settings. */
export function tokenTest(extra: Record<string, string> = {}): TokenTest {
  return new ServiceTest(loadConfig, tokenApp, {
    TOKEN_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    TOKEN_ISSUER: 'https://gw.example.com/',
    TOKEN_SCOPES: SCOPES.join(','),
    TOKEN_AUDIENCES: `${AUDIENCE},loyalty-api`,
    ...extra,
  });
}

export function inSeconds(seconds: number): string {
  return new Date(Date.now() + seconds * 1000).toISOString();
}

export function newClient(
  workspaceId: string,
  overrides: Partial<CreateAuthClientRequest> = {},
): CreateAuthClientRequest {
  return {
    workspaceId,
    name: 'Checkout',
    purpose: 'Sends purchase events',
    expiresAt: inSeconds(30 * 86_400),
    scopes: ['loyalty.async_events'],
    audience: AUDIENCE,
    actor,
    source: 'ui',
    requestId: 'req-1',
    ...overrides,
  };
}

/** Runs SQL in the token service's schema of the test's prefix (`$schema` is replaced). */
export async function sql<R extends Record<string, unknown>>(
  test: TokenTest,
  text: string,
  params: unknown[] = [],
): Promise<R[]> {
  const client = new pg.Client({ connectionString: test.env.DATABASE_URL });
  await client.connect();
  try {
    const query = text.replaceAll('$schema', `"${test.prefix}_token"`);
    return (await client.query<R>(query, params)).rows;
  } finally {
    await client.end();
  }
}

/** Every message on the prefix's AUDIT stream with this subject, parsed. */
export async function auditMessages<T>(link: NatsLink, subject: string): Promise<T[]> {
  const jsm = await jetstreamManager(link.connection);
  const stream = link.name(STREAMS.audit.name);
  const info = await jsm.streams.info(stream);
  const found: T[] = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq += 1) {
    const message = await jsm.streams.getMessage(stream, { seq }).catch(() => null);
    if (message?.subject === link.subject(subject)) found.push(message.json<T>());
  }
  return found;
}
