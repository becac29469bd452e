import { ErrorCodes, type StaleRevisionDetails } from '@loyalty-edge/contracts';
import { AppError } from '@loyalty-edge/errors';

/** A revision as the strong entity tag of `ETag` and `If-Match`: `"7"`. */
export const etagOf = (revision: number): string => `"${revision}"`;

const STRONG_TAG = /^"(\d{1,15})"$/;

/**
 * The revision a write names in `If-Match`: exactly one strong entity tag as an ETag of this API
 * has it. Missing (or `*`, which names no revision) answers 428; anything else malformed 400.
 */
export function revisionOf(header: string | readonly string[] | undefined, what: string): number {
  const value = (typeof header === 'string' ? header : (header ?? []).join(',')).trim();
  if (value === '' || value === '*') {
    throw new AppError(
      'precondition_required',
      ErrorCodes.preconditionRequired,
      `If-Match is required: send the ETag of your last read of ${what}, so that no change made since is undone`,
    );
  }
  const match = STRONG_TAG.exec(value);
  if (!match?.[1]) {
    throw new AppError(
      'invalid',
      ErrorCodes.validation,
      `If-Match must be the one ETag of your read, such as "3" (with its quotes)`,
      { fields: [{ field: 'If-Match', message: 'must be one ETag such as "3"' }] },
    );
  }
  return Number(match[1]);
}

/** 412: the resource is no longer at the revision the write was made from. */
export function staleRevision(message: string, revision: number, current: unknown): AppError {
  const details = { revision, current } satisfies StaleRevisionDetails<unknown>;
  return new AppError('precondition_failed', ErrorCodes.preconditionFailed, message, details);
}

/** Whether an error is a refusal of a stale revision (from this app or a service over NATS). */
export function isStale(error: unknown): error is AppError & { details: { revision: number } } {
  return (
    error instanceof AppError &&
    error.kind === 'precondition_failed' &&
    typeof error.details?.revision === 'number'
  );
}
