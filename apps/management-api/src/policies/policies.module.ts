import { Module } from '@nestjs/common';
import { ChangeLogModule } from '../change-log/change-log.module.js';
import { ModuleState } from './module-state.js';
import { PoliciesController } from './policies.controller.js';
import { PoliciesService } from './policies.service.js';

@Module({
  imports: [ChangeLogModule],
  controllers: [PoliciesController],
  providers: [PoliciesService, ModuleState],
})
export class PoliciesModule {}
