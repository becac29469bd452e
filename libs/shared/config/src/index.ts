export { ConfigError, EnvReader, readConfig, deepFreeze, type Env } from './env-reader.js';
export { commonConfig, type CommonConfig } from './common.js';
