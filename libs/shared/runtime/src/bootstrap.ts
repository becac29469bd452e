import 'reflect-metadata';
import { Module, type DynamicModule, type INestApplication, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { DataSource } from 'typeorm';
import type { CommonConfig } from '@loyalty-edge/config';
import {
  databaseReady,
  DbModule,
  isDatabaseUnreachable,
  openDatabase,
  type ServiceDbOptions,
} from '@loyalty-edge/db';
import { AppErrorFilter } from '@loyalty-edge/errors';
import { NatsLink, NatsModule, NatsRpcServer } from '@loyalty-edge/nats';
import {
  JsonLogger,
  Metrics,
  ObservabilityModule,
  Readiness,
  statusClass,
} from '@loyalty-edge/observability';
import { DependencyError, reasonOf } from './dependencies.js';
import { limitJsonDepth } from './json-depth.js';
import { validationPipe } from './validation.js';

export interface ServiceSpec {
  readonly config: CommonConfig;
  /** The app's feature module(s). */
  readonly imports: readonly (Type | DynamicModule)[];
  /** The service's own schema and migrations, when it keeps data. */
  readonly database?: ServiceDbOptions;
  /** Answer NATS requests (`@MessagePattern` handlers) in the app's queue group. */
  readonly rpc?: boolean;
  /** Largest accepted HTTP body in bytes. */
  readonly bodyLimit?: number;
  /** Refuse JSON bodies nested deeper than this (400) before validation; unset: no limit. */
  readonly maxJsonDepth?: number;
  /**
   * Keep reporting ready while NATS is away (the gateway serves from the state it holds);
   * otherwise a NATS outage takes the service out of its load balancer.
   */
  readonly readyWithoutNats?: boolean;
  /** Extra set-up before listening (routes, hooks, readiness checks). */
  readonly configure?: (app: NestFastifyApplication, deps: ServiceDeps) => void | Promise<void>;
}

export interface ServiceDeps {
  readonly link: NatsLink;
  readonly dataSource: DataSource | undefined;
  readonly metrics: Metrics;
  readonly readiness: Readiness;
  readonly logger: JsonLogger;
}

export interface RunningService {
  readonly app: NestFastifyApplication;
  readonly deps: ServiceDeps;
  readonly url: string;
  close(): Promise<void>;
}

export async function connectDependencies(
  config: CommonConfig,
  database: ServiceDbOptions | undefined,
): Promise<{ link: NatsLink; dataSource: DataSource | undefined }> {
  let link: NatsLink;
  try {
    link = await NatsLink.open(config.nats, config.app);
  } catch (error) {
    throw new DependencyError('NATS', config.nats.url, reasonOf(error));
  }
  if (!database) return { link, dataSource: undefined };
  try {
    return { link, dataSource: await openDatabase(database) };
  } catch (error) {
    await link.close();
    const reason = reasonOf(error);
    if (/ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EHOSTUNREACH|ECONNRESET|3D000|28P01|28000/.test(reason)) {
      throw new DependencyError('PostgreSQL', database.url, reason);
    }
    throw error;
  }
}

/**
 * Starts one service: NATS and PostgreSQL first (a clear error when unreachable), then the Nest
 * app on Fastify with JSON logs, the envelope error filter, validation, /healthz, /readyz and
 * /metrics, and, for NATS services, the request/reply transport in the app's queue group.
 */
export async function runService(spec: ServiceSpec): Promise<RunningService> {
  const { config } = spec;
  const logger = new JsonLogger(config.app, config.log.level);
  const { link, dataSource } = await connectDependencies(config, spec.database);
  const metrics = new Metrics(config.app);
  const readiness = new Readiness();
  if (!spec.readyWithoutNats) readiness.add('nats', () => link.connected);
  if (dataSource) readiness.add('database', () => databaseReady(dataSource));
  const deps: ServiceDeps = { link, dataSource, metrics, readiness, logger };

  const RootModule = rootModule(spec, deps);
  const adapter = new FastifyAdapter({
    bodyLimit: spec.bodyLimit ?? 1024 * 1024,
    trustProxy: false,
  });
  const app = await NestFactory.create<NestFastifyApplication>(RootModule, adapter, {
    logger,
    abortOnError: false,
  });
  if (spec.maxJsonDepth !== undefined) {
    limitJsonDepth(app.getHttpAdapter().getInstance(), spec.maxJsonDepth);
  }
  // a database that cannot be reached answers 503 (try again), not 500
  app.useGlobalFilters(new AppErrorFilter(isDatabaseUnreachable));
  app.useGlobalPipes(validationPipe());
  app.enableShutdownHooks();
  recordHttpMetrics(app, metrics);
  if (spec.rpc) {
    const server = new NatsRpcServer(link, config.app, (subject, outcome, seconds) =>
      metrics.rpcDuration.observe({ subject, outcome }, seconds),
    );
    app.connectMicroservice({ strategy: server }, { inheritAppConfig: true });
    await app.startAllMicroservices();
  }
  await spec.configure?.(app, deps);
  await app.listen(config.http.port, config.http.host);
  const url = await app.getUrl();
  logger.log({ msg: 'ready to serve', url }, 'Bootstrap');
  return { app, deps, url: url.replace('[::1]', '127.0.0.1'), close: () => app.close() };
}

/** The app's root module: NATS, observability, the database when there is one, the features. */
export function rootModule(spec: ServiceSpec, deps: ServiceDeps): Type {
  @Module({
    imports: [
      NatsModule.forLink(deps.link),
      ObservabilityModule.forApp(deps.metrics, deps.readiness),
      ...(deps.dataSource ? [DbModule.forDataSource(deps.dataSource)] : []),
      ...spec.imports,
    ],
  })
  class RootModule {}
  return RootModule;
}

function recordHttpMetrics(app: INestApplication, metrics: Metrics): void {
  const fastify = (app as NestFastifyApplication).getHttpAdapter().getInstance();
  fastify.addHook('onResponse', (request, reply, done) => {
    metrics.httpDuration.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status_class: statusClass(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
    done();
  });
}
