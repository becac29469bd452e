import { useState, type SubmitEvent } from 'react';
import {
  answerJson,
  sendThroughGateway,
  type BrowserAuth,
  type BrowserExchange,
  type CustomerCount,
  type CustomerPage,
  type CustomerView,
} from '../../api/api-browser.js';
import type { WorkspaceView } from '../../api/endpoints.js';
import { Alert } from '../../components/alert.js';
import { messageOf, plural } from '../../components/format.js';
import { ExchangeView } from './exchange-view.js';

const PAGE_SIZE = '10';

interface Listing {
  readonly customers: readonly CustomerView[];
  readonly nextCursor: string | null;
  readonly count: number | undefined;
  /** The last call, for when it did not answer 200. */
  readonly refused: BrowserExchange | undefined;
}

/** `GET /customers` a page at a time (cursor pagination) and `GET /customers/-/count`. */
export function CustomerList({ workspace, auth }: { workspace: WorkspaceView; auth: BrowserAuth }) {
  const [status, setStatus] = useState('');
  const [listing, setListing] = useState<Listing | undefined>();
  const [failure, setFailure] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const filter: Record<string, string> = status === '' ? {} : { status };

  const page = async (cursor: string | null, previous: Listing | undefined): Promise<void> => {
    const reply = await sendThroughGateway(workspace.id, {
      method: 'GET',
      path: '/customers',
      query: { ...filter, limit: PAGE_SIZE, ...(cursor === null ? {} : { cursor }) },
      auth,
    });
    const body =
      reply.response.status === 200 ? (answerJson(reply) as CustomerPage | undefined) : undefined;
    if (body === undefined) {
      setListing({ customers: [], nextCursor: null, count: undefined, refused: reply });
      return;
    }
    let count = previous?.count;
    if (previous === undefined) {
      const counted = await sendThroughGateway(workspace.id, {
        method: 'GET',
        path: '/customers/-/count',
        query: filter,
        auth,
      });
      count = (answerJson(counted) as CustomerCount | undefined)?.count;
    }
    setListing({
      customers: [...(previous?.customers ?? []), ...body.data],
      nextCursor: body.next_cursor,
      count,
      refused: undefined,
    });
  };

  const run = (cursor: string | null, previous: Listing | undefined): void => {
    setFailure(undefined);
    setBusy(true);
    page(cursor, previous)
      .catch((error: unknown) => setFailure(messageOf(error)))
      .finally(() => setBusy(false));
  };
  const submit = (event: SubmitEvent<HTMLFormElement>): void => {
    event.preventDefault();
    run(null, undefined);
  };

  return (
    <section className="card" aria-label="All customers">
      <h2>All customers</h2>
      <form className="form-row" onSubmit={submit}>
        <div className="field">
          <label htmlFor="customer-status">Status</label>
          <select id="customer-status" value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">Any</option>
            <option value="active">Active</option>
            <option value="opted_out">Opted out</option>
          </select>
        </div>
        <button type="submit" className="button form-action" disabled={busy}>
          List customers
        </button>
      </form>
      {failure === undefined ? null : <Alert>{failure}</Alert>}
      {listing?.refused === undefined ? null : (
        <ExchangeView exchange={listing.refused} title="Customer list call" />
      )}
      {listing === undefined || listing.refused !== undefined ? null : (
        <>
          <p data-testid="customer-count">
            {listing.count === undefined
              ? 'Count unavailable'
              : plural(listing.count, 'customer', 'customers')}
          </p>
          {listing.customers.length === 0 ? (
            <p className="empty">No customers.</p>
          ) : (
            <div className="table-scroll">
              <table className="table">
                <caption className="visually-hidden">Customers</caption>
                <thead>
                  <tr>
                    <th scope="col">Customer id</th>
                    <th scope="col">Status</th>
                    <th scope="col">Email</th>
                    <th scope="col">Score</th>
                  </tr>
                </thead>
                <tbody>
                  {listing.customers.map((customer) => (
                    <tr key={customer.id}>
                      <td>
                        <code>{customer.id}</code>
                      </td>
                      <td>{customer.status === 'active' ? 'Active' : 'Opted out'}</td>
                      <td>{customer.email ?? '—'}</td>
                      <td>{customer.score.toLocaleString()}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {listing.nextCursor === null ? null : (
            <button
              type="button"
              className="button"
              disabled={busy}
              onClick={() => run(listing.nextCursor, listing)}
            >
              Load more
            </button>
          )}
        </>
      )}
    </section>
  );
}
