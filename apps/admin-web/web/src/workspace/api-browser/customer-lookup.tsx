import { useState, type SubmitEvent } from 'react';
import {
  answerJson,
  sendThroughGateway,
  type BrowserAuth,
  type BrowserExchange,
  type CustomerEvents,
  type CustomerView,
} from '../../api/api-browser.js';
import type { WorkspaceView } from '../../api/endpoints.js';
import { Alert } from '../../components/alert.js';
import { Field } from '../../components/field.js';
import { formatDateTime, messageOf } from '../../components/format.js';
import { ExchangeView } from './exchange-view.js';

interface Found {
  readonly exchange: BrowserExchange;
  readonly customer: CustomerView | undefined;
  readonly events: CustomerEvents | undefined;
}

const dash = (value: string | null): string => value ?? '—';

function Profile({ customer }: { customer: CustomerView }) {
  const name = [customer.first_name, customer.last_name].filter((part) => part !== null).join(' ');
  return (
    <>
      <div className="score-board" aria-label="Points">
        <div>
          <span className="score-value" data-testid="customer-score">
            {customer.score.toLocaleString()}
          </span>
          <span className="score-label">score</span>
        </div>
        <div>
          <span className="score-value">{customer.spendable.toLocaleString()}</span>
          <span className="score-label">spendable</span>
        </div>
        <div>
          <span className="score-value">{customer.spent.toLocaleString()}</span>
          <span className="score-label">spent</span>
        </div>
      </div>
      <dl className="settings">
        <dt>Customer id</dt>
        <dd>
          <code>{customer.id}</code>
        </dd>
        <dt>Status</dt>
        <dd>{customer.status === 'active' ? 'Active' : 'Opted out'}</dd>
        <dt>Name</dt>
        <dd>{name === '' ? '—' : name}</dd>
        <dt>Email</dt>
        <dd>{dash(customer.email)}</dd>
        <dt>Birth date</dt>
        <dd>{dash(customer.birth_date)}</dd>
        <dt>Language</dt>
        <dd>{dash(customer.language)}</dd>
        <dt>Customer since</dt>
        <dd>{formatDateTime(customer.created_at)}</dd>
      </dl>
    </>
  );
}

function RecentEvents({ events }: { events: CustomerEvents }) {
  if (events.data.length === 0) return <p className="empty">No events yet.</p>;
  return (
    <div className="table-scroll">
      <table className="table">
        <caption className="visually-hidden">Recent events</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Action</th>
            <th scope="col">Points</th>
            <th scope="col">Source</th>
          </tr>
        </thead>
        <tbody>
          {events.data.map((event) => (
            <tr key={event.id}>
              <td className="nowrap">{formatDateTime(event.created_at)}</td>
              <td>
                <code>{event.action}</code>
              </td>
              <td>{event.points ?? ''}</td>
              <td>{event.source}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** `GET /customers/{id}` and its latest events. */
export function CustomerLookup({
  workspace,
  auth,
}: {
  workspace: WorkspaceView;
  auth: BrowserAuth;
}) {
  const [id, setId] = useState('');
  const [found, setFound] = useState<Found | undefined>();
  const [failure, setFailure] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const lookUp = async (): Promise<void> => {
    const customer = id.trim();
    const exchange = await sendThroughGateway(workspace.id, {
      method: 'GET',
      path: `/customers/${customer}`,
      auth,
    });
    if (exchange.response.status !== 200) {
      setFound({ exchange, customer: undefined, events: undefined });
      return;
    }
    const events = await sendThroughGateway(workspace.id, {
      method: 'GET',
      path: `/customers/${customer}/events`,
      query: { limit: '10' },
      auth,
    });
    setFound({
      exchange,
      customer: answerJson(exchange) as CustomerView | undefined,
      events:
        events.response.status === 200
          ? (answerJson(events) as CustomerEvents | undefined)
          : undefined,
    });
  };

  const submit = (event: SubmitEvent<HTMLFormElement>): void => {
    event.preventDefault();
    if (id.trim() === '' || id.includes('/')) {
      setFailure('Enter a customer id (without /)');
      return;
    }
    setFailure(undefined);
    setBusy(true);
    lookUp()
      .catch((error: unknown) => setFailure(messageOf(error)))
      .finally(() => setBusy(false));
  };

  return (
    <section className="card" aria-label="Look up a customer">
      <h2>Look up a customer</h2>
      <form className="form-row" onSubmit={submit}>
        <Field
          label="Customer id"
          value={id}
          onChange={(e) => setId(e.target.value)}
          autoComplete="off"
        />
        <button type="submit" className="button button-primary form-action" disabled={busy}>
          {busy ? 'Looking up…' : 'Look up'}
        </button>
      </form>
      {failure === undefined ? null : <Alert>{failure}</Alert>}
      {found === undefined ? null : (
        <>
          {found.customer === undefined ? (
            <Alert kind="info">
              The gateway answered HTTP {found.exchange.response.status}: see the response below.
            </Alert>
          ) : (
            <>
              <Profile customer={found.customer} />
              <h3 className="section-heading">Recent events</h3>
              {found.events === undefined ? (
                <p className="muted">The events could not be read.</p>
              ) : (
                <RecentEvents events={found.events} />
              )}
            </>
          )}
          <details className="exchange-details" open={found.customer === undefined}>
            <summary>The request and the response</summary>
            <ExchangeView exchange={found.exchange} title="Customer lookup call" />
          </details>
        </>
      )}
    </section>
  );
}
