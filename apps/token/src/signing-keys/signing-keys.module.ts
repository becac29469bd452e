import { Module, type DynamicModule } from '@nestjs/common';
import { SigningKeysController } from './signing-keys.controller.js';
import { KEY_SETTINGS, SigningKeysService, type KeySettings } from './signing-keys.service.js';

@Module({})
export class SigningKeysModule {
  static withSettings(settings: KeySettings): DynamicModule {
    return {
      module: SigningKeysModule,
      controllers: [SigningKeysController],
      providers: [SigningKeysService, { provide: KEY_SETTINGS, useValue: settings }],
      exports: [SigningKeysService],
    };
  }
}
