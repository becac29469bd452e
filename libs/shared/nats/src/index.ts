export { NatsLink, inboxPrefix, type NatsSettings } from './connection.js';
export { RpcClient, type RpcReply } from './rpc-client.js';
export { NatsRpcServer } from './rpc-server.js';
export { EventPublisher, ensureStream, type PublisherOptions } from './event-publisher.js';
export {
  openBucket,
  kvPut,
  kvGet,
  kvDelete,
  KvWatcher,
  type BucketOptions,
  type KvChange,
} from './kv.js';
export { isPermissionViolation, raiseReplicas } from './replicas.js';
export { NatsModule } from './nats.module.js';
