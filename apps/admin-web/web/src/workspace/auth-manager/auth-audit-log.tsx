import { Fragment, useState, type ReactNode } from 'react';
import type { Page, WorkspaceView } from '../../api/endpoints.js';
import { ScrollTable } from '../../components/scroll-table.js';
import { usePaged } from '../../hooks.js';
import { ExportLink, type LogFilters } from '../export-link.js';
import { LogFilterForm, type FilterField } from '../log-filter-form.js';
import { AuditLogCard } from './audit-log-card.js';

const CLIENT_ID: FilterField = {
  key: 'clientId',
  label: 'Client ID',
  input: { autoComplete: 'off', spellCheck: false },
};

/**
 * One of the Authentication Manager's logs, newest first: filtered by client, its own kind and
 * days, exported as CSV with the same filters.
 */
export function AuthAuditLog<T extends { readonly id: string }>({
  workspace,
  log,
  load,
  title,
  description,
  filterLabel,
  kind,
  empty,
  tableLabel,
  columns,
  row,
}: {
  workspace: WorkspaceView;
  /** Its path under the workspace's `/audit`. */
  log: 'auth-clients' | 'tokens';
  load: (cursor: string | null, filters: LogFilters) => Promise<Page<T>>;
  title: string;
  description: string;
  /** Names the filter form: "Filter the JWT token audit log". */
  filterLabel: string;
  /** The log's own filter besides the client: its action or its outcome. */
  kind: FilterField;
  empty: string;
  tableLabel: string;
  columns: readonly string[];
  row: (item: T) => ReactNode;
}) {
  const [filters, setFilters] = useState<LogFilters>({});
  const [refreshed, setRefreshed] = useState(0);
  const list = usePaged<T>(
    `${log}:${workspace.id}:${JSON.stringify(filters)}:${refreshed}`,
    (cursor) => load(cursor, filters),
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
