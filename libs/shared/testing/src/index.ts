export { uniquePrefix, serviceEnv, cleanUp } from './isolation.js';
export { eventually, within } from './within.js';
