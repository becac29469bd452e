import {
  commonConfig,
  databaseConfig,
  type DatabaseConfig,
  readConfig,
  type CommonConfig,
  type Env,
  type EnvReader,
} from '@loyalty-edge/config';

export interface TokenConfig {
  readonly common: CommonConfig;
  readonly database: DatabaseConfig;
  readonly keys: {
    /** A new signing key is made when the newest one has signed this long. */
    readonly rotateAfterDays: number;
    /** Retired keys stay in the JWKS this long, so tokens they signed still verify. */
    readonly retainSeconds: number;
    /** A new key is in the JWKS this long before it signs (JWKS caches learn it first). */
    readonly activationDelaySeconds: number;
    /** Encrypts private keys at rest (AES-256-GCM), 32 bytes; also the root of the secret-hash key. */
    readonly encryptionKey: Buffer;
  };
  readonly tokens: {
    /** The `iss` of every token: the gateway's public URL, without a trailing slash. */
    readonly issuer: string;
    /** `exp - iat` of every token. */
    readonly validitySeconds: number;
    /** Scopes a client may be given. */
    readonly scopes: readonly string[];
    /** Audiences a client may be given (its tokens' `aud`). */
    readonly audiences: readonly string[];
  };
  readonly clients: {
    /** The latest expiry of a new client, in days from its creation. */
    readonly maxExpiryDays: number;
    /** Active clients a workspace may have at once. */
    readonly maxActive: number;
  };
}

/** RFC 6749 §3.3 scope-token: %x21 / %x23-5B / %x5D-7E. */
export const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;
/** An audience: printable ASCII without spaces (a URI or a plain name). */
const AUDIENCE = /^[\x21-\x7E]{1,500}$/;

function readIssuer(reader: EnvReader): string {
  const issuer = reader
    .url('TOKEN_ISSUER', ['http', 'https'], 'http://127.0.0.1:8080')
    .replace(/\/+$/, '');
  if (issuer !== '' && (issuer.includes('?') || issuer.includes('#'))) {
    reader.problem('TOKEN_ISSUER', 'must have no query or fragment');
  }
  return issuer;
}

/** A comma list whose entries all pass `valid`; problems name the entry's position, not its value. */
function readTokens(
  reader: EnvReader,
  name: string,
  fallback: readonly string[],
  valid: RegExp,
  what: string,
): string[] {
  const entries = reader.list(name, fallback);
  if (entries.length === 0) reader.problem(name, `must name at least one ${what}`);
  entries.forEach((entry, index) => {
    if (!valid.test(entry)) reader.problem(name, `entry ${index + 1} is not a valid ${what}`);
  });
  return [...new Set(entries)];
}

export function loadConfig(env: Env): TokenConfig {
  return readConfig(env, (reader) => {
    if (env.TOKEN_KEY_ENCRYPTION_KEY === undefined)
      reader.problem('TOKEN_KEY_ENCRYPTION_KEY', 'is required');
    const issuer = readIssuer(reader);
    const validitySeconds = reader.int('TOKEN_VALIDITY_SECONDS', 3600, { min: 300, max: 3600 });
    const retainSeconds = reader.int('TOKEN_KEY_RETAIN_SECONDS', 7200, {
      min: 300,
      max: 30 * 86_400,
    });
    if (retainSeconds < validitySeconds) {
      reader.problem('TOKEN_KEY_RETAIN_SECONDS', 'must be at least TOKEN_VALIDITY_SECONDS');
    }
    return {
      common: commonConfig(reader, 'token', 3104),
      database: databaseConfig(reader, 'token'),
      keys: {
        rotateAfterDays: reader.int('TOKEN_KEY_ROTATE_DAYS', 30, { min: 1, max: 365 }),
        retainSeconds,
        activationDelaySeconds: reader.int('TOKEN_KEY_ACTIVATION_DELAY_SECONDS', 900, {
          min: 0,
          max: 86_400,
        }),
        encryptionKey: reader.custom('TOKEN_KEY_ENCRYPTION_KEY', Buffer.alloc(0), (value) => {
          const key = Buffer.from(value, 'base64');
          return key.length === 32 ? key : { error: 'must be the base64 of 32 random bytes' };
        }),
      },
      tokens: {
        issuer,
        validitySeconds,
        scopes: readTokens(
          reader,
          'TOKEN_SCOPES',
          ['loyalty.async_events'],
          SCOPE_TOKEN,
          'scope (RFC 6749 scope-token)',
        ),
        audiences: readTokens(
          reader,
          'TOKEN_AUDIENCES',
          [`${issuer}/v1/async/events`],
          AUDIENCE,
          'audience (printable ASCII, no spaces)',
        ),
      },
      clients: {
        maxExpiryDays: reader.int('TOKEN_CLIENT_MAX_DAYS', 730, { min: 1, max: 3650 }),
        maxActive: reader.int('TOKEN_MAX_ACTIVE_CLIENTS', 50, { min: 1, max: 10_000 }),
      },
    };
  });
}
