import { Global, Module, type DynamicModule } from '@nestjs/common';
import { HealthController } from './health.controller.js';
import { Metrics } from './metrics.js';
import { Readiness } from './readiness.js';

@Global()
@Module({})
export class ObservabilityModule {
  static forApp(metrics: Metrics, readiness: Readiness, withController = true): DynamicModule {
    return {
      module: ObservabilityModule,
      controllers: withController ? [HealthController] : [],
      providers: [
        { provide: Metrics, useValue: metrics },
        { provide: Readiness, useValue: readiness },
      ],
      exports: [Metrics, Readiness],
    };
  }
}
