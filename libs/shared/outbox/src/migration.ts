import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@loyalty-edge/db';

/**
 * The outbox tables, in the schema of each service that owns a KV bucket (each lists this class
 * among its migrations):
 * - `kv_outbox`: one row per change of a key, written in the transaction of the change itself;
 *   `published_at` is set once the relay has written it (or a newer change of the key) to NATS.
 * - `kv_published`: per key, what was last written to the bucket and the revision NATS gave it;
 *   the reconcile compares the bucket with it by revision.
 * - `kv_backfills`: buckets whose table was copied into `kv_published` (once, at first start).
 */
export class CreateKvOutbox1736000000000 implements MigrationInterface {
  name = 'CreateKvOutbox1736000000000';

  async up(runner: QueryRunner): Promise<void> {
    const schema = schemaOf(runner);
    await runner.query(`
      CREATE TABLE ${schema}.kv_outbox (
        id bigserial PRIMARY KEY,
        bucket text NOT NULL,
        key text NOT NULL,
        value text,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        published_at timestamptz
      )`);
    await runner.query(
      `CREATE INDEX kv_outbox_pending ON ${schema}.kv_outbox (id) WHERE published_at IS NULL`,
    );
    await runner.query(`CREATE INDEX kv_outbox_key ON ${schema}.kv_outbox (bucket, key, id)`);
    await runner.query(`
      CREATE TABLE ${schema}.kv_published (
        bucket text NOT NULL,
        key text NOT NULL,
        value text,
        outbox_id bigint NOT NULL,
        revision bigint,
        published_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (bucket, key)
      )`);
    await runner.query(`
      CREATE TABLE ${schema}.kv_backfills (
        bucket text PRIMARY KEY,
        done_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const schema = schemaOf(runner);
    await runner.query(`DROP TABLE ${schema}.kv_backfills`);
    await runner.query(`DROP TABLE ${schema}.kv_published`);
    await runner.query(`DROP TABLE ${schema}.kv_outbox`);
  }
}
