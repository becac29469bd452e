import { Module, type DynamicModule } from '@nestjs/common';
import { ApiKeysController } from './api-keys.controller.js';
import { ApiKeysService } from './api-keys.service.js';
import { KeyRecords } from './key-records.js';
import { SecretBox, type Kek } from './secret-box.js';

@Module({})
export class ApiKeysModule {
  static withKeks(keks: { active: Kek; previous: readonly Kek[] }): DynamicModule {
    return {
      module: ApiKeysModule,
      controllers: [ApiKeysController],
      providers: [
        ApiKeysService,
        KeyRecords,
        { provide: SecretBox, useValue: new SecretBox(keks.active, keks.previous) },
      ],
      exports: [ApiKeysService],
    };
  }
}
