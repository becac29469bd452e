import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { platformApps, type AppSpec, type Ports } from './apps.js';
import type { AppName } from '@loyalty-edge/contracts';
import { AppProcess, runOnce } from './processes.js';
import { checkNats, checkPostgres } from './preflight.js';

export { DEFAULT_PORTS, type Ports } from './apps.js';
export { PreflightError } from './preflight.js';
export { bootstrapDemo, type DemoWorkspace } from './demo.js';
export { pretty } from './processes.js';

export interface PlatformOptions {
  readonly root: string;
  readonly databaseUrl: string;
  readonly natsUrl: string;
  /** Isolates subjects, streams and buckets (NATS_PREFIX) and schemas (DB_SCHEMA_PREFIX). */
  readonly natsPrefix: string;
  readonly schemaPrefix: string;
  readonly ports: Ports;
  /** Gateways beyond the first, each [dataPort, metricsPort]. */
  readonly extraGateways?: readonly (readonly [number, number])[];
  readonly secrets: {
    readonly kek: string;
    readonly tokenKey: string;
    readonly adminEmail: string;
    readonly adminPassword: string;
    /**
     * AUDIT_ANCHOR_KEY, given to the audit service only (it signs the audit hash chains); a
     * fresh one for this platform when absent.
     */
    readonly anchorKey?: string;
  };
  readonly logLevel?: string;
  /** Where prefixed log lines go; undefined keeps them only for error reports. */
  readonly write?: (line: string) => void;
  /** Extra environment for every app (after the launcher's own). */
  readonly env?: Readonly<Record<string, string>>;
  readonly readyTimeoutMs?: number;
  /** Apps not to start (a benchmark has no use for the admin web app, which needs its build). */
  readonly without?: readonly AppName[];
}

export interface Platform {
  readonly gateways: readonly string[];
  readonly gatewayMetrics: readonly string[];
  readonly management: string;
  readonly adminWeb: string;
  readonly loyalty: string;
  /** The running processes (a restarted app's new process replaces the old one). */
  readonly processes: readonly AppProcess[];
  /** The current process of an app by its label (`audit`, `gateway`, `gateway-2`, ...). */
  process(label: string): AppProcess;
  /** Where an app answers /healthz, /readyz and /metrics. */
  healthUrl(label: string): string;
  /**
   * Starts an app again with the same environment and ports (stopping it first if it still
   * runs) and resolves when its /readyz answers 200: for fault tests that kill one process.
   */
  restart(label: string): Promise<AppProcess>;
  stop(): Promise<void>;
}

function envFor(
  app: AppSpec,
  options: PlatformOptions,
  port: number,
  extra: Record<string, string> = {},
): NodeJS.ProcessEnv {
  const { ports } = options;
  const base = `http://127.0.0.1`;
  return {
    PATH: process.env.PATH,
    NODE_ENV: process.env.NODE_ENV ?? 'development',
    DATABASE_URL: options.databaseUrl,
    NATS_URL: options.natsUrl,
    NATS_PREFIX: options.natsPrefix,
    DB_SCHEMA_PREFIX: options.schemaPrefix,
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: options.logLevel ?? 'info',
    CREDENTIALS_KEK: options.secrets.kek,
    TOKEN_KEY_ENCRYPTION_KEY: options.secrets.tokenKey,
    BOOTSTRAP_ADMIN_EMAIL: options.secrets.adminEmail,
    BOOTSTRAP_ADMIN_PASSWORD: options.secrets.adminPassword,
    GATEWAY_PUBLIC_URL: `${base}:${ports.gateway}`,
    // tokens name the gateway as their issuer: it serves /v1/auth/token and the discovery documents
    TOKEN_ISSUER: `${base}:${ports.gateway}`,
    PUBLIC_URL: `${base}:${ports.adminWeb}`,
    MANAGEMENT_API_URL: `${base}:${ports.management}`,
    UPSTREAM_DEFAULT_URL: `${base}:${ports.loyalty}`,
    GATEWAY_PORT: String(ports.gateway),
    ...options.env,
    ...extra,
  };
}

async function waitReady(process: AppProcess, port: number, deadline: number): Promise<void> {
  for (;;) {
    if (!process.running) {
      throw new Error(
        `${process.name} stopped while starting:\n${process.lastLines().slice(-8).join('\n')}`,
      );
    }
    try {
      const response = await fetch(`http://127.0.0.1:${port}/readyz`, {
        signal: AbortSignal.timeout(1000),
      });
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${process.name} was not ready in time:\n${process.lastLines().slice(-8).join('\n')}`,
      );
    }
    await sleep(150);
  }
}

/**
 * Starts the whole platform as separate processes: checks PostgreSQL and NATS, runs every
 * service's migrations, starts every app, and resolves when every /readyz answers 200.
 */
export async function startPlatform(options: PlatformOptions): Promise<Platform> {
  await checkPostgres(options.databaseUrl);
  await checkNats(options.natsUrl);
  const apps = platformApps(options.ports).filter(
    (app) => !(options.without ?? []).includes(app.name),
  );
  await Promise.all(
    apps
      .filter((app) => app.migrates)
      .map((app) =>
        runOnce(app.name, [app.entry, 'migrate'], envFor(app, options, app.port), options.root),
      ),
  );
  const processes: AppProcess[] = [];
  /** How to start each app again: its spec, port and extra environment, by label. */
  const launches = new Map<
    string,
    { app: AppSpec; port: number; extra?: Record<string, string> }
  >();
  const ready: Promise<void>[] = [];
  const readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
  const deadline = Date.now() + readyTimeoutMs;
  const spawnApp = (label: string, index: number): AppProcess => {
    const launch = launches.get(label);
    if (!launch) throw new Error(`no app ${label} in this platform`);
    return new AppProcess(
      label,
      [launch.app.entry],
      envFor(launch.app, options, launch.port, launch.extra),
      options.root,
      index,
      options.write,
    );
  };
  const launch = (
    app: AppSpec,
    label: string,
    port: number,
    extra?: Record<string, string>,
  ): void => {
    launches.set(label, { app, port, extra });
    const child = spawnApp(label, processes.length);
    processes.push(child);
    ready.push(waitReady(child, port, deadline));
  };
  const anchorKey =
    options.secrets.anchorKey ??
    options.env?.AUDIT_ANCHOR_KEY ??
    randomBytes(32).toString('base64');
  const perApp: Record<string, Record<string, string>> = {
    // management-api sees browsers through admin-web's proxy on loopback
    'management-api': { TRUSTED_PROXIES: '127.0.0.1/32,::1/128' },
    audit: { AUDIT_ANCHOR_KEY: anchorKey },
  };
  for (const app of apps) launch(app, app.name, app.port, perApp[app.name]);
  const gateway = apps.find((app) => app.name === 'gateway');
  (options.extraGateways ?? []).forEach(([data, metrics], index) => {
    if (gateway) launch(gateway, `gateway-${index + 2}`, metrics, { GATEWAY_PORT: String(data) });
  });
  const stop = async (): Promise<void> => {
    await Promise.all(processes.map((child) => child.stop()));
  };
  const indexOf = (label: string): number => {
    const index = processes.findIndex((child) => child.name === label);
    if (index < 0) throw new Error(`no app ${label} in this platform`);
    return index;
  };
  const portOf = (label: string): number => {
    const launched = launches.get(label);
    if (!launched) throw new Error(`no app ${label} in this platform`);
    return launched.port;
  };
  const restart = async (label: string): Promise<AppProcess> => {
    const index = indexOf(label);
    await processes[index]?.stop();
    const child = spawnApp(label, index);
    processes[index] = child;
    await waitReady(child, portOf(label), Date.now() + readyTimeoutMs);
    return child;
  };
  try {
    await Promise.all(ready);
  } catch (error) {
    await stop();
    throw error;
  }
  const url = (port: number): string => `http://127.0.0.1:${port}`;
  return {
    gateways: [
      url(options.ports.gateway),
      ...(options.extraGateways ?? []).map(([data]) => url(data)),
    ],
    gatewayMetrics: [
      url(options.ports.gatewayMetrics),
      ...(options.extraGateways ?? []).map(([, m]) => url(m)),
    ],
    management: url(options.ports.management),
    adminWeb: url(options.ports.adminWeb),
    loyalty: url(options.ports.loyalty),
    processes,
    process: (label) => processes[indexOf(label)] as AppProcess,
    healthUrl: (label) => url(portOf(label)),
    restart,
    stop,
  };
}
