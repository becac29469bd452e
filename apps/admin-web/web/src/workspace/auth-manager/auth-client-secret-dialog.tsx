import type { CreatedAuthClient } from '../../api/endpoints.js';
import { SecretValue, ShownOnceDialog } from '../../components/shown-once-dialog.js';

/** The new client's secret, once. */
export function AuthClientSecretDialog({
  client,
  onClose,
}: {
  client: CreatedAuthClient;
  onClose: () => void;
}) {
  return (
    <ShownOnceDialog
      title="Your new auth client"
      secret="the client secret"
      stored="secret"
      afterwards="If it is lost, generate a new auth client and revoke this one."
      onClose={onClose}
    >
      <dl className="settings">
        <dt>Name</dt>
        <dd>{client.name}</dd>
        <dt>Client ID</dt>
        <dd>
          <SecretValue
            value={client.clientId}
            copyLabel="Copy the client id"
            testId="new-client-id"
          />
        </dd>
        <dt>Client secret</dt>
        <dd>
          <SecretValue
            value={client.clientSecret}
            copyLabel="Copy the client secret"
            testId="client-secret"
          />
        </dd>
        <dt>Token issuer</dt>
        <dd>
          <code className="break-all">{client.issuer}</code>
        </dd>
      </dl>
    </ShownOnceDialog>
  );
}
