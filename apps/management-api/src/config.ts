import { readFileSync } from 'node:fs';
import {
  commonConfig,
  databaseConfig,
  type DatabaseConfig,
  readConfig,
  trustedProxiesConfig,
  type CommonConfig,
  type Env,
  type EnvReader,
} from '@loyalty-edge/config';
import { passwordProblems } from './accounts/password-policy.js';

export interface ManagementConfig {
  readonly common: CommonConfig;
  readonly database: DatabaseConfig;
  /** Where browsers reach this API; an https URL makes the session cookie `Secure`. */
  readonly publicUrl: string;
  readonly session: {
    readonly secureCookie: boolean;
    readonly idleTimeoutSeconds: number;
    readonly maxAgeSeconds: number;
  };
  readonly login: {
    /** Failed attempts on one email that lock it, and for how long. */
    readonly maxFailures: number;
    readonly lockoutSeconds: number;
    /** Failed attempts from one client IP within the window before it is refused. */
    readonly ipMaxFailures: number;
    readonly ipWindowSeconds: number;
  };
  /** The first operator, created at start when no admin has this email. */
  readonly bootstrapAdmin: { readonly email: string; readonly password: string } | undefined;
  /** Peers whose X-Forwarded-For is believed (CIDRs); empty: the socket peer is the client. */
  readonly trustedProxies: readonly string[];
  /** What a client needs to sign requests: the Escher credential scope and the gateway URL. */
  readonly client: { readonly credentialScope: string; readonly gatewayUrl: string };
  readonly tokens: { readonly maxLifetimeDays: number };
  /** How long an invitation link works (INVITATION_VALIDITY_HOURS, 7 days by default). */
  readonly invitations: { readonly validityHours: number };
  readonly audit: { readonly exportMaxRows: number };
  /**
   * The API browser's calls (api-browser/): where to reach the gateway (an internal URL may
   * differ from the public one; the Host header and signatures name the public one) and how
   * long to wait for its answer.
   */
  readonly apiBrowser: { readonly gatewayUrl: string; readonly timeoutMs: number };
}

function readBootstrapAdmin(reader: EnvReader): ManagementConfig['bootstrapAdmin'] {
  const email = reader.optionalString('BOOTSTRAP_ADMIN_EMAIL')?.toLowerCase();
  let password = reader.optionalString('BOOTSTRAP_ADMIN_PASSWORD');
  const file = reader.optionalString('BOOTSTRAP_ADMIN_PASSWORD_FILE');
  if (file !== undefined) {
    try {
      password = readFileSync(file, 'utf8').trim();
    } catch {
      reader.problem('BOOTSTRAP_ADMIN_PASSWORD_FILE', 'cannot be read');
    }
  }
  if (email === undefined && password === undefined) return undefined;
  if (email === undefined || !/^[^\s@]+@[^\s@]+$/.test(email)) {
    reader.problem('BOOTSTRAP_ADMIN_EMAIL', 'must be an email address when a password is set');
    return undefined;
  }
  if (password === undefined) {
    reader.problem('BOOTSTRAP_ADMIN_PASSWORD', 'is required with BOOTSTRAP_ADMIN_EMAIL');
    return undefined;
  }
  for (const problem of passwordProblems(password, email)) {
    reader.problem('BOOTSTRAP_ADMIN_PASSWORD', problem);
  }
  return { email, password };
}

export function loadConfig(env: Env): ManagementConfig {
  return readConfig(env, (reader) => {
    const common = commonConfig(reader, 'management-api', 8081);
    const publicUrl = reader.url('PUBLIC_URL', ['http', 'https'], 'http://127.0.0.1:8081');
    const idleTimeoutSeconds = reader.int('SESSION_IDLE_TIMEOUT_SECONDS', 1800, {
      min: 60,
      max: 86_400,
    });
    const maxAgeSeconds = reader.int('SESSION_MAX_AGE_SECONDS', 43_200, {
      min: 300,
      max: 30 * 86_400,
    });
    if (maxAgeSeconds < idleTimeoutSeconds) {
      reader.problem('SESSION_MAX_AGE_SECONDS', 'must not be shorter than the idle timeout');
    }
    return {
      common,
      database: databaseConfig(reader, 'management'),
      publicUrl,
      session: {
        secureCookie: publicUrl.startsWith('https:'),
        idleTimeoutSeconds,
        maxAgeSeconds,
      },
      login: {
        maxFailures: reader.int('LOGIN_MAX_FAILURES', 5, { min: 1, max: 100 }),
        lockoutSeconds: reader.int('LOGIN_LOCKOUT_SECONDS', 900, { min: 1, max: 86_400 }),
        ipMaxFailures: reader.int('LOGIN_IP_MAX_FAILURES', 50, { min: 1, max: 100_000 }),
        ipWindowSeconds: reader.int('LOGIN_IP_WINDOW_SECONDS', 900, { min: 1, max: 86_400 }),
      },
      bootstrapAdmin: readBootstrapAdmin(reader),
      trustedProxies: trustedProxiesConfig(reader),
      client: {
        credentialScope: reader.custom('ESCHER_CREDENTIAL_SCOPE', 'eu/api/antavo_request', (v) =>
          /^[A-Za-z0-9_-]+\/api\/antavo_request$/.test(v)
            ? v
            : { error: 'must be <region>/api/antavo_request' },
        ),
        gatewayUrl: reader
          .url('GATEWAY_PUBLIC_URL', ['http', 'https'], 'http://127.0.0.1:8080')
          .replace(/\/+$/, ''),
      },
      tokens: { maxLifetimeDays: reader.int('ACCESS_TOKEN_MAX_DAYS', 366, { min: 1, max: 3660 }) },
      invitations: {
        validityHours: reader.int('INVITATION_VALIDITY_HOURS', 168, { min: 1, max: 720 }),
      },
      apiBrowser: {
        gatewayUrl: reader
          .url(
            'API_BROWSER_GATEWAY_URL',
            ['http', 'https'],
            reader.optionalString('GATEWAY_PUBLIC_URL') ?? 'http://127.0.0.1:8080',
          )
          .replace(/\/+$/, ''),
        timeoutMs: reader.int('API_BROWSER_TIMEOUT_MS', 10_000, { min: 100, max: 60_000 }),
      },
      audit: {
        exportMaxRows: reader.int('AUDIT_EXPORT_MAX_ROWS', 100_000, { min: 1, max: 10_000_000 }),
      },
    };
  });
}

/** Injection token of the frozen config (provided to every module by `ConfigModule`). */
export const MANAGEMENT_CONFIG = Symbol('ManagementConfig');
