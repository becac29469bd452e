import pg from 'pg';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { cleanUp, uniquePrefix } from '@loyalty-edge/testing';
import { openDatabase, schemaOf } from '../src/data-source.js';

class CreateThings1733000000000 implements MigrationInterface {
  name = 'CreateThings1733000000000';
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE ${schemaOf(runner)}.things (id int PRIMARY KEY)`);
  }
  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE ${schemaOf(runner)}.things`);
  }
}

const prefix = uniquePrefix();
const url = process.env.DATABASE_URL ?? '';

afterAll(async () => {
  await cleanUp(prefix);
});

describe(openDatabase.name, () => {
  it('creates the service schema and migrates it once, even when replicas start together', async () => {
    const schema = `${prefix}_things`;
    const sources = await Promise.all(
      [1, 2, 3].map(() =>
        openDatabase({ url, schema, entities: [], migrations: [CreateThings1733000000000] }),
      ),
    );
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query<{ name: string }>(
      `SELECT name FROM "${schema}".migrations`,
    );
    const tables = await client.query(
      `SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'things'`,
      [schema],
    );
    await client.end();
    expect(rows.map((row) => row.name)).toEqual(['CreateThings1733000000000']);
    expect(tables.rowCount).toBe(1);
    await Promise.all(sources.map((source) => source.destroy()));
  });

  it('refuses an unsafe schema name', async () => {
    await expect(
      openDatabase({ url, schema: 'x"; DROP', entities: [], migrations: [] }),
    ).rejects.toThrow('invalid schema name');
  });
});
