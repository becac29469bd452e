import type { ApiEntry } from '../api/endpoints.js';

/** What the catalog says about an API beside its name: LEGACY, and the name it had before. */
export function ApiLabels({ api }: { api: ApiEntry }) {
  return (
    <>
      {api.legacy === true ? <span className="badge badge-legacy">LEGACY</span> : null}
      {api.formerly === undefined ? null : (
        <span className="api-formerly">formerly known as {api.formerly}</span>
      )}
    </>
  );
}

/** The API's name as one line of text, for an option of a select. */
export function apiOptionText(api: ApiEntry): string {
  const labels = [
    api.legacy === true ? 'LEGACY' : undefined,
    api.formerly === undefined ? undefined : `formerly known as ${api.formerly}`,
  ].filter((label) => label !== undefined);
  return labels.length === 0 ? api.name : `${api.name} (${labels.join(', ')})`;
}
