import { Module, type DynamicModule } from '@nestjs/common';
import { EventsModule } from '../events/events.module.js';
import { AsyncEventsController } from './async-events.controller.js';
import { ASYNC_EVENTS_OPTIONS, type AsyncEventsOptions } from './async-events.options.js';
import { AsyncEventsService } from './async-events.service.js';
import { AsyncProcessor } from './async-processor.js';
import { AsyncQueue } from './async-queue.js';
import { AsyncWorker } from './async-worker.js';

@Module({})
export class AsyncEventsModule {
  static withOptions(options: AsyncEventsOptions): DynamicModule {
    return {
      module: AsyncEventsModule,
      imports: [EventsModule],
      controllers: [AsyncEventsController],
      providers: [
        { provide: ASYNC_EVENTS_OPTIONS, useValue: options },
        AsyncEventsService,
        AsyncProcessor,
        AsyncQueue,
        AsyncWorker,
      ],
    };
  }
}
