import { Module, type DynamicModule } from '@nestjs/common';
import { KvOutboxModule } from '@loyalty-edge/outbox';
import type { ServiceSpec } from '@loyalty-edge/runtime';
import type { SignatureConfig } from './config.js';
import { EnforcementEntity } from './enforcement/enforcement.entity.js';
import { EnforcementService } from './enforcement/enforcement.service.js';
import { migrations } from './migrations/index.js';
import { SignatureController } from './signature.controller.js';
import { ESCHER_SETTINGS, SigningKeysService } from './signing-keys/signing-keys.service.js';

@Module({})
class SignatureModule {
  static withConfig(config: SignatureConfig): DynamicModule {
    return {
      module: SignatureModule,
      controllers: [SignatureController],
      providers: [
        EnforcementService,
        SigningKeysService,
        { provide: ESCHER_SETTINGS, useValue: config.escher },
      ],
    };
  }
}

/** The signature service: enforcement settings and derived Escher signing keys. */
export function signatureApp(config: SignatureConfig): ServiceSpec {
  return {
    config: config.common,
    rpc: true,
    database: { ...config.database, entities: [EnforcementEntity], migrations },
    imports: [KvOutboxModule.forRoot(), SignatureModule.withConfig(config)],
  };
}
