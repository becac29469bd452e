import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@loyalty-edge/db';

/**
 * What the Authentication Manager adds to its logs: where an auth-client change came from (the
 * admin web app, automation or the platform) with its request id, and for each token request the
 * refusal's message, the token's audience, the caller's user agent and the request id.
 * Rows stored before are kept as they are: their auth-client events came from the platform
 * (`source` 'system'), and the new token columns stay NULL (left out of the answers).
 * Adding a column with a constant default does not rewrite the table (PostgreSQL 11+).
 */
export class AddAuthClientAndTokenDetails1735000000000 implements MigrationInterface {
  name = 'AddAuthClientAndTokenDetails1735000000000';

  async up(runner: QueryRunner): Promise<void> {
    const schema = schemaOf(runner);
    await runner.query(`
      ALTER TABLE ${schema}.auth_client_events
        ADD COLUMN source text NOT NULL DEFAULT 'system',
        ADD COLUMN request_id text`);
    await runner.query(`
      ALTER TABLE ${schema}.token_events
        ADD COLUMN error_message text,
        ADD COLUMN audience text,
        ADD COLUMN user_agent text,
        ADD COLUMN request_id text`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const schema = schemaOf(runner);
    await runner.query(`
      ALTER TABLE ${schema}.token_events
        DROP COLUMN request_id,
        DROP COLUMN user_agent,
        DROP COLUMN audience,
        DROP COLUMN error_message`);
    await runner.query(`
      ALTER TABLE ${schema}.auth_client_events
        DROP COLUMN request_id,
        DROP COLUMN source`);
  }
}
