import { Injectable, Logger, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AppError } from '@loyalty-edge/errors';
import { ManagementErrorCodes, type WorkspaceRole } from '@loyalty-edge/management-contracts';
import { HealthController } from '@loyalty-edge/observability';
import { Memberships } from '../workspaces/memberships.js';
import { CallerAuthenticator } from './caller-authenticator.js';
import { checkCsrf } from './csrf.js';
import { contextOf } from './request-context.js';
import { ROLE_KEY, type RouteRole } from './role.decorator.js';

/** Controllers of the shared runtime (health, readiness, metrics): public by design. */
export const FRAMEWORK_CONTROLLERS: readonly unknown[] = [HealthController];

const RANK: Record<WorkspaceRole, number> = { viewer: 1, admin: 2, operator: 3 };

/**
 * The one access check of every route: the declared role (none → refused), authentication by
 * session cookie or access token, CSRF for cookie-authenticated changes, and the caller's role
 * on the route's workspace. A workspace the caller may not see is "not found", whether or not
 * it exists.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly logger = new Logger(AccessGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: CallerAuthenticator,
    private readonly memberships: Memberships,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http' || FRAMEWORK_CONTROLLERS.includes(context.getClass())) {
      return true;
    }
    const role = this.reflector.getAllAndOverride<RouteRole | undefined>(ROLE_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const workspaceId = (request.params as Record<string, string | undefined>).ws;
    this.assertDeclared(role, workspaceId !== undefined, context);
    if (role === 'public') return true;

    const principal = await this.authenticator.authenticate(request);
    checkCsrf(request, principal);
    const requestContext = contextOf(request);
    requestContext.principal = principal;
    if (role === 'authenticated') return true;
    if (workspaceId === undefined) {
      // `operator` on a route outside any workspace: the global operator flag
      if (principal.operator) return true;
      throw new AppError('forbidden', ManagementErrorCodes.roleRequired, 'This needs an operator');
    }

    const access = await this.memberships.roleOn(principal, workspaceId);
    if (access === undefined) {
      throw new AppError(
        'not_found',
        ManagementErrorCodes.workspaceNotFound,
        'Workspace not found',
      );
    }
    requestContext.workspaceRole = access;
    if (RANK[access] < RANK[role]) {
      throw new AppError(
        'forbidden',
        ManagementErrorCodes.roleRequired,
        `This needs the ${role} role on the workspace`,
      );
    }
    return true;
  }

  /**
   * A route must declare a role; a workspace route (`:ws`) a workspace role, and `admin` or
   * `viewer` only a workspace route (`operator` outside one is the global operator flag).
   */
  private assertDeclared(
    role: RouteRole | undefined,
    hasWorkspace: boolean,
    context: ExecutionContext,
  ): asserts role is RouteRole {
    const where = `${context.getClass().name}.${context.getHandler().name}`;
    let problem: string | undefined;
    if (role === undefined) problem = 'declares no role';
    else if (hasWorkspace && (role === 'public' || role === 'authenticated')) {
      problem = 'has :ws but no workspace role';
    } else if (!hasWorkspace && (role === 'admin' || role === 'viewer')) {
      problem = 'has a workspace role but no :ws';
    }
    if (problem === undefined) return;
    this.logger.error({ msg: 'route refused: access is not declared', route: where, problem });
    throw new AppError(
      'internal',
      ManagementErrorCodes.routeWithoutRole,
      'Route access is not declared',
    );
  }
}
