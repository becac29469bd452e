import {
  Catch,
  HttpException,
  Logger,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import { throwError, type Observable } from 'rxjs';
import { ErrorCodes } from '@loyalty-edge/contracts';
import { AppError } from './app-error.js';
import { errorForStatus, HTTP_BY_KIND, toEnvelope } from './http-envelope.js';
import { toWire, type WireError } from './wire.js';

interface ReplyLike {
  status(code: number): ReplyLike;
  header(name: string, value: string): ReplyLike;
  send(body: unknown): unknown;
}

/**
 * The one exception filter of every app: over HTTP it answers the error envelope with the
 * kind's status; over NATS it turns the error into a wire error. Errors that `unavailable`
 * recognises (a dependency that cannot be reached, such as the database) become `unavailable`
 * (503: try again); other unexpected errors become `internal`. Both are logged by name and
 * message only (never a stack: it may quote input).
 */
@Catch()
export class AppErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('AppErrorFilter');

  constructor(private readonly unavailable: (error: unknown) => boolean = () => false) {}

  catch(exception: unknown, host: ArgumentsHost): Observable<WireError> | undefined {
    const error = this.toAppError(exception);
    if (host.getType() === 'rpc') return throwError(() => toWire(error));
    const reply = host.switchToHttp().getResponse<ReplyLike>();
    reply
      .status(HTTP_BY_KIND[error.kind].status)
      .header('content-type', 'application/json; charset=utf-8')
      .send(toEnvelope(error));
    return undefined;
  }

  private toAppError(exception: unknown): AppError {
    if (exception instanceof AppError) return exception;
    if (exception instanceof HttpException) {
      return errorForStatus(exception.getStatus(), exception.message);
    }
    if (this.unavailable(exception)) {
      this.logger.warn({ msg: 'dependency unavailable', error: describeError(exception) });
      return new AppError(
        'unavailable',
        ErrorCodes.unavailable,
        'Temporarily unavailable, try again shortly',
      );
    }
    this.logger.error({ msg: 'unhandled error', error: describeError(exception) });
    return errorForStatus(500, 'Internal error');
  }
}

/** Name and message of an unexpected error, never its stack or properties. */
export function describeError(error: unknown): { name: string; message: string } {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: typeof error, message: 'non-error thrown' };
}
