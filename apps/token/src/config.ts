import {
  commonConfig,
  databaseConfig,
  type DatabaseConfig,
  readConfig,
  type CommonConfig,
  type Env,
} from '@loyalty-edge/config';

export interface TokenConfig {
  readonly common: CommonConfig;
  readonly database: DatabaseConfig;
  readonly keys: {
    /** A new signing key is made when the active one is older than this. */
    readonly rotateAfterDays: number;
    /** Retired keys stay in the JWKS this long, so tokens they signed still verify. */
    readonly retainSeconds: number;
    /** Encrypts private keys at rest (AES-256-GCM), 32 bytes. */
    readonly encryptionKey: Buffer;
  };
}

export function loadConfig(env: Env): TokenConfig {
  return readConfig(env, (reader) => {
    if (env.TOKEN_KEY_ENCRYPTION_KEY === undefined)
      reader.problem('TOKEN_KEY_ENCRYPTION_KEY', 'is required');
    return {
      common: commonConfig(reader, 'token', 3104),
      database: databaseConfig(reader, 'token'),
      keys: {
        rotateAfterDays: reader.int('TOKEN_KEY_ROTATE_DAYS', 30, { min: 1, max: 365 }),
        retainSeconds: reader.int('TOKEN_KEY_RETAIN_SECONDS', 7200, { min: 300, max: 30 * 86_400 }),
        encryptionKey: reader.custom('TOKEN_KEY_ENCRYPTION_KEY', Buffer.alloc(0), (value) => {
          const key = Buffer.from(value, 'base64');
          return key.length === 32 ? key : { error: 'must be the base64 of 32 random bytes' };
        }),
      },
    };
  });
}
