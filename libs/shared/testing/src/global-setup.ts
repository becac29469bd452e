import { Socket } from 'node:net';

interface TestServices {
  readonly databaseUrl: string;
  readonly natsUrl: string;
}

const LOCAL = {
  databaseUrl: 'postgres://postgres@127.0.0.1:5432/test',
  natsUrl: 'nats://127.0.0.1:4222',
};

function reachable(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(port, host, () => done(true));
  });
}

/** Starts PostgreSQL and NATS (JetStream) in containers; fails fast when no Docker engine answers. */
async function fromContainers(): Promise<TestServices> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const postgres = await new GenericContainer('postgres:16-alpine')
    .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: 'trust', POSTGRES_DB: 'test' })
    .withExposedPorts(5432)
    .withWaitStrategy(Wait.forLogMessage(/ready to accept connections/, 2))
    .start();
  const nats = await new GenericContainer('nats:2.10-alpine')
    .withCommand(['-js'])
    .withExposedPorts(4222)
    .withWaitStrategy(Wait.forLogMessage(/Server is ready/))
    .start();
  return {
    databaseUrl: `postgres://postgres@${postgres.getHost()}:${postgres.getMappedPort(5432)}/test`,
    natsUrl: `nats://${nats.getHost()}:${nats.getMappedPort(4222)}`,
  };
}

/**
 * Where the tests find PostgreSQL and NATS: `DATABASE_URL` / `NATS_URL` when set; else
 * containers where a Docker engine answers; else the local default ports when they answer.
 */
async function resolveTestServices(env = process.env): Promise<TestServices> {
  if (env.DATABASE_URL && env.NATS_URL) {
    return { databaseUrl: env.DATABASE_URL, natsUrl: env.NATS_URL };
  }
  try {
    return await fromContainers();
  } catch (error) {
    const noDocker = error instanceof Error && /container runtime/i.test(error.message);
    if (!noDocker) throw error;
  }
  if ((await reachable('127.0.0.1', 5432)) && (await reachable('127.0.0.1', 4222))) return LOCAL;
  throw new Error(
    'No PostgreSQL/NATS for the tests: set DATABASE_URL and NATS_URL, run a Docker engine, or start both on their default local ports',
  );
}

/**
 * Jest global set-up of the integration and e2e projects: finds the services once per run.
 * Self-contained on purpose: jest loads this file outside the ESM module graph.
 */
export default async function globalSetup(): Promise<void> {
  const services = await resolveTestServices();
  process.env.DATABASE_URL = services.databaseUrl;
  process.env.NATS_URL = services.natsUrl;
}
