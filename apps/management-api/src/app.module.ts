import type { Type } from '@nestjs/common';
import { KvOutboxModule } from '@loyalty-edge/outbox';
import type { ServiceSpec } from '@loyalty-edge/runtime';
import { AccessModule } from './access/access.module.js';
import { AccountsModule } from './accounts/accounts.module.js';
import { ApiBrowserModule } from './api-browser/api-browser.module.js';
import { AdminEntity } from './accounts/admin.entity.js';
import { SessionEntity } from './accounts/session.entity.js';
import { AuditModule } from './audit/audit.module.js';
import { AuditVerifyModule } from './audit-verify/audit-verify.module.js';
import { AuthClientsModule } from './auth-clients/auth-clients.module.js';
import { AuthModule } from './auth/auth.module.js';
import { CatalogModule } from './catalog/catalog.module.js';
import type { ManagementConfig } from './config.js';
import { ConfigModule } from './config.module.js';
import { CredentialsModule } from './credentials/credentials.module.js';
import { InvitationEntity } from './invitations/invitation.entity.js';
import { InvitationsModule } from './invitations/invitations.module.js';
import { configureHttp } from './http-setup.js';
import { migrations } from './migrations/index.js';
import { PoliciesModule } from './policies/policies.module.js';
import { RateLimitsModule } from './rate-limits/rate-limits.module.js';
import { AccessTokenEntity } from './access-tokens/access-token.entity.js';
import { AccessTokensModule } from './access-tokens/access-tokens.module.js';
import { MemberEntity } from './workspaces/member.entity.js';
import { WorkspaceEntity } from './workspaces/workspace.entity.js';
import { WorkspacesModule } from './workspaces/workspaces.module.js';

/** The app's own modules; their controllers make up the API and its OpenAPI document. */
export const FEATURE_MODULES: readonly Type[] = [
  AccessModule,
  AccountsModule,
  AuthModule,
  WorkspacesModule,
  InvitationsModule,
  AccessTokensModule,
  CredentialsModule,
  PoliciesModule,
  RateLimitsModule,
  AuthClientsModule,
  AuditModule,
  AuditVerifyModule,
  CatalogModule,
  ApiBrowserModule,
];

/** Bodies nested deeper are refused (400) before validation, which would recurse past the stack. */
export const MAX_JSON_DEPTH = 32;

/**
 * The management API: admin login (sessions, CSRF, access tokens), roles per workspace,
 * workspaces and members, and the admin side of credentials, policies, auth clients and audit
 * logs (over NATS).
 */
export function managementApp(config: ManagementConfig): ServiceSpec {
  return {
    config: config.common,
    maxJsonDepth: MAX_JSON_DEPTH,
    database: {
      ...config.database,
      entities: [
        AdminEntity,
        SessionEntity,
        AccessTokenEntity,
        WorkspaceEntity,
        MemberEntity,
        InvitationEntity,
      ],
      migrations,
    },
    imports: [ConfigModule.forConfig(config), KvOutboxModule.forRoot(), ...FEATURE_MODULES],
    configure: (app) => configureHttp(app, config, FEATURE_MODULES),
  };
}
