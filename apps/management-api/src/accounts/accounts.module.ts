import { Module } from '@nestjs/common';
import { ChangeLogModule } from '../change-log/change-log.module.js';
import { AdminsService } from './admins.service.js';
import { BootstrapOperator } from './bootstrap-operator.js';
import { LoginThrottle } from './login-throttle.js';
import { SessionsService } from './sessions.service.js';

/** Admin accounts, browser sessions and login throttling (no routes of its own). */
@Module({
  imports: [ChangeLogModule],
  providers: [AdminsService, SessionsService, LoginThrottle, BootstrapOperator],
  exports: [AdminsService, SessionsService, LoginThrottle],
})
export class AccountsModule {}
