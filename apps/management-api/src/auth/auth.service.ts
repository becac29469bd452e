import { Injectable } from '@nestjs/common';
import { AppError } from '@loyalty-edge/errors';
import {
  ManagementErrorCodes,
  type LoginResult,
  type MeView,
  type PasswordChanged,
} from '@loyalty-edge/management-contracts';
import { AdminsService, normaliseEmail } from '../accounts/admins.service.js';
import { LoginThrottle } from '../accounts/login-throttle.js';
import { SessionsService } from '../accounts/sessions.service.js';
import type { Caller } from '../access/principal.js';
import { ChangeLog } from '../change-log/change-log.js';
import { WorkspacesService } from '../workspaces/workspaces.service.js';

/** Login, logout, the caller's own profile and password. */
@Injectable()
export class AuthService {
  constructor(
    private readonly admins: AdminsService,
    private readonly sessions: SessionsService,
    private readonly throttle: LoginThrottle,
    private readonly changes: ChangeLog,
    private readonly workspaces: WorkspacesService,
  ) {}

  /**
   * Checks the password under the login throttle and opens a session. Unknown email and wrong
   * password get the same answer, after the same work. Returns the cookie value separately:
   * it goes into the cookie only.
   */
  async login(
    email: string,
    password: string,
    request: { requestId: string; clientIp: string },
  ): Promise<{ result: LoginResult; sessionToken: string }> {
    const key = normaliseEmail(email);
    const attempt = await this.throttle.begin(key, request.clientIp);
    const admin = await this.admins.checkPassword(key, password);
    if (!admin) {
      if (attempt.lastChance) throw this.throttle.lockedNow(attempt);
      throw new AppError(
        'unauthenticated',
        ManagementErrorCodes.invalidCredentials,
        'Invalid email or password',
      );
    }
    await this.throttle.succeeded(key, request.clientIp);
    const session = await this.sessions.create(admin.id, request.clientIp);
    const user = this.admins.view(admin);
    const principal = { adminId: admin.id, email: admin.email, operator: admin.operator };
    this.changes.record(
      { ...request, principal: { ...principal, via: 'session' } },
      { workspaceId: null, action: 'session.created', target: admin.id },
    );
    return { result: { user, csrfToken: session.csrfToken }, sessionToken: session.token };
  }

  async logout(caller: Caller): Promise<void> {
    const { sessionId } = caller.principal;
    if (sessionId === undefined) return;
    await this.sessions.end(sessionId);
    this.changes.record(caller, {
      workspaceId: null,
      action: 'session.ended',
      target: caller.principal.adminId,
    });
  }

  async me(caller: Caller): Promise<MeView> {
    const { principal } = caller;
    return {
      user: { id: principal.adminId, email: principal.email, operator: principal.operator },
      workspaces: await this.workspaces.listFor(principal),
      csrfToken: principal.csrfToken ?? null,
    };
  }

  /**
   * Changes the caller's password under the login throttle (a wrong current password counts as
   * a failed login of the account and of the address), then ends the caller's other sessions and
   * revokes every personal access token of the account.
   */
  async changePassword(caller: Caller, current: string, next: string): Promise<PasswordChanged> {
    const { principal, clientIp } = caller;
    const key = normaliseEmail(principal.email);
    const attempt = await this.throttle.begin(key, clientIp);
    const admin = await this.admins.checkCurrentPassword(principal.adminId, current);
    if (!admin) {
      if (attempt.lastChance) throw this.throttle.lockedNow(attempt);
      throw new AppError('invalid', ManagementErrorCodes.invalidCredentials, 'Validation failed', {
        fields: [{ field: 'currentPassword', message: 'is not the current password' }],
      });
    }
    await this.throttle.succeeded(key, clientIp);
    const ended = await this.admins.replacePassword(admin, next, principal.sessionId);
    this.changes.record(caller, {
      workspaceId: null,
      action: 'admin.password.changed',
      target: principal.adminId,
      after: ended,
    });
    return ended;
  }
}
