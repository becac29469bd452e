import type { ServiceSpec } from '@loyalty-edge/runtime';
import type { TokenConfig } from './config.js';
import { migrations } from './migrations/index.js';
import { SigningKeyEntity } from './signing-keys/signing-key.entity.js';
import { SigningKeysModule } from './signing-keys/signing-keys.module.js';

/** The token service: ES256 signing keys and the JWKS (auth clients and issuance build on it). */
export function tokenApp(config: TokenConfig): ServiceSpec {
  return {
    config: config.common,
    rpc: true,
    database: { ...config.database, entities: [SigningKeyEntity], migrations },
    imports: [SigningKeysModule.withSettings(config.keys)],
  };
}
