import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@loyalty-edge/db';

/**
 * The audit store. Event ids are the publishers' idempotency keys (text, not necessarily UUIDs).
 * Lists read newest first per workspace, so each event table has (workspace_id, at desc, id desc)
 * for keyset pagination, and (at) for the retention purge.
 */
export class CreateAuditTables1734000000000 implements MigrationInterface {
  name = 'CreateAuditTables1734000000000';

  async up(runner: QueryRunner): Promise<void> {
    const schema = schemaOf(runner);
    await runner.query(`
      CREATE TABLE ${schema}.changes (
        id text PRIMARY KEY,
        workspace_id text,
        at timestamptz NOT NULL,
        actor_type text NOT NULL,
        actor_id text NOT NULL,
        actor_email text,
        action text NOT NULL,
        target text,
        before jsonb,
        after jsonb,
        source text NOT NULL,
        request_id text,
        client_ip text
      )`);
    await runner.query(`
      CREATE TABLE ${schema}.failed_calls (
        id text PRIMARY KEY,
        workspace_id text,
        at timestamptz NOT NULL,
        api text,
        status integer NOT NULL,
        reason text NOT NULL,
        client_ip text NOT NULL,
        method text NOT NULL,
        url text NOT NULL,
        request_id text NOT NULL,
        duration_ms integer NOT NULL,
        request jsonb NOT NULL,
        response jsonb NOT NULL
      )`);
    await runner.query(`
      CREATE TABLE ${schema}.auth_client_events (
        id text PRIMARY KEY,
        workspace_id text NOT NULL,
        at timestamptz NOT NULL,
        client_id text NOT NULL,
        client_name text NOT NULL,
        action text NOT NULL,
        actor_type text NOT NULL,
        actor_id text NOT NULL,
        actor_email text
      )`);
    await runner.query(`
      CREATE TABLE ${schema}.token_events (
        id text PRIMARY KEY,
        workspace_id text,
        at timestamptz NOT NULL,
        client_id text,
        outcome text NOT NULL,
        error_code integer,
        error text,
        scope text,
        jti text,
        client_ip text NOT NULL
      )`);
    for (const table of ['changes', 'failed_calls', 'auth_client_events', 'token_events']) {
      await runner.query(
        `CREATE INDEX ${table}_workspace_at ON ${schema}.${table} (workspace_id, at DESC, id DESC)`,
      );
      await runner.query(`CREATE INDEX ${table}_at ON ${schema}.${table} (at)`);
    }
    await runner.query(`
      CREATE TABLE ${schema}.client_ip_counts (
        workspace_id text NOT NULL,
        api text NOT NULL,
        day date NOT NULL,
        ip text NOT NULL,
        requests bigint NOT NULL,
        PRIMARY KEY (workspace_id, api, day, ip)
      )`);
    await runner.query(`CREATE INDEX client_ip_counts_day ON ${schema}.client_ip_counts (day)`);
    await runner.query(`
      CREATE TABLE ${schema}.client_ip_events (
        id text PRIMARY KEY,
        at timestamptz NOT NULL
      )`);
    await runner.query(`CREATE INDEX client_ip_events_at ON ${schema}.client_ip_events (at)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const schema = schemaOf(runner);
    for (const table of [
      'client_ip_events',
      'client_ip_counts',
      'token_events',
      'auth_client_events',
      'failed_calls',
      'changes',
    ]) {
      await runner.query(`DROP TABLE ${schema}.${table}`);
    }
  }
}
