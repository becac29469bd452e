import { Api, type WorkspaceView } from '../api/endpoints.js';
import { Alert, Loading } from '../components/alert.js';
import { formatDateTime, prettyBody } from '../components/format.js';
import { useLoad } from '../hooks.js';
import { Link, workspacePath } from '../router.js';

export function Message({
  title,
  line,
  headers,
  body,
}: {
  title: string;
  line: string;
  headers: Readonly<Record<string, string>>;
  body: string;
}) {
  const entries = Object.entries(headers);
  return (
    <section className="message" aria-label={title}>
      <h3>{title}</h3>
      <p>
        <code className="request-line">{line}</code>
      </p>
      {entries.length === 0 ? null : (
        <table className="table headers">
          <tbody>
            {entries.map(([name, value]) => (
              <tr key={name}>
                <th scope="row">{name}</th>
                <td>
                  <code>{value}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {body === '' ? (
        <p className="muted">No body</p>
      ) : (
        <pre className="body" tabIndex={0}>
          {prettyBody(body)}
        </pre>
      )}
    </section>
  );
}

/** One failed call with its (redacted) request and response. */
export function ErrorDetail({ workspace, id }: { workspace: WorkspaceView; id: string }) {
  const { state } = useLoad(`error:${workspace.id}:${id}`, () => Api.failedCall(workspace.id, id));
  return (
    <div className="card">
      <p>
        <Link to={workspacePath(workspace.id, 'errors')}>← All failed calls</Link>
      </p>
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <Alert>{state.error.message}</Alert> : null}
      {state.status === 'ready' ? (
        <>
          <h2>
            {state.data.request.method} {state.data.response.status}: {state.data.reason}
          </h2>
          <dl className="settings">
            <dt>When</dt>
            <dd>{formatDateTime(state.data.at)}</dd>
            <dt>API</dt>
            <dd>{state.data.api ?? 'unknown'}</dd>
            <dt>Client IP</dt>
            <dd>
              <code>{state.data.clientIp}</code>
            </dd>
            <dt>Request id</dt>
            <dd>
              <code>{state.data.requestId}</code>
            </dd>
            <dt>Duration</dt>
            <dd>{state.data.durationMs} ms</dd>
          </dl>
          <div className="messages">
            <Message
              title="Request"
              line={`${state.data.request.method} ${state.data.request.url}`}
              headers={state.data.request.headers}
              body={state.data.request.body}
            />
            <Message
              title="Response"
              line={`HTTP ${state.data.response.status}`}
              headers={state.data.response.headers}
              body={state.data.response.body}
            />
          </div>
        </>
      ) : null}
    </div>
  );
}
