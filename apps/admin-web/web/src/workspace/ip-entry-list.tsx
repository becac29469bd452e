import type { IpFilterEntry } from '../api/endpoints.js';

/** One entry as typed and, where it differs, as enforced. */
export function IpEntry({ entry }: { entry: IpFilterEntry }) {
  if (entry.normalized === entry.input) return <code>{entry.input}</code>;
  return (
    <>
      <code>{entry.input}</code> → <code>{entry.normalized}</code>
      {entry.hostBitsCleared ? <span className="muted"> (host bits cleared)</span> : null}
    </>
  );
}

/** A saved allow-list, read-only; an empty list lets every address through. */
export function IpEntryList({
  entries,
  label,
}: {
  entries: readonly IpFilterEntry[];
  label: string;
}) {
  if (entries.length === 0) {
    return <p className="empty">No list: every address may call this API.</p>;
  }
  return (
    <ul className="ip-entries" aria-label={label}>
      {entries.map((entry) => (
        <li key={entry.normalized}>
          <IpEntry entry={entry} />
        </li>
      ))}
    </ul>
  );
}
