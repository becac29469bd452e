import { Module } from '@nestjs/common';
import { LoyaltyMetrics } from '../loyalty-metrics.js';
import { EventsController } from './events.controller.js';
import { EventsService } from './events.service.js';

@Module({
  controllers: [EventsController],
  providers: [EventsService, LoyaltyMetrics],
  exports: [EventsService, LoyaltyMetrics],
})
export class EventsModule {}
