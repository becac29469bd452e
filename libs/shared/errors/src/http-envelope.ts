import { ErrorCodes } from '@loyalty-edge/contracts';
import { AppError, type ErrorDetails, type ErrorKind } from './app-error.js';

/** The loyalty REST APIs' error envelope: `{"error":{"type","code","message"}}`. */
export interface ErrorEnvelope {
  readonly error: {
    readonly type: string;
    readonly code: number;
    readonly message: string;
    readonly details?: ErrorDetails;
  };
}

/** Kind → HTTP status and exception type name (docs/errors.md keeps this table). */
export const HTTP_BY_KIND: Readonly<Record<ErrorKind, { status: number; type: string }>> = {
  invalid: { status: 400, type: 'BadRequestException' },
  unauthenticated: { status: 401, type: 'UnauthorizedException' },
  forbidden: { status: 403, type: 'ForbiddenException' },
  not_found: { status: 404, type: 'NotFoundException' },
  conflict: { status: 409, type: 'ConflictException' },
  precondition_failed: { status: 412, type: 'PreconditionFailedException' },
  precondition_required: { status: 428, type: 'PreconditionRequiredException' },
  rate_limited: { status: 429, type: 'TooManyRequestsException' },
  unavailable: { status: 503, type: 'ServiceUnavailableException' },
  internal: { status: 500, type: 'InternalServerErrorException' },
};

export function toEnvelope(error: AppError, withDetails = true): ErrorEnvelope {
  const { type } = HTTP_BY_KIND[error.kind];
  const base = { type, code: error.code, message: error.message };
  return {
    error: withDetails && error.details !== undefined ? { ...base, details: error.details } : base,
  };
}

/** Maps a bare HTTP status (e.g. a framework 404 or 413) to an AppError. */
export function errorForStatus(status: number, message: string): AppError {
  const entry = Object.entries(HTTP_BY_KIND).find(([, value]) => value.status === status);
  if (entry) return new AppError(entry[0] as ErrorKind, ErrorCodes.byStatus(status), message);
  return status >= 500
    ? new AppError('internal', ErrorCodes.internal, message)
    : new AppError('invalid', ErrorCodes.byStatus(status), message);
}

/** The exception type name of every status the platform answers with. */
const TYPE_BY_STATUS: Readonly<Record<number, string>> = {
  ...Object.fromEntries(Object.values(HTTP_BY_KIND).map(({ status, type }) => [status, type])),
  405: 'MethodNotAllowedException',
  408: 'RequestTimeoutException',
  413: 'PayloadTooLargeException',
  414: 'UriTooLongException',
  431: 'RequestHeaderFieldsTooLargeException',
  502: 'BadGatewayException',
  504: 'GatewayTimeoutException',
};

/** The type name for a status: `HttpException` for one the platform never answers with. */
export function typeForStatus(status: number): string {
  return TYPE_BY_STATUS[status] ?? 'HttpException';
}

/** The envelope of an answer built outside Nest (the gateway, the admin web server). */
export function envelopeForStatus(
  status: number,
  message: string,
  code: number = ErrorCodes.byStatus(status),
): ErrorEnvelope {
  return { error: { type: typeForStatus(status), code, message } };
}
