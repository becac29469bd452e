import { Module } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { AccountsModule } from '../accounts/accounts.module.js';
import { AccessTokensModule } from '../access-tokens/access-tokens.module.js';
import { WorkspacesModule } from '../workspaces/workspaces.module.js';
import { AccessGuard } from './access.guard.js';
import { CallerAuthenticator } from './caller-authenticator.js';
import { RouteTable } from './route-table.js';

/** The global access guard (roles, authentication, CSRF, workspace membership). */
@Module({
  imports: [DiscoveryModule, AccountsModule, AccessTokensModule, WorkspacesModule],
  providers: [CallerAuthenticator, RouteTable, { provide: APP_GUARD, useClass: AccessGuard }],
  exports: [RouteTable, CallerAuthenticator],
})
export class AccessModule {}
