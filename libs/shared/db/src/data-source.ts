import { DataSource, type DataSourceOptions, type EntitySchema, type MixedList } from 'typeorm';

export interface ServiceDbOptions {
  readonly url: string;
  /** The service's own PostgreSQL schema; nobody else reads its tables. */
  readonly schema: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type
  readonly entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type
  readonly migrations: MixedList<Function | string>;
  readonly poolSize?: number;
  /** A connection attempt that takes longer fails (default 5 s). */
  readonly connectTimeoutMs?: number;
  /** A query without an answer for this long fails on the client side (default 30 s). */
  readonly queryTimeoutMs?: number;
}

export function dataSourceOptions(options: ServiceDbOptions): DataSourceOptions {
  return {
    type: 'postgres',
    url: options.url,
    schema: options.schema,
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    extra: {
      max: options.poolSize ?? 10,
      application_name: options.schema,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
      query_timeout: options.queryTimeoutMs ?? 30_000,
      keepAlive: true,
    },
  };
}

/**
 * Creates the schema and runs pending migrations under a PostgreSQL advisory lock, so replicas
 * starting together migrate once. Returns the names of the migrations it ran.
 */
export async function migrate(dataSource: DataSource, schema: string): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [`migrate:${schema}`]);
    await runner.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    const ran = await dataSource.runMigrations({ transaction: 'each' });
    return ran.map((migration) => migration.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [`migrate:${schema}`]);
    await runner.release();
  }
}

/** Opens a data source and migrates it. */
export async function openDatabase(options: ServiceDbOptions): Promise<DataSource> {
  if (!/^[a-z][a-z0-9_]{0,62}$/.test(options.schema)) {
    throw new Error(`invalid schema name ${options.schema}`);
  }
  const dataSource = new DataSource(dataSourceOptions(options));
  await dataSource.initialize();
  try {
    await migrate(dataSource, options.schema);
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}

/** The schema a migration runs in (the service's own), quoted for SQL. */
export function schemaOf(runner: { readonly connection: { readonly options: object } }): string {
  const { schema } = runner.connection.options as { schema?: string };
  return `"${schema ?? 'public'}"`;
}
