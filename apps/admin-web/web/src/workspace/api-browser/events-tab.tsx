import { useState, type SubmitEvent } from 'react';
import {
  sendThroughGateway,
  type BrowserAuth,
  type BrowserExchange,
} from '../../api/api-browser.js';
import { Api, type WorkspaceView } from '../../api/endpoints.js';
import { Alert } from '../../components/alert.js';
import { Field } from '../../components/field.js';
import { messageOf } from '../../components/format.js';
import { useLoad } from '../../hooks.js';
import { canAdminister } from '../../roles.js';
import { AuthChoice } from './auth-choice.js';
import { ACTION_FIELDS, buildEvent, isKnownAction, KNOWN_ACTIONS } from './event-form-rules.js';
import { ExchangeView } from './exchange-view.js';
import { AdminOnlyNote, CredentialsNote } from './notes.js';

const OTHER = 'other';

/** Submit one event to the Events API through the gateway and see exactly what happened. */
export function EventsTab({ workspace }: { workspace: WorkspaceView }) {
  const enforcement = useLoad(`enforcement:${workspace.id}`, () =>
    Api.signatureEnforcement(workspace.id),
  );
  const [choice, setChoice] = useState<string>('opt_in');
  const [otherAction, setOtherAction] = useState('');
  const [customer, setCustomer] = useState('');
  const [fields, setFields] = useState<Record<string, string>>({});
  const [extraJson, setExtraJson] = useState('');
  const [auth, setAuth] = useState<BrowserAuth>('signature');
  const [problem, setProblem] = useState<{ field: string; message: string } | undefined>();
  const [sending, setSending] = useState(false);
  const [failure, setFailure] = useState<string | undefined>();
  const [exchange, setExchange] = useState<BrowserExchange | undefined>();

  const action = choice === OTHER ? otherAction : choice;
  const known = isKnownAction(choice) ? ACTION_FIELDS[choice] : [];
  const enforced =
    enforcement.state.status === 'ready' &&
    enforcement.state.data.moduleEnabled &&
    enforcement.state.data.apis.includes('events');
  const refusedPlain = enforced
    ? 'This workspace requires signed requests on the Events API: the gateway will refuse a plain api_key call with 401 (code 110405), as it would an integrator’s.'
    : undefined;

  if (!canAdminister(workspace.role)) return <AdminOnlyNote workspace={workspace} />;

  const submit = (event: SubmitEvent<HTMLFormElement>): void => {
    event.preventDefault();
    const built = buildEvent({ customer, action, fields, extraJson });
    if (!built.ok) {
      setProblem({ field: built.field, message: built.message });
      return;
    }
    setProblem(undefined);
    setFailure(undefined);
    setSending(true);
    sendThroughGateway(workspace.id, { method: 'POST', path: '/events', body: built.event, auth })
      .then(setExchange, (error: unknown) => setFailure(messageOf(error)))
      .finally(() => setSending(false));
  };
  const fieldError = (name: string): string | undefined =>
    problem?.field === name ? problem.message : undefined;

  return (
    <div className="card">
      <h2>Submit an event</h2>
      <p className="muted">
        Sent to <code>POST /events</code> through the gateway with this workspace&apos;s API key, so
        the IP filter, signature enforcement and rate limit apply, and a failed call appears in
        Errors.
      </p>
      <CredentialsNote workspace={workspace} />
      <form className="event-form" onSubmit={submit} noValidate>
        <div className="form-row">
          <div className="field">
            <label htmlFor="event-action">Action</label>
            <select id="event-action" value={choice} onChange={(e) => setChoice(e.target.value)}>
              {KNOWN_ACTIONS.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
              <option value={OTHER}>Other action (raw JSON)</option>
            </select>
          </div>
          {choice === OTHER ? (
            <Field
              label="Action name"
              value={otherAction}
              onChange={(e) => setOtherAction(e.target.value)}
              error={fieldError('action')}
            />
          ) : null}
          <Field
            label="Customer id"
            value={customer}
            onChange={(e) => setCustomer(e.target.value)}
            error={fieldError('customer')}
            autoComplete="off"
          />
        </div>
        {known.length === 0 ? null : (
          <fieldset className="subform">
            <legend>Data for {choice}</legend>
            <div className="form-row">
              {known.map((field) => (
                <Field
                  key={field.name}
                  label={field.label}
                  type={field.type === 'date' ? 'text' : field.type}
                  inputMode={field.type === 'number' ? 'numeric' : undefined}
                  hint={field.hint}
                  value={fields[field.name] ?? ''}
                  onChange={(e) => setFields({ ...fields, [field.name]: e.target.value })}
                />
              ))}
            </div>
          </fieldset>
        )}
        <div className="field">
          <label htmlFor="event-extra">
            {choice === OTHER ? 'Data (JSON object)' : 'More data (JSON object, optional)'}
          </label>
          <textarea
            id="event-extra"
            className="code-input"
            rows={4}
            spellCheck={false}
            value={extraJson}
            placeholder='{"custom_attribute": "value"}'
            aria-invalid={fieldError('extra') === undefined ? undefined : true}
            onChange={(e) => setExtraJson(e.target.value)}
          />
          {fieldError('extra') === undefined ? null : (
            <p className="field-error">{fieldError('extra')}</p>
          )}
        </div>
        <AuthChoice value={auth} onChange={setAuth} refusedPlain={refusedPlain} />
        <button type="submit" className="button button-primary" disabled={sending}>
          {sending ? 'Sending…' : 'Send event'}
        </button>
      </form>
      {failure === undefined ? null : <Alert>{failure}</Alert>}
      {exchange === undefined ? null : <ExchangeView exchange={exchange} title="Last call" />}
    </div>
  );
}
