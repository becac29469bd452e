import { randomBytes } from 'node:crypto';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import pg from 'pg';

/** A prefix unique to this test file's run, for schemas, subjects, streams and buckets. */
export function uniquePrefix(): string {
  return `t${randomBytes(4).toString('hex')}`;
}

/** Environment for a service under test: the live services, isolated by the prefix. */
export function serviceEnv(
  prefix: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    DATABASE_URL: requireEnv('DATABASE_URL'),
    NATS_URL: requireEnv('NATS_URL'),
    NATS_PREFIX: prefix,
    DB_SCHEMA_PREFIX: `${prefix}_`,
    PORT: '0',
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

function requireEnv(name: 'DATABASE_URL' | 'NATS_URL'): string {
  const value = process.env[name];
  if (!value)
    throw new Error(`${name} is not set: run tests through the jest projects' global set-up`);
  return value;
}

/** Drops every schema, stream and KV bucket the prefix created. */
export async function cleanUp(prefix: string): Promise<void> {
  const client = new pg.Client({ connectionString: requireEnv('DATABASE_URL') });
  await client.connect();
  try {
    const { rows } = await client.query<{ nspname: string }>(
      'SELECT nspname FROM pg_namespace WHERE nspname LIKE $1',
      [`${prefix}\\_%`],
    );
    for (const { nspname } of rows) await client.query(`DROP SCHEMA "${nspname}" CASCADE`);
  } finally {
    await client.end();
  }
  const nc = await connect({ servers: requireEnv('NATS_URL') });
  try {
    const jsm = await jetstreamManager(nc);
    for await (const name of jsm.streams.names()) {
      if (name.startsWith(`${prefix}_`) || name.startsWith(`KV_${prefix}_`)) {
        await jsm.streams.delete(name);
      }
    }
  } finally {
    await nc.close();
  }
}
