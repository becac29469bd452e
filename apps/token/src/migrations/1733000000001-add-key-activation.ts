import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@loyalty-edge/db';

/** A key is published before it signs: it signs from `activates_at` (existing keys: at creation). */
export class AddKeyActivation1733000000001 implements MigrationInterface {
  name = 'AddKeyActivation1733000000001';

  async up(runner: QueryRunner): Promise<void> {
    const schema = schemaOf(runner);
    await runner.query(`ALTER TABLE ${schema}.signing_keys ADD COLUMN activates_at timestamptz`);
    await runner.query(`UPDATE ${schema}.signing_keys SET activates_at = created_at`);
    await runner.query(
      `ALTER TABLE ${schema}.signing_keys ALTER COLUMN activates_at SET NOT NULL, ALTER COLUMN activates_at SET DEFAULT now()`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE ${schemaOf(runner)}.signing_keys DROP COLUMN activates_at`);
  }
}
