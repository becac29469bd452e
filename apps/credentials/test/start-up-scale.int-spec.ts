import { randomBytes } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import type { KV } from '@nats-io/kv';
import pg from 'pg';
import { KV_BUCKETS } from '@loyalty-edge/contracts';
import { openDatabase } from '@loyalty-edge/db';
import { openBucket } from '@loyalty-edge/nats';
import { ServiceTest } from '@loyalty-edge/service-testing';
import { eventually } from '@loyalty-edge/testing';
import { credentialsApp } from '../src/app.module.js';
import { loadConfig } from '../src/config.js';
import { CreateApiKeys1733000000000 } from '../src/migrations/1733000000000-create-api-keys.js';

// 100,000 API keys: a start must not write them to NATS again, and must stay quick.
const KEYS = 100_000;
const test = new ServiceTest(loadConfig, credentialsApp, {
  CREDENTIALS_KEK: `k1:${randomBytes(32).toString('base64')}`,
});
const schema = `${test.prefix}_credentials`;
const keyOf = (i: number): string => `lek_scale${String(i).padStart(20, '0')}`;
let bucket: KV;

async function sql(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: test.env.DATABASE_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

const lastSeq = async (): Promise<number> => (await bucket.status()).streamInfo.state.last_seq;

/** Starts the service, stops it, and reports how long the start took and how many writes it made. */
async function start(label: string): Promise<{ ms: number; writes: number }> {
  const before = await lastSeq();
  const started = performance.now();
  const service = await test.start();
  const ms = performance.now() - started;
  await test.stop(service);
  const writes = (await lastSeq()) - before;
  process.stdout.write(
    `${label}: start ${ms.toFixed(0)} ms, ${writes} KV write(s) for ${KEYS} keys\n`,
  );
  return { ms, writes };
}

beforeAll(async () => {
  // the database and bucket as the previous version left them: table only, bucket equal to it
  const dataSource = await openDatabase({
    ...test.config.database,
    entities: [],
    migrations: [CreateApiKeys1733000000000],
  });
  await dataSource.destroy();
  await sql(`
    INSERT INTO "${schema}".api_keys
      (workspace_id, api_key, secret_ciphertext, wrapped_key, kek_id, status, version, created_by)
    SELECT 'ws' || i, 'lek_scale' || lpad(i::text, 20, '0'), '\\x00', '\\x00', 'k1', 'active', 1, 'scale'
    FROM generate_series(0, ${KEYS - 1}) AS i`);
  bucket = await openBucket(await test.connect(), KV_BUCKETS.apiKeys);
  const encoder = new TextEncoder();
  for (let i = 0; i < KEYS; i += 500) {
    await Promise.all(
      Array.from({ length: Math.min(500, KEYS - i) }, (_, j) =>
        bucket.put(
          keyOf(i + j),
          encoder.encode(
            JSON.stringify({ workspaceId: `ws${i + j}`, status: 'active', version: 1 }),
          ),
        ),
      ),
    );
  }
}, 120_000);

afterAll(() => test.close());

describe('credentials start-up with 100,000 keys', () => {
  it('adopts an equal bucket once, then starts without reading or writing the keys again', async () => {
    const upgrade = await start('first start after the upgrade (back-fill, values compared)');
    expect(upgrade.writes).toBe(0);

    const restart = await start('restart');
    expect(restart.writes).toBe(0);
    expect(restart.ms).toBeLessThan(10_000);

    // a key lost from the bucket: the start notices (stream state) and repairs that key only
    await bucket.delete(keyOf(4242));
    const repaired = await start('restart after one key was deleted from the bucket');
    expect(repaired.writes).toBe(1);
    expect((await bucket.get(keyOf(4242)))?.operation).toBe('PUT');
    expect(repaired.ms).toBeLessThan(15_000);
  }, 180_000);

  it('writes every key again, once, when the bucket was emptied', async () => {
    // the whole stream at once, with room for a busy server (a purge marker per key is slow)
    const stream = (await bucket.status()).streamInfo.config.name;
    const manager = await jetstreamManager((await test.connect()).connection, { timeout: 60_000 });
    await manager.streams.purge(stream);
    const before = await lastSeq();
    const service = await test.start();
    // the repair may go on in the outbox relay after the service is ready: wait for all of it
    await eventually(async () => expect((await lastSeq()) - before).toBe(KEYS), 120_000, 500);
    await test.stop(service);
    expect((await lastSeq()) - before).toBe(KEYS);
    expect((await bucket.get(keyOf(99_999)))?.operation).toBe('PUT');
    const after = await start('restart after that');
    expect(after.writes).toBe(0);
  }, 180_000);
});
