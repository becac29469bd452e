import {
  commonConfig,
  databaseConfig,
  type DatabaseConfig,
  readConfig,
  type CommonConfig,
  type Env,
} from '@loyalty-edge/config';
import { IP_FILTER_LIMITS } from '@loyalty-edge/ip-filter-contracts';

export interface IpListLimits {
  /** Entries per API list, counted as submitted. */
  readonly perApi: number;
  /** Entries over all APIs of one workspace. */
  readonly perWorkspace: number;
}

export interface IpFilterConfig {
  readonly common: CommonConfig;
  readonly database: DatabaseConfig;
  readonly limits: IpListLimits;
}

/** Most a workspace may hold: its lists must fit one NATS message (1 MiB by default). */
const CEILING = IP_FILTER_LIMITS.entriesPerWorkspace;

export function loadConfig(env: Env): IpFilterConfig {
  return readConfig(env, (reader) => {
    const perApi = reader.int('IP_FILTER_MAX_ENTRIES', IP_FILTER_LIMITS.entriesPerApi, {
      min: 1,
      max: CEILING,
    });
    const perWorkspace = reader.int(
      'IP_FILTER_MAX_WORKSPACE_ENTRIES',
      IP_FILTER_LIMITS.entriesPerWorkspace,
      { min: 1, max: CEILING },
    );
    if (perWorkspace < perApi) {
      reader.problem('IP_FILTER_MAX_WORKSPACE_ENTRIES', 'must not be below IP_FILTER_MAX_ENTRIES');
    }
    return {
      common: commonConfig(reader, 'ip-filter', 3102),
      database: databaseConfig(reader, 'ip_filter'),
      limits: { perApi, perWorkspace },
    };
  });
}
