export { uniquePrefix, serviceEnv, cleanUp } from './isolation.js';
export { within } from './within.js';
