import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@loyalty-edge/db';

export class CreateWorkspaces1734100000001 implements MigrationInterface {
  name = 'CreateWorkspaces1734100000001';

  async up(runner: QueryRunner): Promise<void> {
    const schema = schemaOf(runner);
    await runner.query(`
      CREATE TABLE ${schema}.workspaces (
        id text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$'),
        name text NOT NULL,
        ip_filter boolean NOT NULL DEFAULT false,
        signature_check boolean NOT NULL DEFAULT false,
        async_events boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`
      CREATE TABLE ${schema}.members (
        workspace_id text NOT NULL REFERENCES ${schema}.workspaces (id) ON DELETE CASCADE,
        admin_id uuid NOT NULL REFERENCES ${schema}.admins (id) ON DELETE CASCADE,
        role text NOT NULL CHECK (role IN ('admin', 'viewer')),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, admin_id)
      )`);
    await runner.query(`CREATE INDEX members_admin ON ${schema}.members (admin_id)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const schema = schemaOf(runner);
    await runner.query(`DROP TABLE ${schema}.members`);
    await runner.query(`DROP TABLE ${schema}.workspaces`);
  }
}
