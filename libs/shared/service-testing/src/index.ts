export { ServiceTest } from './service-test.js';
