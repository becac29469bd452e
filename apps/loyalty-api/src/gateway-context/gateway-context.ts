import {
  createParamDecorator,
  Injectable,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { ErrorCodes } from '@loyalty-edge/contracts';
import { AppError } from '@loyalty-edge/errors';
import { TRUSTED_HEADERS } from '@loyalty-edge/loyalty-contracts';

/** Who is calling, as the gateway vouches for it in trusted headers. */
export interface GatewayContext {
  readonly workspaceId: string;
  readonly authMethod: string | null;
  readonly clientId: string | null;
  readonly requestId: string | null;
}

interface RequestLike {
  headers: Record<string, string | string[] | undefined>;
  gatewayContext?: GatewayContext;
}

/** Printable ASCII without spaces, like the workspace ids of the other services (max 64). */
const WORKSPACE = /^[\x21-\x7e]{1,64}$/;

function single(request: RequestLike, name: string): string | null {
  const value = request.headers[name];
  return typeof value === 'string' && value !== '' && value.length <= 200 ? value : null;
}

/** The context of a request, or null when it did not come through the gateway. */
export function readGatewayContext(request: RequestLike): GatewayContext | null {
  const workspaceId = single(request, TRUSTED_HEADERS.workspaceId);
  if (workspaceId === null || !WORKSPACE.test(workspaceId)) return null;
  return {
    workspaceId,
    authMethod: single(request, TRUSTED_HEADERS.authMethod),
    clientId: single(request, TRUSTED_HEADERS.clientId),
    requestId: single(request, TRUSTED_HEADERS.requestId),
  };
}

/**
 * Refuses (401) a request without the gateway's workspace header: it did not come through the
 * gateway, which authenticates callers and sets that header itself. The network policy keeps
 * anyone else from reaching this service; this guard keeps a mistake from exposing data.
 */
@Injectable()
export class GatewayContextGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<RequestLike>();
    const found = readGatewayContext(request);
    if (found === null) {
      throw new AppError(
        'unauthenticated',
        ErrorCodes.unauthenticated,
        'Request did not come through the gateway',
      );
    }
    request.gatewayContext = found;
    return true;
  }
}

/** The GatewayContext a GatewayContextGuard admitted. */
export const Caller = createParamDecorator((_: unknown, context: ExecutionContext) => {
  const found = context.switchToHttp().getRequest<RequestLike>().gatewayContext;
  if (found === undefined) throw new Error('Caller used without GatewayContextGuard');
  return found;
});
