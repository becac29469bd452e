import { randomUUID } from 'node:crypto';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { ErrorCodes } from '@loyalty-edge/contracts';
import { AppError } from '@loyalty-edge/errors';
import { REQUEST_ID_HEADER, type WorkspaceRole } from '@loyalty-edge/management-contracts';
import { ClientIpResolver } from '@loyalty-edge/ip-range';
import type { Caller, Principal } from './principal.js';

interface RequestContext {
  readonly requestId: string;
  readonly clientIp: string;
  principal?: Principal;
  workspaceRole?: WorkspaceRole;
}

const contexts = new WeakMap<object, RequestContext>();
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Every answer is private to its caller unless a route says otherwise (docs assets). */
const DEFAULT_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
} as const;

/**
 * Gives every request an id (a well-formed `X-Request-Id` from the caller, else a new UUID,
 * echoed in the response) and its client IP, before routing; sets the default headers.
 */
export function installRequestContext(
  fastify: FastifyInstance,
  trustedProxies: readonly string[],
): void {
  const resolver = new ClientIpResolver(trustedProxies);
  fastify.addHook('onRequest', (request, reply, done) => {
    const given = request.headers[REQUEST_ID_HEADER];
    const requestId = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    const peer = request.raw.socket.remoteAddress;
    const clientIp =
      resolver.resolve(peer, request.headers['x-forwarded-for'])?.text ?? peer ?? 'unknown';
    contexts.set(request, { requestId, clientIp });
    void reply.headers({ ...DEFAULT_HEADERS, [REQUEST_ID_HEADER]: requestId });
    done();
  });
}

export function contextOf(request: object): RequestContext {
  const context = contexts.get(request);
  if (!context) {
    throw new AppError('internal', ErrorCodes.internal, 'Request context is not installed');
  }
  return context;
}

/** The authenticated caller of the route (for routes whose role is not `public`). */
export const CurrentCaller = createParamDecorator((_: unknown, host: ExecutionContext): Caller => {
  const context = contextOf(host.switchToHttp().getRequest<object>());
  if (!context.principal) {
    throw new AppError('internal', ErrorCodes.internal, 'The route has no authenticated caller');
  }
  return {
    principal: context.principal,
    requestId: context.requestId,
    clientIp: context.clientIp,
    ...(context.workspaceRole === undefined ? {} : { workspaceRole: context.workspaceRole }),
  };
});

/** Request id and client IP of any route, public ones included. */
export const RequestInfo = createParamDecorator(
  (_: unknown, host: ExecutionContext): { requestId: string; clientIp: string } => {
    const { requestId, clientIp } = contextOf(host.switchToHttp().getRequest<object>());
    return { requestId, clientIp };
  },
);
