import { useState } from 'react';
import {
  Api,
  type ApiEntry,
  type IpFilterList,
  type IpFilterView,
  type UpdateListResult,
  type WorkspaceView,
} from '../api/endpoints.js';
import { Alert, Loading } from '../components/alert.js';
import { ModuleOffNote } from '../components/module-off-note.js';
import { useLoad } from '../hooks.js';
import { canAdminister } from '../roles.js';
import { IpListSection } from './ip-list-section.js';

/** Every API's IP allow-list; admins edit one list at a time while the module is on. */
export function IpFilterTab({ workspace }: { workspace: WorkspaceView }) {
  const { state, set } = useLoad(`ip-filter:${workspace.id}`, () =>
    Promise.all([Api.ipFilter(workspace.id), Api.apis()]),
  );
  const [editing, setEditing] = useState<string | undefined>();
  const [saved, setSaved] = useState<UpdateListResult | undefined>();

  const content = (view: IpFilterView, catalog: readonly ApiEntry[]) => {
    const editable = canAdminister(workspace.role) && view.moduleEnabled;
    const onSaved = (result: UpdateListResult): void => {
      const apis = view.apis.map((list) => (list.api === result.list.api ? result.list : list));
      set([{ ...view, apis, revision: result.revision }, [...catalog]]);
      setSaved(result);
      setEditing(undefined);
    };
    const onReloaded = (list: IpFilterList): void => {
      const apis = view.apis.map((each) => (each.api === list.api ? list : each));
      set([{ ...view, apis }, [...catalog]]);
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
        {view.apis.map((list) => {
          const api = catalog.find((entry) => entry.id === list.api) ?? {
            id: list.api,
            name: list.api,
          };
          return (
            <IpListSection
              key={list.api}
              workspace={workspace}
              api={api}
              list={list}
              editable={editable}
              editing={editable && editing === list.api}
              locked={editing !== undefined && editing !== list.api}
              saved={saved?.list.api === list.api ? saved : undefined}
              onEdit={() => {
                setSaved(undefined);
                setEditing(list.api);
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
        with host bits set, it covers the whole network.
      </p>
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <Alert>{state.error.message}</Alert> : null}
      {state.status === 'ready' ? content(state.data[0], state.data[1]) : null}
    </div>
  );
}
