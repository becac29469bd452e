import type { ServiceSpec } from '@loyalty-edge/runtime';
import { ChainModule } from './chain/chain.module.js';
import type { AuditConfig } from './config.js';
import { IngestModule } from './ingest/ingest.module.js';
import { migrations } from './migrations/index.js';
import { QueriesModule } from './queries/queries.module.js';
import { RetentionModule } from './retention/retention.module.js';
import { AUDIT_ENTITIES } from './store/entities.js';

/**
 * The audit service: stores the AUDIT stream's events in PostgreSQL as hash chains (ingest),
 * answers the `AuditRpc` queries and `AuditChainRpc.verify` over NATS (queries, chain), signs
 * the chain heads (chain) and deletes what is past retention (retention). A one-off command
 * (`verify`) gets the chain verification alone: no consumer, no jobs.
 */
export function auditApp(
  config: AuditConfig,
  options: { serve: boolean } = { serve: true },
): ServiceSpec {
  const database = { ...config.database, entities: AUDIT_ENTITIES, migrations };
  if (!options.serve) {
    return {
      config: config.common,
      database,
      imports: [ChainModule.withSettings(config.chain, { anchors: false })],
    };
  }
  return {
    config: config.common,
    rpc: true,
    database,
    imports: [
      IngestModule.withSettings(config.consumer),
      QueriesModule,
      ChainModule.withSettings(config.chain, { anchors: true }),
      RetentionModule.withSettings({
        ...config.retention,
        streamMaxAgeDays: config.consumer.streamMaxAgeDays,
      }),
    ],
  };
}
