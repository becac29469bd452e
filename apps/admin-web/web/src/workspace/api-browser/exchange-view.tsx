import type { BrowserExchange } from '../../api/api-browser.js';
import { Message } from '../error-detail.js';

/** A call made from the API browser: the request as sent and the answer, with the time taken. */
export function ExchangeView({ exchange, title }: { exchange: BrowserExchange; title: string }) {
  const { request, response } = exchange;
  const statusClass = `status status-${String(response.status).charAt(0)}xx`;
  return (
    <section className="exchange" aria-label={title}>
      <p className="exchange-summary">
        <span className={statusClass} data-testid="exchange-status">
          HTTP {response.status}
        </span>
        <span className="muted">
          {' '}
          in {exchange.durationMs} ms ·{' '}
          {exchange.auth === 'signature' ? 'Escher-signed' : 'plain api_key'}
        </span>
      </p>
      <div className="messages">
        <Message
          title="Request sent"
          line={`${request.method} ${request.url}`}
          headers={request.headers}
          body={request.body ?? ''}
        />
        <Message
          title="Response"
          line={`HTTP ${response.status}${response.truncated ? ' (body cut at 256 KiB)' : ''}`}
          headers={response.headers}
          body={response.body}
        />
      </div>
    </section>
  );
}
