export {
  KvOutbox,
  KV_OUTBOX_OPTIONS,
  type KvOutboxOptions,
  type KvSource,
  type KvWrite,
  type OutboxTicket,
} from './kv-outbox.js';
export { KvOutboxModule } from './kv-outbox.module.js';
export { CreateKvOutbox1736000000000 } from './migration.js';
export { NatsKvPublisher, type KvPublisher } from './kv-publisher.js';
export type { ReconcileResult } from './relay.js';
export type { BucketEntry } from './reconcile-plan.js';
