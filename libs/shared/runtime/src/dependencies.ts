import { ConfigError } from '@loyalty-edge/config';

/** What to say when a dependency cannot be reached: which one, where, and how to start it. */
export class DependencyError extends Error {
  constructor(
    readonly dependency: 'PostgreSQL' | 'NATS',
    readonly url: string,
    reason: string,
  ) {
    super(`Cannot reach ${dependency} at ${safeUrl(url)} (${reason}). ${HINTS[dependency]}`);
    this.name = 'DependencyError';
  }
}

const HINTS = {
  PostgreSQL:
    'Start it (Debian: pg_ctlcluster <version> main start) or set DATABASE_URL to a reachable server.',
  NATS: 'Start nats-server with JetStream (nats-server -js) or set NATS_URL to a reachable server.',
} as const;

/** A URL without its password, for messages. */
export function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable URL)';
  }
}

export function reasonOf(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? code : (error.message.split('\n')[0] ?? error.name);
  }
  return 'unknown error';
}

/** Prints a start-up failure in one line, no stack trace, and exits. */
export function exitOnStartFailure(app: string, error: unknown): never {
  const message =
    error instanceof ConfigError || error instanceof DependencyError
      ? error.message
      : `unexpected start-up error: ${reasonOf(error)}`;
  process.stderr.write(
    `${JSON.stringify({ time: new Date().toISOString(), level: 'error', app, msg: message })}\n`,
  );
  process.exit(1);
}
