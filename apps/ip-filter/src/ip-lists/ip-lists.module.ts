import { Module, type DynamicModule } from '@nestjs/common';
import type { IpListLimits } from '../config.js';
import { IpFilterRecords } from './ip-filter-records.js';
import { IpListsController } from './ip-lists.controller.js';
import { IP_LIST_LIMITS, IpListsService } from './ip-lists.service.js';
import { WorkspaceLock } from './workspace-lock.js';

@Module({})
export class IpListsModule {
  static withLimits(limits: IpListLimits): DynamicModule {
    return {
      module: IpListsModule,
      controllers: [IpListsController],
      providers: [
        IpListsService,
        IpFilterRecords,
        WorkspaceLock,
        { provide: IP_LIST_LIMITS, useValue: limits },
      ],
      exports: [IpListsService],
    };
  }
}
