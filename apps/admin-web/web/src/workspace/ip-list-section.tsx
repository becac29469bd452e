import { useEffect, useId, useRef } from 'react';
import type { ApiEntry, IpFilterList, UpdateListResult, WorkspaceView } from '../api/endpoints.js';
import { Alert } from '../components/alert.js';
import { ApiLabels } from '../components/api-labels.js';
import { lastChange, plural } from '../components/format.js';
import { IpEntryList } from './ip-entry-list.js';
import { IpListEditor } from './ip-list-editor.js';

/** What a save did: the entries now enforced, and duplicates that were merged into one. */
export function SavedNote({ result, apiName }: { result: UpdateListResult; apiName: string }) {
  const count = result.list.entries.length;
  return (
    <Alert kind="success">
      <p className="alert-title">
        {!result.changed
          ? 'Saved: the enforced list did not change.'
          : count === 0
            ? `Saved: the list is empty, so every address may call ${apiName}.`
            : `Saved: ${plural(count, 'entry', 'entries')} enforced.`}
      </p>
      {result.merged.length === 0 ? null : (
        <>
          <p>Duplicates were merged, each kept once:</p>
          <ul className="merged" aria-label="Merged duplicates">
            {result.merged.map((merged) => (
              <li key={merged.normalized}>
                {merged.inputs.map((input, index) => (
                  <span key={`${index}-${input}`}>
                    {index === 0 ? null : ', '}
                    <code>{input}</code>
                  </span>
                ))}{' '}
                → <code>{merged.normalized}</code>
              </li>
            ))}
          </ul>
        </>
      )}
    </Alert>
  );
}

/** One API of the catalog: its allow-list, and the editor while an admin changes it. */
export function IpListSection({
  workspace,
  api,
  list,
  editable,
  editing,
  locked,
  saved,
  onEdit,
  onCancel,
  onSaved,
  onReloaded,
}: {
  workspace: WorkspaceView;
  api: ApiEntry;
  list: IpFilterList;
  editable: boolean;
  editing: boolean;
  /** Another list is open in its editor: one at a time, so no unsaved text is lost. */
  locked: boolean;
  saved: UpdateListResult | undefined;
  onEdit: () => void;
  onCancel: () => void;
  onSaved: (result: UpdateListResult) => void;
  onReloaded: (list: IpFilterList) => void;
}) {
  const titleId = useId();
  const editRef = useRef<HTMLButtonElement>(null);
  const wasEditing = useRef(editing);
  useEffect(() => {
    // back from the editor (saved or cancelled): focus returns to where it was opened
    if (wasEditing.current && !editing) editRef.current?.focus();
    wasEditing.current = editing;
  }, [editing]);

  return (
    <section className="policy-item" aria-labelledby={titleId}>
      <div className="policy-item-header">
        <h3 id={titleId}>{api.name}</h3>
        <ApiLabels api={api} />
        <code className="api-id">{api.id}</code>
        <span className="badge">
          {list.entries.length === 0
            ? 'not filtered'
            : plural(list.entries.length, 'entry', 'entries')}
        </span>
        {editable && !editing ? (
          <button
            type="button"
            ref={editRef}
            className="button button-small policy-item-action"
            onClick={onEdit}
            disabled={locked}
            title={locked ? 'Save or cancel the list being edited first' : undefined}
            aria-label={`Edit list for ${api.name}`}
          >
            Edit list
          </button>
        ) : null}
      </div>
      {editing ? (
        <IpListEditor
          workspace={workspace}
          api={api}
          list={list}
          onSaved={onSaved}
          onReloaded={onReloaded}
          onCancel={onCancel}
        />
      ) : (
        <>
          <IpEntryList entries={list.entries} label={`${api.name} allow-list`} />
          <p className="meta">{lastChange(list.updatedAt, list.updatedBy)}</p>
          {saved === undefined ? null : <SavedNote result={saved} apiName={api.name} />}
        </>
      )}
    </section>
  );
}
