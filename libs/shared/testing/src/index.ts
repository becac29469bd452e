export { uniquePrefix, serviceEnv, cleanUp } from './isolation.js';
