import { Module, type DynamicModule } from '@nestjs/common';
import { ChainAppender } from '../chain/chain-appender.js';
import { AuditConsumer, CONSUMER_SETTINGS, type ConsumerSettings } from './audit-consumer.js';
import { AuditMetrics } from './audit-metrics.js';
import { AuditWriter } from './audit-writer.js';

/** Stream → PostgreSQL: the durable consumer, the batch writer and their metrics. */
@Module({})
export class IngestModule {
  static withSettings(settings: ConsumerSettings): DynamicModule {
    return {
      module: IngestModule,
      providers: [
        AuditConsumer,
        AuditWriter,
        ChainAppender,
        AuditMetrics,
        { provide: CONSUMER_SETTINGS, useValue: settings },
      ],
      exports: [AuditConsumer, AuditMetrics],
    };
  }
}
