import { Fragment, useState, type ReactNode } from 'react';
import { Api, type AuthLog, type AuthLogEvents, type WorkspaceView } from '../../api/endpoints.js';
import { ScrollTable } from '../../components/scroll-table.js';
import { usePaged } from '../../hooks.js';
import { ExportLink, type LogFilters } from '../export-link.js';
import { LogFilterForm, type FilterField } from '../log-filter-form.js';
import { AuditLogCard } from './audit-log-card.js';
import { ACTION_LABELS, OUTCOME_LABELS } from './auth-client-rules.js';
import { kindFilter } from './auth-log-columns.js';

const CLIENT_ID: FilterField = {
  key: 'clientId',
  label: 'Client ID',
  input: { autoComplete: 'off', spellCheck: false },
};

/** What each log says around its rows. */
const LOGS: Readonly<Record<AuthLog, LogTexts>> = {
  'auth-clients': {
    title: 'Auth Client Audit Log',
    description: 'Every auth client created or revoked in this workspace, by whom and from where.',
    filterLabel: 'Filter the auth client audit log',
    kind: kindFilter('action', 'Action', ACTION_LABELS),
    empty: 'No auth client changes recorded.',
    tableLabel: 'Auth client events',
    columns: ['When', 'Client ID', 'Client name', 'Action', 'Source', 'By'],
  },
  tokens: {
    title: 'JWT Token Audit Log',
    description:
      "Every token request of this workspace's clients: issued tokens (never the token itself) and refusals with their code.",
    filterLabel: 'Filter the JWT token audit log',
    kind: kindFilter('outcome', 'Outcome', OUTCOME_LABELS),
    empty: 'No token requests recorded.',
    tableLabel: 'Token events',
    columns: [
      'When',
      'Client ID',
      'Outcome',
      'Error',
      'Scope',
      'Audience',
      'JWT ID',
      'Client IP',
      'User agent',
    ],
  },
};

interface LogTexts {
  readonly title: string;
  readonly description: string;
  /** Names the filter form: "Filter the JWT token audit log". */
  readonly filterLabel: string;
  /** The log's own filter besides the client: its action or its outcome. */
  readonly kind: FilterField;
  readonly empty: string;
  readonly tableLabel: string;
  readonly columns: readonly string[];
}

/**
 * One of the Authentication Manager's logs, newest first: filtered by client, its own kind and
 * days, exported as CSV with the same filters.
 */
export function AuthAuditLog<L extends AuthLog>({
  workspace,
  log,
  row,
}: {
  workspace: WorkspaceView;
  log: L;
  row: (event: AuthLogEvents[L]) => ReactNode;
}) {
  const { title, description, filterLabel, kind, empty, tableLabel, columns } = LOGS[log];
  const [filters, setFilters] = useState<LogFilters>({});
  const [refreshed, setRefreshed] = useState(0);
  const list = usePaged<AuthLogEvents[L]>(
    `${log}:${workspace.id}:${JSON.stringify(filters)}:${refreshed}`,
    (cursor) => Api.authLog(workspace.id, log, cursor, filters),
  );
  return (
    <AuditLogCard
      title={title}
      description={
        <>
          {description}{' '}
          <ExportLink
            path={`/workspaces/${encodeURIComponent(workspace.id)}/audit/${log}`}
            filters={filters}
          />
        </>
      }
      filters={
        <LogFilterForm label={filterLabel} fields={[CLIENT_ID, kind]} onApply={setFilters} />
      }
      list={list}
      empty={empty}
      onRefresh={() => setRefreshed(refreshed + 1)}
    >
      <ScrollTable label={tableLabel} columns={columns}>
        {list.items.map((item) => (
          <Fragment key={item.id}>{row(item)}</Fragment>
        ))}
      </ScrollTable>
    </AuditLogCard>
  );
}
