import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@loyalty-edge/db';

export class CreateLoyalty1734000000000 implements MigrationInterface {
  name = 'CreateLoyalty1734000000000';

  async up(runner: QueryRunner): Promise<void> {
    const schema = schemaOf(runner);
    // ids compare byte-wise (COLLATE "C") so keyset pagination is stable across locales
    await runner.query(`
      CREATE TABLE ${schema}.customers (
        workspace_id text NOT NULL,
        id text COLLATE "C" NOT NULL,
        status text NOT NULL CHECK (status IN ('active', 'opted_out')),
        first_name text,
        last_name text,
        email text,
        birth_date date,
        language text,
        score bigint NOT NULL DEFAULT 0 CHECK (score >= 0),
        spent bigint NOT NULL DEFAULT 0 CHECK (spent >= 0),
        spendable bigint NOT NULL DEFAULT 0 CHECK (spendable >= 0),
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (workspace_id, id)
      )`);
    await runner.query(
      `CREATE INDEX customers_by_status ON ${schema}.customers (workspace_id, status, id)`,
    );
    await runner.query(`
      CREATE TABLE ${schema}.events (
        id uuid PRIMARY KEY,
        workspace_id text NOT NULL,
        customer_id text COLLATE "C" NOT NULL,
        action text NOT NULL,
        data jsonb NOT NULL,
        points bigint,
        external_id text,
        account text,
        source text NOT NULL CHECK (source IN ('api', 'bulk', 'async')),
        correlation_id uuid,
        created_at timestamptz NOT NULL,
        FOREIGN KEY (workspace_id, customer_id) REFERENCES ${schema}.customers (workspace_id, id)
      )`);
    await runner.query(
      `CREATE INDEX events_by_customer ON ${schema}.events (workspace_id, customer_id, created_at)`,
    );
    await runner.query(`
      CREATE TABLE ${schema}.async_events (
        correlation_id uuid PRIMARY KEY,
        workspace_id text NOT NULL,
        client_id text,
        request jsonb NOT NULL,
        callback_url text,
        status text NOT NULL CHECK (status IN ('queued', 'processing', 'processed', 'failed')),
        result jsonb,
        error jsonb,
        attempts integer NOT NULL DEFAULT 0,
        publish_attempts integer NOT NULL DEFAULT 0,
        last_publish_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        processed_at timestamptz
      )`);
    // the sweep and the queue-depth gauge only look at unfinished rows
    await runner.query(
      `CREATE INDEX async_events_unfinished ON ${schema}.async_events (last_publish_at)
         WHERE status IN ('queued', 'processing')`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    const schema = schemaOf(runner);
    await runner.query(`DROP TABLE ${schema}.async_events`);
    await runner.query(`DROP TABLE ${schema}.events`);
    await runner.query(`DROP TABLE ${schema}.customers`);
  }
}
