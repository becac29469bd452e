import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { AppError } from '@loyalty-edge/errors';
import { CSRF_HEADER, ManagementErrorCodes } from '@loyalty-edge/management-contracts';
import type { Principal } from './principal.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Compares two strings in constant time (over their SHA-256, so lengths leak nothing). */
export function safeEqual(a: string, b: string): boolean {
  const digest = (text: string): Buffer => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(a), digest(b));
}

/**
 * A state-changing request authenticated by the session cookie must carry the session's CSRF
 * token in `X-CSRF-Token`. Bearer tokens are not sent by browsers on their own: no check.
 */
export function checkCsrf(
  request: Pick<FastifyRequest, 'method' | 'headers'>,
  principal: Principal,
): void {
  if (principal.via !== 'session' || SAFE_METHODS.has(request.method)) return;
  const given = request.headers[CSRF_HEADER];
  if (
    typeof given === 'string' &&
    principal.csrfToken !== undefined &&
    safeEqual(given, principal.csrfToken)
  ) {
    return;
  }
  throw new AppError(
    'forbidden',
    ManagementErrorCodes.csrfMissing,
    'CSRF token missing or invalid: send the X-CSRF-Token header from /api/me or the login',
  );
}
