/**
 * Every app of the platform, in start order (services before their callers): the one list the
 * launcher, the end-to-end harness, the image check and the chart and NATS checks read.
 */
export const PLATFORM_APPS = [
  { name: 'credentials', valuesKey: 'credentials', database: true },
  { name: 'ip-filter', valuesKey: 'ipFilter', database: true },
  { name: 'signature', valuesKey: 'signature', database: true },
  { name: 'token', valuesKey: 'token', database: true },
  { name: 'audit', valuesKey: 'audit', database: true },
  { name: 'loyalty-api', valuesKey: 'loyaltyApi', database: true },
  { name: 'management-api', valuesKey: 'managementApi', database: true },
  { name: 'gateway', valuesKey: 'gateway', database: false },
  { name: 'admin-web', valuesKey: 'adminWeb', database: false },
] as const satisfies readonly AppDescriptor[];

export interface AppDescriptor {
  /** The folder `apps/<name>`, its process, NATS user and Kubernetes component name. */
  readonly name: string;
  /** Its key in the Helm chart's values (`ipFilter`). */
  readonly valuesKey: string;
  /** Keeps a PostgreSQL schema of its own, migrated before it starts. */
  readonly database: boolean;
}

export type AppName = (typeof PLATFORM_APPS)[number]['name'];

/** The apps with a database, in start order (the migrations run in this order). */
export const DATABASE_APPS: readonly AppName[] = PLATFORM_APPS.filter((app) => app.database).map(
  (app) => app.name,
);
