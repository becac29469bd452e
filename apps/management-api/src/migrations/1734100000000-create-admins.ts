import type { MigrationInterface, QueryRunner } from 'typeorm';
import { schemaOf } from '@loyalty-edge/db';

export class CreateAdmins1734100000000 implements MigrationInterface {
  name = 'CreateAdmins1734100000000';

  async up(runner: QueryRunner): Promise<void> {
    const schema = schemaOf(runner);
    await runner.query(`
      CREATE TABLE ${schema}.admins (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL UNIQUE CHECK (email = lower(btrim(email))),
        password_hash text NOT NULL,
        operator boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        password_changed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`
      CREATE TABLE ${schema}.sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        admin_id uuid NOT NULL REFERENCES ${schema}.admins (id) ON DELETE CASCADE,
        token_hash bytea NOT NULL UNIQUE,
        csrf_token text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        client_ip text
      )`);
    await runner.query(`CREATE INDEX sessions_admin ON ${schema}.sessions (admin_id)`);
    await runner.query(`CREATE INDEX sessions_expiry ON ${schema}.sessions (expires_at)`);
    await runner.query(`
      CREATE TABLE ${schema}.access_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        admin_id uuid NOT NULL REFERENCES ${schema}.admins (id) ON DELETE CASCADE,
        name text NOT NULL,
        token_hash bytea NOT NULL UNIQUE,
        hint text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        last_used_at timestamptz,
        revoked_at timestamptz
      )`);
    await runner.query(`CREATE INDEX access_tokens_admin ON ${schema}.access_tokens (admin_id)`);
    // failed logins per key (`email:<email>`, `ip:<address>`), shared by every replica
    await runner.query(`
      CREATE TABLE ${schema}.login_throttle (
        key text PRIMARY KEY,
        failures integer NOT NULL,
        window_started_at timestamptz NOT NULL,
        locked_until timestamptz
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const schema = schemaOf(runner);
    await runner.query(`DROP TABLE ${schema}.login_throttle`);
    await runner.query(`DROP TABLE ${schema}.access_tokens`);
    await runner.query(`DROP TABLE ${schema}.sessions`);
    await runner.query(`DROP TABLE ${schema}.admins`);
  }
}
