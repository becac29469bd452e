export { AppError, ERROR_KINDS, isErrorKind } from './app-error.js';
export type { ErrorKind, ErrorDetails, FieldProblem } from './app-error.js';
export { toWire, fromWire, type WireError } from './wire.js';
export {
  HTTP_BY_KIND,
  toEnvelope,
  errorForStatus,
  envelopeForStatus,
  typeForStatus,
  type ErrorEnvelope,
} from './http-envelope.js';
export { AppErrorFilter, describeError } from './http-exception.filter.js';
