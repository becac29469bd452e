import { ApiError } from '../api/client.js';
import { Field } from './field.js';
import { PASSWORD_RULE } from './field-message-rules.js';

/** The refusal of a new password typed differently the second time, shown at `repeat`. */
export function repeatMismatch(password: string, repeat: string): ApiError | undefined {
  if (password === repeat) return undefined;
  return new ApiError(400, 'The two passwords differ', undefined, [
    { field: 'repeat', message: 'is not the same as the new password' },
  ]);
}

/**
 * A new password and the same again. The password rule is the first one's hint until the API
 * says what is wrong with it.
 */
export function NewPasswordFields({
  labels,
  password,
  repeat,
  errors,
  autoFocus,
  onPassword,
  onRepeat,
}: {
  labels: { readonly password: string; readonly repeat: string };
  password: string;
  repeat: string;
  errors: { readonly password: string | undefined; readonly repeat: string | undefined };
  autoFocus?: boolean;
  onPassword: (password: string) => void;
  onRepeat: (repeat: string) => void;
}) {
  return (
    <>
      <Field
        label={labels.password}
        type="password"
        autoComplete="new-password"
        required
        autoFocus={autoFocus}
        value={password}
        onChange={(event) => onPassword(event.target.value)}
        hint={errors.password === undefined ? PASSWORD_RULE : undefined}
        error={errors.password}
      />
      <Field
        label={labels.repeat}
        type="password"
        autoComplete="new-password"
        required
        value={repeat}
        onChange={(event) => onRepeat(event.target.value)}
        error={errors.repeat}
      />
    </>
  );
}
