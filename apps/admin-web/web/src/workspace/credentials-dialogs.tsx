import { useState } from 'react';
import type { NewCredentials } from '../api/endpoints.js';
import { Dialog } from '../components/dialog.js';
import { SelectField } from '../components/field.js';
import { SecretValue, ShownOnceDialog } from '../components/shown-once-dialog.js';

/** How long the old key may keep working after a regeneration; none is the default. */
export const OVERLAP_CHOICES: readonly { readonly seconds: number; readonly label: string }[] = [
  { seconds: 0, label: 'None: it stops at once' },
  { seconds: 15 * 60, label: '15 minutes' },
  { seconds: 3600, label: '1 hour' },
  { seconds: 4 * 3600, label: '4 hours' },
  { seconds: 12 * 3600, label: '12 hours' },
  { seconds: 24 * 3600, label: '24 hours' },
];

export function ConfirmGenerateDialog({
  currentKey,
  busy,
  onConfirm,
  onCancel,
}: {
  currentKey: string | undefined;
  busy: boolean;
  onConfirm: (overlapSeconds: number) => void;
  onCancel: () => void;
}) {
  const [overlap, setOverlap] = useState(0);
  const chosen = OVERLAP_CHOICES.find((choice) => choice.seconds === overlap);
  return (
    <Dialog
      title="Generate new credentials?"
      role="alertdialog"
      onClose={busy ? () => undefined : onCancel}
      actions={
        <>
          <button type="button" className="button" onClick={onCancel} disabled={busy} autoFocus>
            Cancel
          </button>
          <button
            type="button"
            className="button button-danger"
            onClick={() => onConfirm(overlap)}
            disabled={busy}
          >
            {busy ? 'Generating…' : 'Generate new credentials'}
          </button>
        </>
      }
    >
      {currentKey === undefined ? (
        <p>A new API key and secret will be created for this workspace.</p>
      ) : (
        <>
          {overlap === 0 ? (
            <p className="warning">
              The current API key <code>{currentKey}</code> and its secret{' '}
              <strong>stop working at once</strong>. Every integration using them is refused until
              it has the new ones.
            </p>
          ) : (
            <p className="warning">
              The current API key <code>{currentKey}</code> and its secret{' '}
              <strong>keep working for {chosen?.label ?? ''}</strong>, next to the new ones, then
              stop. Move every integration to the new ones before then.
            </p>
          )}
          <SelectField
            label="Old key keeps working for"
            value={String(overlap)}
            choices={OVERLAP_CHOICES.map((choice) => ({
              value: String(choice.seconds),
              label: choice.label,
            }))}
            disabled={busy}
            onChange={(value) => setOverlap(Number(value))}
          />
        </>
      )}
    </Dialog>
  );
}

/** The new secret, once. */
export function NewSecretDialog({
  credentials,
  onClose,
}: {
  credentials: NewCredentials;
  onClose: () => void;
}) {
  return (
    <ShownOnceDialog
      title="Your new API credentials"
      secret="the API secret"
      stored="secret"
      afterwards="If it is lost, generate new credentials."
      onClose={onClose}
    >
      <dl className="settings">
        <dt>API key</dt>
        <dd>
          <SecretValue value={credentials.apiKey} copyLabel="Copy the API key" />
        </dd>
        <dt>API secret</dt>
        <dd>
          <SecretValue
            value={credentials.apiSecret}
            copyLabel="Copy the API secret"
            testId="api-secret"
          />
        </dd>
        <dt>Credential scope</dt>
        <dd>
          <code>{credentials.credentialScope}</code>
        </dd>
      </dl>
    </ShownOnceDialog>
  );
}
