import {
  DOCUMENTED_ERRORS,
  GATEWAY_OPENAPI,
  GATEWAY_OPENAPI_PATH,
  type Content,
  type JsonSchema,
} from '@loyalty-edge/loyalty-contracts';
import { Api, type WorkspaceView } from '../../api/endpoints.js';
import { useLoad } from '../../hooks.js';
import {
  exampleText,
  operationsByTag,
  propertyRows,
  refName,
  type DocumentedOperation,
} from './openapi-rules.js';

const doc = GATEWAY_OPENAPI;

/** Text with Markdown `code` spans shown as code (the only Markdown the document uses inline). */
function Text({ children }: { children: string }) {
  return (
    <>
      {children
        .split('`')
        .map((part, index) => (index % 2 === 1 ? <code key={index}>{part}</code> : part))}
    </>
  );
}

function Properties({ schema }: { schema: JsonSchema }) {
  const rows = propertyRows(schema);
  if (rows.length === 0) return null;
  return (
    <div className="table-scroll">
      <table className="table schema-table">
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Type</th>
            <th scope="col">Description</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.name}>
              <td>
                <code>{row.name}</code>
                {row.required ? <span className="required"> required</span> : null}
              </td>
              <td>
                <code>{row.type}</code>
              </td>
              <td>
                <Text>{row.description}</Text>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A body: its content types, schema (by name, with the fields of an object) and examples. */
function Body({ content }: { content: Content }) {
  return (
    <>
      {Object.entries(content).map(([type, media]) => {
        const name = refName(media.schema);
        const schema = name === undefined ? media.schema : doc.components.schemas[name];
        return (
          <div key={type} className="doc-body">
            <p>
              <code>{type}</code>
              {name === undefined ? null : (
                <>
                  {' '}
                  · <strong>{name}</strong>
                </>
              )}
            </p>
            {typeof schema?.description === 'string' && name !== 'ErrorEnvelope' ? (
              <p className="doc-text">
                <Text>{schema.description}</Text>
              </p>
            ) : null}
            {schema === undefined ? null : <Properties schema={schema} />}
            {Object.entries(media.examples ?? {}).map(([example, { summary, value }]) => (
              <div key={example}>
                <p className="muted">
                  Example <code>{example}</code>
                  {summary === undefined ? null : `: ${summary}`}
                </p>
                <pre className="body">{exampleText(value)}</pre>
              </div>
            ))}
          </div>
        );
      })}
    </>
  );
}

function OperationView({ entry }: { entry: DocumentedOperation }) {
  const { method, path, operation } = entry;
  const security = (operation.security ?? doc.security).flatMap((req) => Object.keys(req));
  return (
    <details className="doc-operation" id={operation.operationId}>
      <summary>
        <span className={`method method-${method}`}>{method.toUpperCase()}</span>{' '}
        <code>{path}</code> <span className="muted">{operation.summary}</span>
      </summary>
      {operation.description === undefined ? null : (
        <p>
          <Text>{operation.description}</Text>
        </p>
      )}
      <p>
        Authentication:{' '}
        {security.map((name, index) => (
          <span key={name}>
            {index === 0 ? '' : ' or '}
            <code>{name}</code>
          </span>
        ))}
      </p>
      {(operation.parameters ?? []).length === 0 ? null : (
        <>
          <h4>Parameters</h4>
          <ul className="doc-list">
            {(operation.parameters ?? []).map((parameter) => (
              <li key={parameter.name}>
                <code>{parameter.name}</code> ({parameter.in}
                {parameter.required === true ? ', required' : ''}) {parameter.description ?? ''}
              </li>
            ))}
          </ul>
        </>
      )}
      {operation.requestBody === undefined ? null : (
        <>
          <h4>Request body</h4>
          <Body content={operation.requestBody.content} />
        </>
      )}
      <h4>Responses</h4>
      {Object.entries(operation.responses).map(([status, response]) => (
        <div key={status} className="doc-response">
          <p>
            <span className={`status status-${status.charAt(0)}xx`}>{status}</span>{' '}
            {response.description}
          </p>
          {response.content === undefined ? null : <Body content={response.content} />}
        </div>
      ))}
    </details>
  );
}

/** The integrators' API reference: the document every gateway serves at /openapi.json. */
export function ApiReference({ workspace }: { workspace: WorkspaceView }) {
  const { state } = useLoad(`credentials:${workspace.id}`, () => Api.credentials(workspace.id));
  const baseUrl = state.status === 'ready' ? state.data.baseUrl : undefined;
  return (
    <div className="card api-reference">
      <h2>{doc.info.title}</h2>
      {doc.info.description.split('\n\n').map((paragraph) => (
        <p key={paragraph.slice(0, 40)}>
          <Text>{paragraph}</Text>
        </p>
      ))}
      {baseUrl === undefined ? null : (
        <dl className="settings">
          <dt>Base URL</dt>
          <dd>
            <code>{baseUrl}</code>
          </dd>
          <dt>OpenAPI 3.1 document</dt>
          <dd>
            <a href={`${baseUrl}${GATEWAY_OPENAPI_PATH}`} target="_blank" rel="noreferrer">
              {`${baseUrl}${GATEWAY_OPENAPI_PATH}`}
            </a>
          </dd>
        </dl>
      )}
      <h3>Authentication</h3>
      {Object.entries(doc.components.securitySchemes).map(([name, scheme]) => (
        <section key={name} className="doc-scheme" aria-label={name}>
          <h4>
            <code>{name}</code> <span className="muted">({scheme.type})</span>
          </h4>
          <p className="doc-text">
            <Text>{scheme.description}</Text>
          </p>
        </section>
      ))}
      {operationsByTag(doc).map((group) => (
        <section key={group.tag} aria-label={group.tag}>
          <h3>{group.tag}</h3>
          <p className="muted">{group.description}</p>
          {group.operations.map((entry) => (
            <OperationView key={`${entry.method} ${entry.path}`} entry={entry} />
          ))}
        </section>
      ))}
      <h3>Errors</h3>
      <p>
        <code>{'{"error":{"type","code","message","details?"}}'}</code>; the token endpoint answers
        in the OAuth2 envelope.
      </p>
      <div className="table-scroll">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Code</th>
              <th scope="col">Status</th>
              <th scope="col">Type</th>
              <th scope="col">Meaning</th>
            </tr>
          </thead>
          <tbody>
            {DOCUMENTED_ERRORS.map((row) => (
              <tr key={`${row.code}-${row.message}`}>
                <td>{row.code}</td>
                <td>{row.status}</td>
                <td>{row.type}</td>
                <td>{row.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
