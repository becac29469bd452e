import type { ServiceSpec } from '@loyalty-edge/runtime';
import type { AuditConfig } from './config.js';
import { IngestModule } from './ingest/ingest.module.js';
import { migrations } from './migrations/index.js';
import { QueriesModule } from './queries/queries.module.js';
import { RetentionModule } from './retention/retention.module.js';
import { AUDIT_ENTITIES } from './store/entities.js';

/**
 * The audit service: stores the AUDIT stream's events in PostgreSQL (ingest), answers the
 * `AuditRpc` queries over NATS (queries) and deletes what is past retention (retention).
 */
export function auditApp(config: AuditConfig): ServiceSpec {
  return {
    config: config.common,
    rpc: true,
    database: { ...config.database, entities: AUDIT_ENTITIES, migrations },
    imports: [
      IngestModule.withSettings(config.consumer),
      QueriesModule,
      RetentionModule.withSettings({
        ...config.retention,
        streamMaxAgeDays: config.consumer.streamMaxAgeDays,
      }),
    ],
  };
}
