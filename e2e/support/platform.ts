import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { DEFAULT_PORTS, startPlatform, type Platform, type Ports } from '@loyalty-edge/launcher';
import { cleanUp, freePort, uniquePrefix } from '@loyalty-edge/testing';

export interface TestPlatform extends Platform {
  readonly prefix: string;
  readonly admin: { readonly email: string; readonly password: string };
  /** Every log line every process wrote so far. */
  logs(): readonly string[];
  /** Stops every process and drops what the run created. */
  shutdown(): Promise<void>;
}

/**
 * The whole platform as separate processes (the same launcher as `npm start`), isolated by a
 * unique NATS/schema prefix and free ports. Expects `npm run build` to have run.
 */
export async function startTestPlatform(
  options: {
    extraGateways?: number;
    env?: Record<string, string>;
    /** A NATS server of the test's own (default: the shared one of the test run). */
    natsUrl?: string;
    /**
     * Where the apps reach PostgreSQL, e.g. through a proxy the test can cut (default: the test
     * run's DATABASE_URL, which clean-up always uses).
     */
    databaseUrl?: string;
  } = {},
): Promise<TestPlatform> {
  const prefix = uniquePrefix();
  const ports = Object.fromEntries(
    await Promise.all(Object.keys(DEFAULT_PORTS).map(async (name) => [name, await freePort()])),
  ) as unknown as Ports;
  const extraGateways = await Promise.all(
    Array.from(
      { length: options.extraGateways ?? 0 },
      async () => [await freePort(), await freePort()] as const,
    ),
  );
  const admin = {
    email: 'operator@e2e.test',
    password: `${randomBytes(12).toString('base64url')}-E2e`,
  };
  const output: string[] = [];
  const platform = await startPlatform({
    root: fileURLToPath(new URL('../..', import.meta.url)),
    databaseUrl: options.databaseUrl ?? process.env.DATABASE_URL ?? '',
    natsUrl: options.natsUrl ?? process.env.NATS_URL ?? '',
    natsPrefix: prefix,
    schemaPrefix: `${prefix}_`,
    ports,
    extraGateways,
    secrets: {
      kek: `e2e:${randomBytes(32).toString('base64')}`,
      tokenKey: randomBytes(32).toString('base64'),
      adminEmail: admin.email,
      adminPassword: admin.password,
    },
    logLevel: 'info',
    write: (line) => output.push(line),
    env: options.env,
  }).catch(async (error: unknown) => {
    await cleanUp(prefix);
    throw error;
  });
  return {
    ...platform,
    prefix,
    admin,
    logs: () => output,
    async shutdown() {
      await platform.stop();
      await cleanUp(prefix);
    },
  };
}
