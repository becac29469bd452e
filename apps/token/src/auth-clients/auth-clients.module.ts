import { Module, type DynamicModule } from '@nestjs/common';
import { AuthClientsController } from './auth-clients.controller.js';
import { AuthClientsService } from './auth-clients.service.js';
import { ClientCache } from './client-cache.js';
import { ClientPruneJob } from './client-prune.job.js';
import { ClientRecords } from './client-records.js';
import { CLIENT_SETTINGS, type ClientSettings } from './client-settings.js';
import { SecretHasher } from './secret-hasher.js';

@Module({})
export class AuthClientsModule {
  static withSettings(settings: ClientSettings, encryptionKey: Buffer): DynamicModule {
    return {
      module: AuthClientsModule,
      controllers: [AuthClientsController],
      providers: [
        AuthClientsService,
        ClientRecords,
        ClientCache,
        ClientPruneJob,
        { provide: SecretHasher, useValue: new SecretHasher(encryptionKey) },
        { provide: CLIENT_SETTINGS, useValue: settings },
      ],
      exports: [ClientCache, SecretHasher],
    };
  }
}
