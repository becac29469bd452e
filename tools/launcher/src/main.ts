import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  bootstrapDemo,
  DEFAULT_PORTS,
  PreflightError,
  startPlatform,
  type Ports,
} from './index.js';

/**
 * `npm start`: the whole platform on this machine. Secrets it needs (the key-encryption key,
 * the audit anchor key, a generated operator password) are kept in .local/platform.json,
 * outside version control.
 */
const root = fileURLToPath(new URL('../../..', import.meta.url));
const env = process.env;

function port(name: string, fallback: number): number {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > 65535) {
    process.stderr.write(`${name} must be a port number (1-65535)\n`);
    process.exit(1);
  }
  return parsed;
}

interface LocalSecrets {
  kek: string;
  tokenKey: string;
  adminPassword: string;
  /** AUDIT_ANCHOR_KEY (generated and added when the file has none). */
  anchorKey: string;
}

function localSecrets(): LocalSecrets {
  const dir = join(root, '.local');
  const file = join(dir, 'platform.json');
  const stored = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<LocalSecrets>)
    : undefined;
  if (stored?.kek && stored.tokenKey && stored.adminPassword && stored.anchorKey) {
    return stored as LocalSecrets;
  }
  // kept once written: the anchors signed so far are checked with the same key
  const secrets: LocalSecrets = {
    kek: stored?.kek ?? `dev1:${randomBytes(32).toString('base64')}`,
    tokenKey: stored?.tokenKey ?? randomBytes(32).toString('base64'),
    adminPassword: stored?.adminPassword ?? `${randomBytes(12).toString('base64url')}-Le1`,
    anchorKey: stored?.anchorKey ?? randomBytes(32).toString('base64'),
  };
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  return secrets;
}

const ports: Ports = {
  ...DEFAULT_PORTS,
  gateway: port('GATEWAY_PORT', DEFAULT_PORTS.gateway),
  management: port('MANAGEMENT_PORT', DEFAULT_PORTS.management),
  adminWeb: port('ADMIN_WEB_PORT', DEFAULT_PORTS.adminWeb),
};
const secrets = localSecrets();
const adminEmail = env.BOOTSTRAP_ADMIN_EMAIL ?? 'admin@loyalty-edge.local';
const adminPassword = env.BOOTSTRAP_ADMIN_PASSWORD ?? secrets.adminPassword;
const started = Date.now();
const write = (line: string): void => void process.stdout.write(`${line}\n`);

try {
  const platform = await startPlatform({
    root,
    databaseUrl: env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    natsUrl: env.NATS_URL ?? 'nats://127.0.0.1:4222',
    natsPrefix: env.NATS_PREFIX ?? 'le',
    schemaPrefix: env.DB_SCHEMA_PREFIX ?? '',
    ports,
    secrets: {
      kek: env.CREDENTIALS_KEK ?? secrets.kek,
      tokenKey: env.TOKEN_KEY_ENCRYPTION_KEY ?? secrets.tokenKey,
      anchorKey: env.AUDIT_ANCHOR_KEY ?? secrets.anchorKey,
      adminEmail,
      adminPassword,
    },
    logLevel: env.LOG_LEVEL ?? 'info',
    write,
  });
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    write('\nStopping the platform...');
    void platform.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const demo = await bootstrapDemo(platform.management, {
    email: adminEmail,
    password: adminPassword,
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const gateway = platform.gateways[0] ?? '';
  // secrets go to a terminal only: output redirected to a file (a log) gets a 0600 file instead
  const terminal = process.stdout.isTTY;
  const fresh = {
    ...(demo.credentials ? { apiSecret: demo.credentials.apiSecret } : {}),
    ...(demo.authClient ? { clientSecret: demo.authClient.clientSecret } : {}),
  };
  const secretsFile = join(root, '.local', 'demo-secrets.json');
  if (!terminal && Object.keys(fresh).length > 0) {
    writeFileSync(secretsFile, `${JSON.stringify(fresh, null, 2)}\n`, { mode: 0o600 });
  }
  const shown = (secret: string): string =>
    terminal ? secret : `(in ${secretsFile}: output is not a terminal)`;
  write(
    [
      '',
      `Loyalty Edge is ready (${seconds} s).`,
      `  Gateway          ${gateway}   (metrics ${platform.gatewayMetrics[0] ?? ''}/metrics)`,
      `  Management API   ${platform.management}/api   (OpenAPI ${platform.management}/api/docs)`,
      `  Admin web        ${platform.adminWeb}`,
      '',
      `  Operator login   ${adminEmail} / ${env.BOOTSTRAP_ADMIN_PASSWORD === undefined ? adminPassword : '(BOOTSTRAP_ADMIN_PASSWORD)'}`,
      `  Demo workspace   ${demo.id}, API key ${demo.apiKey ?? '(none)'}`,
      ...(demo.credentials
        ? [`  Demo API secret  ${shown(demo.credentials.apiSecret)}   (shown once: keep it now)`]
        : []),
      `  Try it           curl -s -X POST '${gateway}/events?api_key=${demo.apiKey ?? ''}' -H 'content-type: application/json' -d '{"customer":"c1","action":"opt_in","data":{}}'`,
      '',
      `  Demo auth client ${demo.authClientId ?? '(none)'}`,
      ...(demo.authClient
        ? [
            `  Its secret       ${shown(demo.authClient.clientSecret)}   (shown once: keep it now)`,
            `  Get a token      TOKEN=$(curl -s -u '${demo.authClient.clientId}:${terminal ? demo.authClient.clientSecret : '<secret>'}' -d grant_type=client_credentials '${gateway}/v1/auth/token' | node -pe 'JSON.parse(require("fs").readFileSync(0)).access_token')`,
          ]
        : []),
      `  Then             curl -s -X POST '${gateway}/v1/async/events' -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' -d '{"customer":"c1","action":"point_add","data":{"points":10}}'`,
      '',
      'Press Ctrl-C to stop.',
    ].join('\n'),
  );
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(
    `\n${error instanceof PreflightError ? '' : 'The platform did not start: '}${message}\n`,
  );
  process.exit(1);
}
