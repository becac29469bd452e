import { KvOutboxModule } from '@loyalty-edge/outbox';
import type { ServiceSpec } from '@loyalty-edge/runtime';
import type { IssuerRecord } from '@loyalty-edge/token-contracts';
import { AuthClientEntity } from './auth-clients/auth-client.entity.js';
import { AuthClientsModule } from './auth-clients/auth-clients.module.js';
import type { TokenConfig } from './config.js';
import { IssuanceModule } from './issuance/issuance.module.js';
import { migrations } from './migrations/index.js';
import { SigningKeyEntity } from './signing-keys/signing-key.entity.js';
import { SigningKeysModule } from './signing-keys/signing-keys.module.js';

/**
 * The token service: ES256 signing keys published ahead of use (JWKS in KV), OAuth2 auth
 * clients of each workspace (records in KV, audit events), and access-token issuance.
 */
export function tokenApp(config: TokenConfig): ServiceSpec {
  const { tokens, clients, keys } = config;
  const issuer: IssuerRecord = {
    issuer: tokens.issuer,
    audiences: tokens.audiences,
    scopes: tokens.scopes,
    tokenValiditySeconds: tokens.validitySeconds,
  };
  const signingKeys = SigningKeysModule.withSettings(keys, issuer);
  const authClients = AuthClientsModule.withSettings({ ...tokens, ...clients }, keys.encryptionKey);
  return {
    config: config.common,
    rpc: true,
    database: { ...config.database, entities: [SigningKeyEntity, AuthClientEntity], migrations },
    imports: [
      KvOutboxModule.forRoot(),
      signingKeys,
      authClients,
      IssuanceModule.withSettings(tokens, [signingKeys, authClients]),
    ],
  };
}
