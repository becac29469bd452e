import { ValidateBy, type ValidationOptions } from 'class-validator';

/** An object whose values are all strings, with at most `maxKeys` keys of bounded length. */
export function IsStringRecord(
  maxKeys: number,
  maxValueLength: number,
  options?: ValidationOptions,
): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isStringRecord',
      validator: {
        validate: (value: unknown) => {
          if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
          const entries = Object.entries(value);
          return (
            entries.length <= maxKeys &&
            entries.every(
              ([key, item]) =>
                key.length <= 200 && typeof item === 'string' && item.length <= maxValueLength,
            )
          );
        },
        defaultMessage: () =>
          `must be an object of at most ${maxKeys} string values (each at most ${maxValueLength} characters)`,
      },
    },
    options,
  );
}
