import { Module, type DynamicModule } from '@nestjs/common';
import type { IssuerRecord } from '@loyalty-edge/token-contracts';
import { KeyMaintenance } from './key-maintenance.js';
import { KeyRing } from './key-ring.js';
import { SigningKeysController } from './signing-keys.controller.js';
import {
  ISSUER_RECORD,
  KEY_SETTINGS,
  SigningKeysService,
  type KeySettings,
} from './signing-keys.service.js';

@Module({})
export class SigningKeysModule {
  static withSettings(settings: KeySettings, issuer: IssuerRecord): DynamicModule {
    return {
      module: SigningKeysModule,
      controllers: [SigningKeysController],
      providers: [
        KeyRing,
        SigningKeysService,
        KeyMaintenance,
        { provide: KEY_SETTINGS, useValue: settings },
        { provide: ISSUER_RECORD, useValue: issuer },
      ],
      exports: [KeyRing],
    };
  }
}
