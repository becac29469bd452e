import { KvOutboxModule } from '@loyalty-edge/outbox';
import type { ServiceSpec } from '@loyalty-edge/runtime';
import { ApiKeyEntity } from './api-keys/api-key.entity.js';
import { ApiKeysModule } from './api-keys/api-keys.module.js';
import type { CredentialsConfig } from './config.js';
import { migrations } from './migrations/index.js';

/** The credentials service: API keys and their sealed secrets; answers over NATS. */
export function credentialsApp(config: CredentialsConfig): ServiceSpec {
  return {
    config: config.common,
    rpc: true,
    database: { ...config.database, entities: [ApiKeyEntity], migrations },
    imports: [KvOutboxModule.forRoot(), ApiKeysModule.withKeks(config.keks)],
  };
}
