import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@loyalty-edge/db';

export class CreateEnforcement1733000000000 implements MigrationInterface {
  name = 'CreateEnforcement1733000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE ${schemaOf(runner)}.enforcement (
        workspace_id text PRIMARY KEY,
        apis text[] NOT NULL,
        revision integer NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by text NOT NULL
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE ${schemaOf(runner)}.enforcement`);
  }
}
