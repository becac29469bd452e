export const ERROR_KINDS = [
  'invalid',
  'unauthenticated',
  'forbidden',
  'not_found',
  'conflict',
  /** A write sent a stale revision (`If-Match`): 412, with the current state in `details`. */
  'precondition_failed',
  /** A write that must name the revision it replaces sent none: 428. */
  'precondition_required',
  'rate_limited',
  'unavailable',
  'internal',
] as const;

export type ErrorKind = (typeof ERROR_KINDS)[number];

/** A field-level problem, listed in `details` of validation errors. */
export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

export interface ErrorDetails {
  readonly fields?: readonly FieldProblem[];
  readonly [key: string]: unknown;
}

/** The one domain error. Domain code throws it; only the edges translate it. */
export class AppError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: number,
    message: string,
    readonly details?: ErrorDetails,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AppError';
  }
}

export function isErrorKind(value: unknown): value is ErrorKind {
  return typeof value === 'string' && (ERROR_KINDS as readonly string[]).includes(value);
}
