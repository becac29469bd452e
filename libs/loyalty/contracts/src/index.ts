export * from './headers.js';
export * from './errors.js';
export * from './events.js';
export * from './customers.js';
export * from './async-events.js';
export * from './openapi/index.js';
