import { Module, type DynamicModule } from '@nestjs/common';
import { IssuanceController } from './issuance.controller.js';
import { ISSUANCE_SETTINGS, IssuanceService, type IssuanceSettings } from './issuance.service.js';

@Module({})
export class IssuanceModule {
  /** `features`: the modules providing ClientCache, SecretHasher and KeyRing. */
  static withSettings(
    settings: IssuanceSettings,
    features: readonly DynamicModule[],
  ): DynamicModule {
    return {
      module: IssuanceModule,
      imports: [...features],
      controllers: [IssuanceController],
      providers: [IssuanceService, { provide: ISSUANCE_SETTINGS, useValue: settings }],
    };
  }
}
