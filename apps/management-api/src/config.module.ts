import { Global, Module, type DynamicModule } from '@nestjs/common';
import { MANAGEMENT_CONFIG, type ManagementConfig } from './config.js';

/** Makes the validated config injectable as `@Inject(MANAGEMENT_CONFIG)`. */
@Global()
@Module({})
export class ConfigModule {
  static forConfig(config: ManagementConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: MANAGEMENT_CONFIG, useValue: config }],
      exports: [MANAGEMENT_CONFIG],
    };
  }
}
