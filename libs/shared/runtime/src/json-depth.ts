import type { FastifyInstance } from 'fastify';
import { ErrorCodes } from '@loyalty-edge/contracts';
import { AppError, toEnvelope } from '@loyalty-edge/errors';

/**
 * Whether a parsed JSON value has objects or arrays nested more than `limit` levels deep (`{}`
 * is one level, `{"a":[]}` two). Iterative, so a 10,000-deep body cannot overflow the stack.
 */
export function nestedDeeperThan(value: unknown, limit: number): boolean {
  const nodes: unknown[] = [value];
  const depths: number[] = [1];
  for (let node = nodes.pop(); node !== undefined; node = nodes.pop()) {
    const depth = depths.pop() ?? 1;
    if (node === null || typeof node !== 'object') continue;
    if (depth > limit) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (child !== null && typeof child === 'object') {
        nodes.push(child);
        depths.push(depth + 1);
      }
    }
  }
  return false;
}

/**
 * Refuses, before validation, a JSON body nested deeper than `limit` with 400 in the error
 * envelope: class-transformer walks bodies recursively and would overflow the stack (a 500).
 */
export function limitJsonDepth(fastify: FastifyInstance, limit: number): void {
  const refusal = toEnvelope(
    new AppError(
      'invalid',
      ErrorCodes.validation,
      `The JSON body is nested more than ${limit} levels deep`,
    ),
  );
  fastify.addHook('preValidation', (request, reply, done) => {
    if (!nestedDeeperThan(request.body, limit)) {
      done();
      return;
    }
    // answering ends the request here: the route (and its validation) never runs
    void reply.code(400).header('content-type', 'application/json; charset=utf-8').send(refusal);
  });
}
