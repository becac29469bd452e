import type { PreviewResult } from '../api/endpoints.js';
import { Dialog } from '../components/dialog.js';
import { plural } from '../components/format.js';

/** Blocked clients named in the warning; the figures count them all. */
const SHOWN = 5;

/** What saving would do, asked before a list that refuses recent clients is saved. */
export type SaveCheck =
  | { readonly kind: 'blocks'; readonly preview: PreviewResult }
  | { readonly kind: 'unchecked'; readonly reason: string };

/**
 * The warning before saving a list that would refuse clients seen in the last days, with the
 * preview's figures (or why they could not be had).
 */
export function IpBlockWarning({
  check,
  apiName,
  days,
  onSave,
  onCancel,
}: {
  check: SaveCheck;
  apiName: string;
  days: number;
  onSave: () => void;
  onCancel: () => void;
}) {
  const period = `the last ${plural(days, 'day', 'days')}`;
  return (
    <Dialog
      title={check.kind === 'blocks' ? 'Refuse recent clients?' : 'Save without checking?'}
      role="alertdialog"
      onClose={onCancel}
      actions={
        <>
          <button type="button" className="button" onClick={onCancel} autoFocus>
            Keep editing
          </button>
          <button type="button" className="button button-danger" onClick={onSave}>
            Save anyway
          </button>
        </>
      }
    >
      {check.kind === 'unchecked' ? (
        <p className="warning">
          Which clients of {apiName} this list would refuse cannot be checked now ({check.reason}).
        </p>
      ) : (
        <>
          <p className="warning" data-testid="block-figures">
            Once saved, this list refuses{' '}
            <strong>
              {check.preview.totals.blockedClients.toLocaleString()} of{' '}
              {plural(check.preview.totals.clients, 'client', 'clients')}
            </strong>{' '}
            that called {apiName} in {period} (
            {check.preview.totals.blockedRequests.toLocaleString()} of{' '}
            {plural(check.preview.totals.requests, 'request', 'requests')}) with 403.
          </p>
          <ul aria-label="Clients that would be refused">
            {check.preview.blocked.slice(0, SHOWN).map((client) => (
              <li key={client.ip}>
                <code>{client.ip}</code>: {plural(client.requests, 'request', 'requests')}
              </li>
            ))}
          </ul>
          {check.preview.blocked.length > SHOWN ? (
            <p className="muted">
              And {plural(check.preview.blocked.length - SHOWN, 'more client', 'more clients')}.
            </p>
          ) : null}
        </>
      )}
    </Dialog>
  );
}
