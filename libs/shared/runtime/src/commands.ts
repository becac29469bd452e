import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { openDatabase } from '@loyalty-edge/db';
import { JsonLogger, Metrics, Readiness } from '@loyalty-edge/observability';
import { connectDependencies, rootModule, runService, type ServiceSpec } from './bootstrap.js';
import { exitOnStartFailure } from './dependencies.js';

export type Command = (app: INestApplicationContext) => Promise<string>;

/**
 * Runs a one-off command given as the first argument (`node dist/main.js migrate`) and exits;
 * returns undefined when there is none, so main.ts starts the service instead.
 */
export async function runCommand(
  command: string | undefined,
  spec: ServiceSpec,
  commands: Readonly<Record<string, Command>> = {},
): Promise<true | undefined> {
  if (command === undefined) return undefined;
  const logger = new JsonLogger(spec.config.app, spec.config.log.level);
  if (command === 'migrate') {
    if (!spec.database) {
      logger.log({ msg: 'no database: nothing to migrate' });
      return true;
    }
    const dataSource = await openDatabase(spec.database);
    await dataSource.destroy();
    logger.log({ msg: 'migrations applied', schema: spec.database.schema });
    return true;
  }
  const run = commands[command];
  if (!run) {
    const known = ['migrate', ...Object.keys(commands)].join(', ');
    throw new Error(`unknown command ${command}; known: ${known}`);
  }
  const { link, dataSource } = await connectDependencies(spec.config, spec.database);
  const deps = {
    link,
    dataSource,
    logger,
    metrics: new Metrics(spec.config.app),
    readiness: new Readiness(),
  };
  const app = await NestFactory.createApplicationContext(rootModule(spec, deps), { logger });
  try {
    logger.log({ msg: await run(app), command });
  } finally {
    await app.close();
  }
  return true;
}

/**
 * The whole of a service's main.ts: run the command named by the first argument, or start the
 * service; any start-up failure is printed in one line (no stack) and exits with status 1.
 */
export async function runMain(
  app: string,
  spec: () => ServiceSpec,
  commands: Readonly<Record<string, Command>> = {},
): Promise<void> {
  try {
    const built = spec();
    if ((await runCommand(process.argv[2], built, commands)) === undefined) await runService(built);
  } catch (error) {
    exitOnStartFailure(app, error);
  }
}
