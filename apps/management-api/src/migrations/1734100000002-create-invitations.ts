import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@loyalty-edge/db';

/**
 * Pending invitations to a workspace: the one-time link's token is kept as SHA-256 only. A row
 * lives until it is accepted or revoked (an expired one stays listed until then).
 */
export class CreateInvitations1734100000002 implements MigrationInterface {
  name = 'CreateInvitations1734100000002';

  async up(runner: QueryRunner): Promise<void> {
    const schema = schemaOf(runner);
    await runner.query(`
      CREATE TABLE ${schema}.invitations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workspace_id text NOT NULL REFERENCES ${schema}.workspaces (id) ON DELETE CASCADE,
        email text NOT NULL CHECK (email = lower(btrim(email))),
        role text NOT NULL CHECK (role IN ('admin', 'viewer')),
        token_hash bytea NOT NULL UNIQUE,
        invited_by uuid REFERENCES ${schema}.admins (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        UNIQUE (workspace_id, email)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE ${schemaOf(runner)}.invitations`);
  }
}
