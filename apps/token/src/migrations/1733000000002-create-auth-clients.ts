import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@loyalty-edge/db';

export class CreateAuthClients1733000000002 implements MigrationInterface {
  name = 'CreateAuthClients1733000000002';

  async up(runner: QueryRunner): Promise<void> {
    const schema = schemaOf(runner);
    await runner.query(`
      CREATE TABLE ${schema}.auth_clients (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id text NOT NULL,
        client_id text NOT NULL UNIQUE,
        name text NOT NULL,
        purpose text NOT NULL,
        scopes text[] NOT NULL,
        audience text NOT NULL,
        secret_hash bytea NOT NULL,
        expires_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by text NOT NULL,
        created_via text NOT NULL CHECK (created_via IN ('ui', 'api')),
        actor_type text NOT NULL,
        actor_id text NOT NULL,
        revoked_at timestamptz,
        revoked_by text,
        pruned_at timestamptz
      )`);
    await runner.query(
      `CREATE INDEX auth_clients_workspace ON ${schema}.auth_clients (workspace_id, created_at DESC)`,
    );
    // the prune job and the start-up re-publish read only what is still in KV
    await runner.query(
      `CREATE INDEX auth_clients_in_kv ON ${schema}.auth_clients (expires_at) WHERE pruned_at IS NULL`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE ${schemaOf(runner)}.auth_clients`);
  }
}
