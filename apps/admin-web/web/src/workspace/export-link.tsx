/** The filters of a log, as the management API takes them in its query. */
export type LogFilters = Readonly<Record<string, string | undefined>>;

/** Downloads every record the filters match as CSV (the API streams it). */
export function ExportLink({ path, filters }: { path: string; filters: LogFilters }) {
  const query = new URLSearchParams({ format: 'csv' });
  for (const [key, value] of Object.entries(filters)) {
    if (value !== undefined && value !== '') query.set(key, value);
  }
  return (
    <a
      className="button button-small export-link"
      href={`/api${path}?${query.toString()}`}
      download
    >
      Export CSV
    </a>
  );
}
