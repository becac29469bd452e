export { ConfigError, EnvReader, readConfig, deepFreeze, type Env } from './env-reader.js';
export { commonConfig, trustedProxiesConfig, type CommonConfig } from './common.js';
