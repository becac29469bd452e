import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@loyalty-edge/db';

export class CreateApiKeys1733000000000 implements MigrationInterface {
  name = 'CreateApiKeys1733000000000';

  async up(runner: QueryRunner): Promise<void> {
    const schema = schemaOf(runner);
    await runner.query(`
      CREATE TABLE ${schema}.api_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id text NOT NULL,
        api_key text NOT NULL UNIQUE,
        secret_ciphertext bytea NOT NULL,
        wrapped_key bytea NOT NULL,
        kek_id text NOT NULL,
        status text NOT NULL CHECK (status IN ('active', 'inactive')),
        version integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by text NOT NULL,
        deactivated_at timestamptz,
        UNIQUE (workspace_id, version)
      )`);
    // at most one active key per workspace, enforced by the database
    await runner.query(
      `CREATE UNIQUE INDEX api_keys_one_active ON ${schema}.api_keys (workspace_id) WHERE status = 'active'`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    const schema = schemaOf(runner);
    await runner.query(`DROP TABLE ${schema}.api_keys`);
  }
}
