import { KvOutboxModule } from '@loyalty-edge/outbox';
import type { ServiceSpec } from '@loyalty-edge/runtime';
import type { IpFilterConfig } from './config.js';
import { IpListEntity } from './ip-lists/ip-list.entity.js';
import { IpListsModule } from './ip-lists/ip-lists.module.js';
import { migrations } from './migrations/index.js';

/**
 * The ip-filter service: per-API allow-lists of each workspace, validated and normalised, kept
 * in the `ip_filters` KV bucket for the gateways; answers over NATS. Whether the module is on
 * is management-api's (it asks before calling here).
 */
export function ipFilterApp(config: IpFilterConfig): ServiceSpec {
  return {
    config: config.common,
    rpc: true,
    database: { ...config.database, entities: [IpListEntity], migrations },
    imports: [KvOutboxModule.forRoot(), IpListsModule.withLimits(config.limits)],
  };
}
