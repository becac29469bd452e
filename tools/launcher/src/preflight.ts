import { connect } from '@nats-io/transport-node';
import pg from 'pg';

/** Says which dependency is missing, where it was looked for, and how to start it. */
export class PreflightError extends Error {}

function safe(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable URL)';
  }
}

export async function checkPostgres(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    const reason =
      error instanceof Error ? ((error as { code?: string }).code ?? error.message) : 'unknown';
    throw new PreflightError(
      `PostgreSQL is not reachable at ${safe(url)} (${reason}).\n` +
        '  Start it (Debian: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start)\n' +
        '  or point DATABASE_URL at a running server.',
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function checkNats(url: string): Promise<void> {
  try {
    const nc = await connect({ servers: url.split(','), timeout: 3000, maxReconnectAttempts: 0 });
    const jetstream = nc.info?.jetstream === true;
    await nc.close();
    if (!jetstream) {
      throw new PreflightError(`NATS at ${safe(url)} runs without JetStream: restart it with -js.`);
    }
  } catch (error) {
    if (error instanceof PreflightError) throw error;
    throw new PreflightError(
      `NATS is not reachable at ${safe(url)}.\n` +
        '  Start it with JetStream (nats-server -js, or on Debian: start-stop-daemon --start --oknodo --background\n' +
        '  --exec /usr/sbin/nats-server -- -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server)\n' +
        '  or point NATS_URL at a running server.',
    );
  }
}
