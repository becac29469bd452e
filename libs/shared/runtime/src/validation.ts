import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { ErrorCodes } from '@loyalty-edge/contracts';
import { AppError, type FieldProblem } from '@loyalty-edge/errors';

/** Flattens class-validator errors to `field: message` pairs, nested fields as `a.b[0].c`. */
export function fieldProblems(errors: readonly ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = /^\d+$/.test(error.property)
      ? `${parent}[${error.property}]`
      : parent === ''
        ? error.property
        : `${parent}.${error.property}`;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...fieldProblems(error.children ?? [], field)];
  });
}

/** Validates DTOs at the edge; every bad field is listed, unknown fields are refused. */
export function validationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) =>
      new AppError('invalid', ErrorCodes.validation, 'Validation failed', {
        fields: fieldProblems(errors),
      }),
  });
}
