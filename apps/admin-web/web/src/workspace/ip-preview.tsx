import { useId } from 'react';
import type { PreviewResult } from '../api/endpoints.js';
import { plural } from '../components/format.js';

/** Rows of blocked clients shown at most; the totals still count them all. */
const MAX_ROWS = 100;

/** What a proposed allow-list would have done to the API's recent traffic. */
export function IpPreview({
  preview,
  apiName,
  days,
}: {
  preview: PreviewResult;
  apiName: string;
  days: number;
}) {
  const titleId = useId();
  const { totals, blocked } = preview;
  const period = `the last ${plural(days, 'day', 'days')}`;
  let summary: string;
  if (!preview.filtering) {
    summary = `The list is empty: ${apiName} would not be filtered, so no client would be blocked.`;
  } else if (totals.clients === 0) {
    summary = `No requests reached ${apiName} in ${period}: there is nothing to check the list against.`;
  } else if (blocked.length === 0) {
    summary = `No client would be blocked: all ${plural(totals.clients, 'client', 'clients')} of ${period} are on the list.`;
  } else {
    summary =
      `${totals.blockedClients.toLocaleString()} of ${plural(totals.clients, 'client', 'clients')} ` +
      `(${totals.blockedRequests.toLocaleString()} of ${plural(totals.requests, 'request', 'requests')}) ` +
      `in ${period} would be refused with 403.`;
  }
  return (
    <section className="preview" aria-labelledby={titleId}>
      <h4 id={titleId}>Impact over {period}</h4>
      <p className={blocked.length > 0 ? 'warning' : 'muted'} role="status">
        {summary}
      </p>
      {blocked.length > 0 ? (
        <table className="table table-compact">
          <caption className="visually-hidden">Clients the list would block</caption>
          <thead>
            <tr>
              <th scope="col">Client IP</th>
              <th scope="col" className="numeric">
                Requests
              </th>
            </tr>
          </thead>
          <tbody>
            {blocked.slice(0, MAX_ROWS).map((client) => (
              <tr key={client.ip}>
                <td>
                  <code>{client.ip}</code>
                </td>
                <td className="numeric">{client.requests.toLocaleString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {blocked.length > MAX_ROWS ? (
        <p className="muted">
          And {plural(blocked.length - MAX_ROWS, 'more client', 'more clients')}, fewer requests
          each.
        </p>
      ) : null}
      {preview.unrecognized.length > 0 ? (
        <p className="muted">
          {preview.unrecognized.length === 1
            ? 'One recorded client address is not an IP address'
            : `${preview.unrecognized.length.toLocaleString()} recorded client addresses are not IP addresses`}{' '}
          and could not be checked.
        </p>
      ) : null}
    </section>
  );
}
