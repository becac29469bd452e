import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@loyalty-edge/db';

/**
 * Revisions of a workspace's module switches and of its members (with pending invitations), for
 * optimistic concurrency: a write names the revision it was made from (`If-Match`) and raises it
 * in the same transaction.
 */
export class AddWorkspaceRevisions1734100000020 implements MigrationInterface {
  name = 'AddWorkspaceRevisions1734100000020';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE ${schemaOf(runner)}.workspaces
        ADD COLUMN modules_revision integer NOT NULL DEFAULT 1 CHECK (modules_revision > 0),
        ADD COLUMN members_revision integer NOT NULL DEFAULT 1 CHECK (members_revision > 0)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE ${schemaOf(runner)}.workspaces
        DROP COLUMN modules_revision, DROP COLUMN members_revision`);
  }
}
