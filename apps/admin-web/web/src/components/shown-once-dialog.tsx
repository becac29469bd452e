import type { ReactNode } from 'react';
import { CopyButton } from './copy-button.js';
import { Dialog } from './dialog.js';

/**
 * A secret shown once: after this dialog closes nobody can see it again, so neither Escape nor
 * a click beside it closes it, only the confirmation that it is stored.
 */
export function ShownOnceDialog({
  title,
  secret,
  stored,
  afterwards,
  onClose,
  children,
}: {
  title: string;
  /** What to copy now: "the client secret". */
  secret: string;
  /** What the confirmation says is stored: "secret" gives "I have stored the secret". */
  stored: string;
  /** What the warning says after "You will not see it again.": what to do if it is lost. */
  afterwards: ReactNode;
  onClose: () => void;
  children: ReactNode;
}) {
  return (
    <Dialog
      title={title}
      onClose={onClose}
      dismissible={false}
      actions={
        <button type="button" className="button button-primary" onClick={onClose}>
          I have stored the {stored}
        </button>
      }
    >
      <p className="warning" role="note">
        Copy {secret} now and store it somewhere safe. <strong>You will not see it again.</strong>{' '}
        {afterwards}
      </p>
      {children}
    </Dialog>
  );
}

/** A value to copy out of a shown-once dialog, with its Copy button. */
export function SecretValue({
  value,
  copyLabel,
  testId,
}: {
  value: string;
  copyLabel: string;
  testId?: string;
}) {
  return (
    <>
      <code className="secret-value" data-testid={testId}>
        {value}
      </code>
      <CopyButton value={value} label={copyLabel} />
    </>
  );
}
