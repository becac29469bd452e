import { Module } from '@nestjs/common';
import { ChangeLogModule } from '../change-log/change-log.module.js';
import { ModuleState } from '../policies/module-state.js';
import { AuthClientsController } from './auth-clients.controller.js';
import { AuthClientsService } from './auth-clients.service.js';

@Module({
  imports: [ChangeLogModule],
  controllers: [AuthClientsController],
  providers: [AuthClientsService, ModuleState],
})
export class AuthClientsModule {}
