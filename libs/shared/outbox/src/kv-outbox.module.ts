import { Global, Module, type DynamicModule } from '@nestjs/common';
import { KV_OUTBOX_OPTIONS, KvOutbox, type KvOutboxOptions } from './kv-outbox.js';

/**
 * The app's KV outbox (one per service, every bucket it owns). Needs the app's DataSource,
 * NatsLink, Metrics and Readiness (runService provides them) and the CreateKvOutbox migration
 * among the service's migrations.
 */
@Global()
@Module({})
export class KvOutboxModule {
  static forRoot(options: KvOutboxOptions = {}): DynamicModule {
    return {
      module: KvOutboxModule,
      providers: [{ provide: KV_OUTBOX_OPTIONS, useValue: options }, KvOutbox],
      exports: [KvOutbox],
    };
  }
}
