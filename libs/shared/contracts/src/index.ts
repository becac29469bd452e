export {
  defineRpc,
  defineEvent,
  type RpcContract,
  type EventContract,
  type RequestOf,
  type ResponseOf,
} from './define.js';
export { ErrorCodes, type StaleRevisionDetails } from './error-codes.js';
export { API_CATALOG, API_IDS, isApiId, type ApiId, type ApiDescriptor } from './api-catalog.js';
export { KV_BUCKETS, STREAMS, type KvBucket } from './buckets.js';
export { ACTOR_TYPES, type Actor, type ActorType } from './actor.js';
export { DATABASE_APPS, PLATFORM_APPS, type AppDescriptor, type AppName } from './apps.js';
