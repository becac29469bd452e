import { useId, type ReactNode } from 'react';
import { Alert, Loading } from '../../components/alert.js';
import type { Paged } from '../../hooks.js';

/** One audit log: title, filters, the table of what is loaded so far, and "Load more". */
export function AuditLogCard<T>({
  title,
  description,
  filters,
  list,
  empty,
  onRefresh,
  children,
}: {
  title: string;
  description: ReactNode;
  filters: ReactNode;
  list: Paged<T>;
  empty: string;
  onRefresh: () => void;
  /** The table; rendered once there is at least one record. */
  children: ReactNode;
}) {
  const titleId = useId();
  return (
    <section className="card" aria-labelledby={titleId}>
      <div className="card-header">
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="button button-small" onClick={onRefresh}>
          Refresh
        </button>
      </div>
      <p className="muted">{description}</p>
      {filters}
      {list.error === undefined ? null : <Alert>{list.error.message}</Alert>}
      {!list.loading && list.error === undefined && list.items.length === 0 ? (
        <p className="empty">{empty}</p>
      ) : null}
      {list.items.length > 0 ? children : null}
      {list.loading ? <Loading /> : null}
      {list.hasMore && !list.loading ? (
        <button type="button" className="button" onClick={list.loadMore}>
          Load more
        </button>
      ) : null}
    </section>
  );
}
