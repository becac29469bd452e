import { fileURLToPath } from 'node:url';
import { ConfigError } from '@loyalty-edge/config';
import { JsonLogger } from '@loyalty-edge/observability';
import { loadConfig, type AdminWebConfig } from './config.js';
import { createAdminWebServer } from './server.js';

const SHUTDOWN_GRACE_MS = 10_000;

function startUpConfig(): AdminWebConfig {
  try {
    return loadConfig(process.env);
  } catch (error) {
    const msg = error instanceof ConfigError ? error.message : 'unexpected start-up error';
    const entry = { time: new Date().toISOString(), level: 'error', app: 'admin-web', msg };
    process.stderr.write(`${JSON.stringify(entry)}\n`);
    process.exit(1);
  }
}

const config = startUpConfig();
const logger = new JsonLogger('admin-web', config.log.level);
const server = createAdminWebServer(
  config,
  logger,
  fileURLToPath(new URL('./public/', import.meta.url)),
);

server.on('error', (error) => {
  logger.error({ msg: 'server error', error: error.message });
  process.exit(1);
});
server.listen(config.http.port, config.http.host, () => {
  logger.log({
    msg: 'admin web listening',
    url: `http://${config.http.host}:${config.http.port}`,
    managementApi: config.managementApiUrl,
  });
});

/** Stops accepting, lets requests in flight finish, then exits (forcing after the grace period). */
function shutdown(signal: string): void {
  logger.log({ msg: 'shutting down', signal });
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => {
    server.closeAllConnections();
  }, SHUTDOWN_GRACE_MS).unref();
}
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
