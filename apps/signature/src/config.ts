import {
  commonConfig,
  databaseConfig,
  type DatabaseConfig,
  readConfig,
  type CommonConfig,
  type Env,
} from '@loyalty-edge/config';

export interface SignatureConfig {
  readonly common: CommonConfig;
  readonly database: DatabaseConfig;
  /** Escher parameters of this deployment (Antavo-compatible). */
  readonly escher: { readonly credentialScope: string; readonly algoPrefix: string };
}

export function loadConfig(env: Env): SignatureConfig {
  return readConfig(env, (reader) => ({
    common: commonConfig(reader, 'signature', 3103),
    database: databaseConfig(reader, 'signature'),
    escher: {
      credentialScope: reader.custom('ESCHER_CREDENTIAL_SCOPE', 'eu/api/antavo_request', (value) =>
        /^[^\s/]+(\/[^\s/]+)*$/.test(value)
          ? value
          : { error: 'must be slash-separated parts without spaces' },
      ),
      algoPrefix: reader.string('ESCHER_ALGO_PREFIX', 'ANTAVO'),
    },
  }));
}
