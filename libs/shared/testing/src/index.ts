export { uniquePrefix, serviceEnv, cleanUp } from './isolation.js';
export { eventually, within } from './within.js';
export { freePort } from './free-port.js';
