import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module.js';
import { AccountsModule } from '../accounts/accounts.module.js';
import { ChangeLogModule } from '../change-log/change-log.module.js';
import { InvitationsController } from './invitations.controller.js';
import { InvitationsService } from './invitations.service.js';

/** The public side of invitation links (the admin side is in workspaces/, with the members). */
@Module({
  imports: [AccessModule, AccountsModule, ChangeLogModule],
  controllers: [InvitationsController],
  providers: [InvitationsService],
})
export class InvitationsModule {}
