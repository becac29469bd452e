import type { FastifyReply } from 'fastify';
import { AppError } from '@loyalty-edge/errors';

/** Runs `work`; a throttled refusal (details.retryAfterSeconds) also answers `Retry-After`. */
export async function withRetryAfter<T>(reply: FastifyReply, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const retry = error instanceof AppError ? error.details?.retryAfterSeconds : undefined;
    if (typeof retry === 'number') void reply.header('retry-after', String(retry));
    throw error;
  }
}
