import { useId, useState, type SubmitEvent } from 'react';
import { ApiError } from '../../api/client.js';
import {
  Api,
  type AuthClientOptions,
  type CreatedAuthClient,
  type WorkspaceView,
} from '../../api/endpoints.js';
import { Alert, Loading } from '../../components/alert.js';
import { Dialog } from '../../components/dialog.js';
import { Field } from '../../components/field.js';
import { formProblems } from '../../components/field-message-rules.js';
import { useLoad } from '../../hooks.js';
import {
  checkDraft,
  expiryBounds,
  formatDuration,
  initialDraft,
  type AuthClientDraft,
} from './auth-client-rules.js';
import { AudienceField, ScopeField } from './auth-client-fields.js';

/** The API's code when the workspace's Async Events module is off. */
const MODULE_OFF = 300409;

/** The API's name for each field of the form. */
const FIELDS: Readonly<Record<keyof AuthClientDraft, string>> = {
  name: 'name',
  purpose: 'purpose',
  expiryDay: 'expiresAt',
  scopes: 'scopes',
  audience: 'audience',
};

/** The API's field names this form shows, by label. */
const SHOWN: Readonly<Record<string, string>> = Object.fromEntries(
  Object.values(FIELDS).map((field) => [field, field]),
);

function GenerateForm({
  formId,
  workspace,
  options,
  busy,
  setBusy,
  onCreated,
  onModuleOff,
}: {
  formId: string;
  workspace: WorkspaceView;
  options: AuthClientOptions;
  busy: boolean;
  setBusy: (busy: boolean) => void;
  onCreated: (client: CreatedAuthClient) => void;
  onModuleOff: () => void;
}) {
  const [draft, setDraft] = useState<AuthClientDraft>(() => initialDraft(options, new Date()));
  const [error, setError] = useState<unknown>();
  const bounds = expiryBounds(new Date(), options.maxExpiryDays);
  const update = (change: Partial<AuthClientDraft>): void => {
    setDraft({ ...draft, ...change });
    // an edited field loses its error (the next submit checks it again); none left, no alert
    if (error instanceof ApiError && error.fields.length > 0) {
      const edited = (Object.keys(change) as (keyof AuthClientDraft)[]).map((key) => FIELDS[key]);
      const fields = error.fields.filter((problem) => !edited.includes(problem.field));
      setError(
        fields.length === 0
          ? undefined
          : new ApiError(error.status, error.message, error.code, fields),
      );
    }
  };
  // every problem at its field, in words; a banner only for what no field shows
  const problems = formProblems(error, SHOWN);
  const fieldError = problems.field;

  const submit = (event: SubmitEvent<HTMLFormElement>): void => {
    event.preventDefault();
    const checked = checkDraft(draft, options, new Date());
    if (!checked.ok) {
      // shown exactly like the API's own answer about the same fields
      setError(new ApiError(400, 'Check the fields marked below.', undefined, checked.problems));
      return;
    }
    setError(undefined);
    setBusy(true);
    Api.createAuthClient(workspace.id, checked.request).then(onCreated, (caught: unknown) => {
      setBusy(false);
      setError(caught);
      if (caught instanceof ApiError && caught.code === MODULE_OFF) onModuleOff();
    });
  };

  return (
    <form id={formId} onSubmit={submit} noValidate aria-label="New auth client">
      {problems.banner === null ? null : <Alert>{problems.banner}</Alert>}
      <Field
        label="Name"
        required
        maxLength={100}
        autoFocus
        autoComplete="off"
        value={draft.name}
        onChange={(event) => update({ name: event.target.value })}
        error={fieldError('name')}
        disabled={busy}
      />
      <Field
        label="Purpose"
        required
        maxLength={500}
        autoComplete="off"
        value={draft.purpose}
        onChange={(event) => update({ purpose: event.target.value })}
        hint="What the integration does with its tokens, for whoever reviews this list later."
        error={fieldError('purpose')}
        disabled={busy}
      />
      <Field
        label="Expiration date"
        type="date"
        required
        min={bounds.min}
        max={bounds.max}
        value={draft.expiryDay}
        onChange={(event) => update({ expiryDay: event.target.value })}
        hint={`The client stops getting tokens after this day; at most ${options.maxExpiryDays} days from today.`}
        error={fieldError('expiresAt')}
        disabled={busy}
      />
      <ScopeField
        scopes={options.scopes}
        checked={draft.scopes}
        onChange={(scopes) => update({ scopes })}
        error={fieldError('scopes')}
        disabled={busy}
      />
      <AudienceField
        audiences={options.audiences}
        value={draft.audience}
        onChange={(audience) => update({ audience })}
        error={fieldError('audience')}
        disabled={busy}
      />
      <dl className="settings settings-compact">
        <dt>Token issuer</dt>
        <dd>
          <code className="break-all">{options.issuer}</code>
        </dd>
        <dt>Token validity</dt>
        <dd>{formatDuration(options.tokenValiditySeconds)}</dd>
      </dl>
    </form>
  );
}

/** Name, purpose, expiry, scope and audience of a new client; the environment sets the rest. */
export function GenerateAuthClientDialog({
  workspace,
  onCancel,
  onCreated,
  onModuleOff,
}: {
  workspace: WorkspaceView;
  onCancel: () => void;
  onCreated: (client: CreatedAuthClient) => void;
  onModuleOff: () => void;
}) {
  const formId = useId();
  const { state } = useLoad('auth-client-options', () => Api.authClientOptions());
  const [busy, setBusy] = useState(false);
  return (
    <Dialog
      title="Generate new Auth Client"
      onClose={busy ? () => undefined : onCancel}
      actions={
        <>
          <button type="button" className="button" onClick={onCancel} disabled={busy}>
            Cancel
          </button>
          <button
            type="submit"
            form={formId}
            className="button button-primary"
            disabled={busy || state.status !== 'ready'}
          >
            {busy ? 'Generating…' : 'Generate'}
          </button>
        </>
      }
    >
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <Alert>{state.error.message}</Alert> : null}
      {state.status === 'ready' ? (
        <GenerateForm
          formId={formId}
          workspace={workspace}
          options={state.data}
          busy={busy}
          setBusy={setBusy}
          onCreated={onCreated}
          onModuleOff={onModuleOff}
        />
      ) : null}
    </Dialog>
  );
}
