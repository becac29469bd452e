import {
  applyDecorators,
  createParamDecorator,
  SetMetadata,
  type ExecutionContext,
} from '@nestjs/common';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ErrorEnvelopeDto } from '../openapi/error-envelope.dto.js';
import { etagOf, revisionOf } from './if-match.js';

export const IF_MATCH_KEY = 'management:if-match';

/** The OpenAPI description of the `ETag` a read (or a write) answers with. */
export const ETAG_HEADER = {
  ETag: {
    description:
      'The revision of what was read, as a strong entity tag ("7"): send it as If-Match to change it',
    schema: { type: 'string', example: '"7"' },
  },
} as const;

/**
 * A write that must name the revision it was made from (optimistic concurrency): the route
 * takes `If-Match` (documented, marked for the route table) and answers 428 and 412.
 */
export function RequiresRevision(what: string): MethodDecorator {
  return applyDecorators(
    SetMetadata(IF_MATCH_KEY, what),
    ApiHeader({
      name: 'If-Match',
      required: true,
      description: `The ETag of your last read of ${what}, e.g. "7". Without it: 428; stale: 412.`,
      schema: { type: 'string', example: '"7"' },
    }),
    ApiResponse({
      status: 412,
      type: ErrorEnvelopeDto,
      description: `${what} changed since that read: \`details\` has \`revision\` and \`current\` (the state as a read returns it); nothing was changed`,
    }),
    ApiResponse({ status: 428, type: ErrorEnvelopeDto, description: 'If-Match missing' }),
  );
}

/** The revision named by the request's `If-Match` (428 without one, 400 when malformed). */
export const IfMatch = createParamDecorator((what: string, host: ExecutionContext): number =>
  revisionOf(host.switchToHttp().getRequest<FastifyRequest>().headers['if-match'], what),
);

/** Sets the answer's `ETag` to the revision. */
export function sendETag(reply: FastifyReply, revision: number): void {
  void reply.header('etag', etagOf(revision));
}
