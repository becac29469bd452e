export { ConfigError, EnvReader, readConfig, deepFreeze, type Env } from './env-reader.js';
export {
  commonConfig,
  databaseConfig,
  trustedProxiesConfig,
  type CommonConfig,
  type DatabaseConfig,
} from './common.js';
