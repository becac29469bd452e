import { useId, useState } from 'react';
import {
  Api,
  type ApiEntry,
  type IpFilterList,
  type IpFilterView,
  type UpdateListResult,
  type WorkspaceView,
} from '../api/endpoints.js';
import { Alert, Loading } from '../components/alert.js';
import { ApiLabels, apiOptionText } from '../components/api-labels.js';
import { ModuleOffNote } from '../components/module-off-note.js';
import { useLoad } from '../hooks.js';
import { canAdminister } from '../roles.js';
import { confirmLeave } from '../unsaved-changes.js';
import { IpListEditor } from './ip-list-editor.js';
import { IpListSection, SavedNote } from './ip-list-section.js';

/** Which list is open, and in which editor: the API picker's rows, or a section's bulk text. */
interface Editing {
  readonly api: string;
  readonly layout: 'rows' | 'text';
}

const entryOf = (catalog: readonly ApiEntry[], api: string): ApiEntry =>
  catalog.find((entry) => entry.id === api) ?? { id: api, name: api };

/** Pick an API, then change its list one row at a time: + adds, X removes, Update saves. */
function ApiPicker({
  workspace,
  view,
  catalog,
  editing,
  saved,
  onPick,
  onSaved,
  onReloaded,
}: {
  workspace: WorkspaceView;
  view: IpFilterView;
  catalog: readonly ApiEntry[];
  editing: Editing | undefined;
  saved: UpdateListResult | undefined;
  onPick: (api: string | undefined) => void;
  onSaved: (result: UpdateListResult) => void;
  onReloaded: (list: IpFilterList) => void;
}) {
  const id = useId();
  const picked = editing?.layout === 'rows' ? editing.api : undefined;
  const list = view.apis.find((each) => each.api === picked);
  const api = picked === undefined ? undefined : entryOf(catalog, picked);
  return (
    <section className="policy-item ip-picker" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Change one API&apos;s list</h3>
      <div className="field">
        <label htmlFor={`${id}-api`}>API</label>
        <select
          id={`${id}-api`}
          value={picked ?? ''}
          disabled={editing?.layout === 'text'}
          onChange={(event) => {
            const next = event.target.value === '' ? undefined : event.target.value;
            // another API closes the rows of this one: typed changes are dropped only when agreed
            if (confirmLeave()) onPick(next);
          }}
        >
          <option value="">Choose an API…</option>
          {view.apis.map((each) => (
            <option key={each.api} value={each.api}>
              {apiOptionText(entryOf(catalog, each.api))}
            </option>
          ))}
        </select>
        {api === undefined ? null : (
          <p className="api-picked">
            <ApiLabels api={api} />
          </p>
        )}
      </div>
      {api === undefined || list === undefined ? null : (
        <IpListEditor
          key={`${api.id}:${list.updatedAt ?? ''}`}
          workspace={workspace}
          api={api}
          list={list}
          layout="rows"
          onSaved={onSaved}
          onReloaded={onReloaded}
          onCancel={() => onPick(undefined)}
        />
      )}
      {saved === undefined ? null : (
        <SavedNote result={saved} apiName={entryOf(catalog, saved.list.api).name} />
      )}
    </section>
  );
}

/** Every API's IP allow-list; admins edit one list at a time while the module is on. */
export function IpFilterTab({ workspace }: { workspace: WorkspaceView }) {
  const { state, set } = useLoad(`ip-filter:${workspace.id}`, () =>
    Promise.all([Api.ipFilter(workspace.id), Api.apis()]),
  );
  const [editing, setEditing] = useState<Editing | undefined>();
  const [saved, setSaved] = useState<(UpdateListResult & Editing) | undefined>();

  const content = (view: IpFilterView, catalog: readonly ApiEntry[]) => {
    const editable = canAdminister(workspace.role) && view.moduleEnabled;
    const onSaved = (result: UpdateListResult): void => {
      const apis = view.apis.map((list) => (list.api === result.list.api ? result.list : list));
      set([{ ...view, apis, revision: result.revision }, [...catalog]]);
      setSaved({ ...result, api: result.list.api, layout: editing?.layout ?? 'text' });
      setEditing(undefined);
    };
    const onReloaded = (list: IpFilterList): void => {
      const apis = view.apis.map((each) => (each.api === list.api ? list : each));
      set([{ ...view, apis }, [...catalog]]);
    };
    const onPick = (api: string | undefined): void => {
      setSaved(undefined);
      setEditing(api === undefined ? undefined : { api, layout: 'rows' });
    };
    return (
      <>
        {view.moduleEnabled ? null : (
          <ModuleOffNote module="ipFilter" workspace={workspace}>
            The gateway does not enforce these lists.
          </ModuleOffNote>
        )}
        {view.moduleEnabled && !canAdminister(workspace.role) ? (
          <p className="muted">You have read-only access: workspace admins change these lists.</p>
        ) : null}
        {editable ? (
          <ApiPicker
            workspace={workspace}
            view={view}
            catalog={catalog}
            editing={editing}
            saved={saved?.layout === 'rows' ? saved : undefined}
            onPick={onPick}
            onSaved={onSaved}
            onReloaded={onReloaded}
          />
        ) : null}
        {view.apis.map((list) => {
          const inText = editing?.layout === 'text' && editing.api === list.api;
          return (
            <IpListSection
              key={list.api}
              workspace={workspace}
              api={entryOf(catalog, list.api)}
              list={list}
              editable={editable}
              editing={editable && inText}
              locked={editing !== undefined && !inText}
              saved={saved?.layout === 'text' && saved.list.api === list.api ? saved : undefined}
              onEdit={() => {
                setSaved(undefined);
                setEditing({ api: list.api, layout: 'text' });
              }}
              onCancel={() => setEditing(undefined)}
              onSaved={onSaved}
              onReloaded={onReloaded}
            />
          );
        })}
      </>
    );
  };

  return (
    <div className="card">
      <h2>IP allow-lists</h2>
      <p className="muted">
        Per API, only the listed addresses and CIDR ranges may call it; any other client gets 403.
        An API without a list is not filtered. A range is enforced in its normalized form: typed
        with host bits set, it covers the whole network. Change a list row by row below, or paste a
        whole list with Edit list.
      </p>
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <Alert>{state.error.message}</Alert> : null}
      {state.status === 'ready' ? content(state.data[0], state.data[1]) : null}
    </div>
  );
}
