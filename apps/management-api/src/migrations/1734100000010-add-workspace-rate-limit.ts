import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@loyalty-edge/db';

/**
 * A workspace's rate limit per API key and per auth client, in requests per minute. NULL: the
 * gateways' default (RATE_LIMIT_DEFAULT_PER_MINUTE); 0: no limit.
 */
export class AddWorkspaceRateLimit1734100000010 implements MigrationInterface {
  name = 'AddWorkspaceRateLimit1734100000010';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE ${schemaOf(runner)}.workspaces
        ADD COLUMN rate_limit_per_minute integer CHECK (rate_limit_per_minute >= 0)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(
      `ALTER TABLE ${schemaOf(runner)}.workspaces DROP COLUMN rate_limit_per_minute`,
    );
  }
}
