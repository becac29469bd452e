import { ErrorCodes } from '@loyalty-edge/contracts';
import { AppError, isErrorKind, type ErrorDetails, type ErrorKind } from './app-error.js';

/** How an error crosses NATS: no stack, no cause. */
export interface WireError {
  readonly kind: ErrorKind;
  readonly code: number;
  readonly message: string;
  readonly details?: ErrorDetails;
}

const INTERNAL: WireError = {
  kind: 'internal',
  code: ErrorCodes.internal,
  message: 'Internal error',
};

/** Anything that is not an AppError becomes a generic internal error. */
export function toWire(error: unknown): WireError {
  if (!(error instanceof AppError)) return INTERNAL;
  const { kind, code, message, details } = error;
  return details === undefined ? { kind, code, message } : { kind, code, message, details };
}

export function fromWire(value: unknown): AppError {
  if (typeof value === 'object' && value !== null) {
    const { kind, code, message, details } = value as Partial<WireError>;
    if (isErrorKind(kind) && typeof code === 'number' && typeof message === 'string') {
      return new AppError(kind, code, message, details);
    }
  }
  return new AppError(INTERNAL.kind, INTERNAL.code, INTERNAL.message);
}
