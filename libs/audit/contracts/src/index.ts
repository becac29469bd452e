export * from './chain.js';
export * from './events.js';
export * from './queries.js';
