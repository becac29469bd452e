import { Module } from '@nestjs/common';
import { ChangeLogModule } from '../change-log/change-log.module.js';
import { WorkspacesModule } from '../workspaces/workspaces.module.js';
import { RateLimitsController } from './rate-limits.controller.js';
import { RateLimitsService } from './rate-limits.service.js';

@Module({
  imports: [WorkspacesModule, ChangeLogModule],
  controllers: [RateLimitsController],
  providers: [RateLimitsService],
})
export class RateLimitsModule {}
