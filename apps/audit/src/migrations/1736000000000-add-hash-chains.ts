import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@loyalty-edge/db';

const CHAINED = ['changes', 'auth_client_events', 'token_events', 'failed_calls'];

/**
 * Hash chains over the four audit logs (docs/audit.md): each entry gets its position in the
 * chain of its workspace and log (`seq`), the hash it follows (`prev_hash`) and its own
 * (`hash`); `chain_heads` holds each chain's newest entry and its start, `chain_anchors` the
 * signed copies of the heads. Rows stored before stay as they are, outside the chains (`seq`
 * NULL: verification counts them as unchained); chains start with the first entry after this
 * migration. Adding nullable columns does not rewrite the tables.
 */
export class AddHashChains1736000000000 implements MigrationInterface {
  name = 'AddHashChains1736000000000';

  async up(runner: QueryRunner): Promise<void> {
    const schema = schemaOf(runner);
    for (const table of CHAINED) {
      await runner.query(`
        ALTER TABLE ${schema}.${table}
          ADD COLUMN seq bigint,
          ADD COLUMN prev_hash text,
          ADD COLUMN hash text`);
      await runner.query(
        `CREATE INDEX ${table}_chain ON ${schema}.${table} (workspace_id, seq) WHERE seq IS NOT NULL`,
      );
    }
    await runner.query(`
      CREATE TABLE ${schema}.chain_heads (
        log text NOT NULL,
        workspace text NOT NULL,
        seq bigint NOT NULL,
        hash text NOT NULL,
        start_seq bigint NOT NULL,
        start_hash text NOT NULL,
        PRIMARY KEY (log, workspace)
      )`);
    await runner.query(`
      CREATE TABLE ${schema}.chain_anchors (
        id bigserial PRIMARY KEY,
        workspace text NOT NULL,
        at timestamptz NOT NULL,
        heads jsonb NOT NULL,
        mac text NOT NULL
      )`);
    await runner.query(
      `CREATE INDEX chain_anchors_workspace ON ${schema}.chain_anchors (workspace, id DESC)`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    const schema = schemaOf(runner);
    await runner.query(`DROP TABLE ${schema}.chain_anchors`);
    await runner.query(`DROP TABLE ${schema}.chain_heads`);
    for (const table of CHAINED) {
      await runner.query(`DROP INDEX ${schema}.${table}_chain`);
      await runner.query(`
        ALTER TABLE ${schema}.${table}
          DROP COLUMN hash,
          DROP COLUMN prev_hash,
          DROP COLUMN seq`);
    }
  }
}
