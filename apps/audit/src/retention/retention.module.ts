import { Module, type DynamicModule } from '@nestjs/common';
import { RETENTION_SETTINGS, RetentionJob, type RetentionSettings } from './retention.job.js';

/** The periodic purge of rows past their retention. */
@Module({})
export class RetentionModule {
  static withSettings(settings: RetentionSettings): DynamicModule {
    return {
      module: RetentionModule,
      providers: [RetentionJob, { provide: RETENTION_SETTINGS, useValue: settings }],
      exports: [RetentionJob],
    };
  }
}
