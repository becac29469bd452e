import { useState } from 'react';
import { Api, type ChangeEvent, type WorkspaceView } from '../api/endpoints.js';
import { Revisioned } from '../api/revisioned.js';
import { formatDateTime } from '../components/format.js';
import { useLoad, usePaged } from '../hooks.js';
import { AuditLogCard } from './auth-manager/audit-log-card.js';
import { ChangeDiff, changedFields, hasListDiff } from './change-diff.js';
import { ExportLink, type LogFilters } from './export-link.js';
import { LogFilterForm, type FilterField } from './log-filter-form.js';

/** The change log's actions in words. */
const ACTION_NAMES: Readonly<Record<string, string>> = {
  'workspace.created': 'Workspace created',
  'workspace.modules.updated': 'Modules switched',
  'workspace.rate-limit.updated': 'Rate limit changed',
  'workspace.member.added': 'Member added',
  'workspace.member.removed': 'Member removed',
  'workspace.member.role.changed': 'Member role changed',
  'workspace.invitation.created': 'Member invited',
  'workspace.invitation.revoked': 'Invitation withdrawn',
  'credentials.generated': 'API credentials generated',
  'ip-filter.list.updated': 'IP allow-list changed',
  'signature-enforcement.updated': 'Signature enforcement changed',
  'auth-client.created': 'Auth client created',
  'auth-client.revoked': 'Auth client revoked',
  'api-browser.request.sent': 'API browser request sent',
};

export const actionName = (action: string): string => ACTION_NAMES[action] ?? action;

/** An action, who (by email) and a range of days. */
const CHANGE_FILTERS: readonly FilterField[] = [
  {
    key: 'action',
    label: 'Action',
    choices: Object.entries(ACTION_NAMES).map(([value, label]) => ({ value, label })),
  },
  { key: 'actor', label: 'Who (email)', input: { type: 'email', autoComplete: 'off' } },
];

function Change({ change, emails }: { change: ChangeEvent; emails: ReadonlyMap<string, string> }) {
  const target =
    change.target === undefined ? undefined : (emails.get(change.target) ?? change.target);
  const fields = hasListDiff(change) ? [] : changedFields(change.before, change.after);
  return (
    <tr>
      <td className="nowrap" data-label="When">
        {formatDateTime(change.at)}
      </td>
      <td className="by-cell" data-label="Who">
        {change.actor.email ??
          emails.get(change.actor.id) ??
          `${change.actor.type} ${change.actor.id}`}
      </td>
      <td data-label="What">
        <span className="change-action">{actionName(change.action)}</span>
        {target === undefined ? null : <span className="muted"> {target}</span>}
        <ChangeDiff change={change} />
        {fields.map((line) => (
          <div key={line} className="change-line">
            {line}
          </div>
        ))}
      </td>
      <td data-label="Via">{change.source}</td>
    </tr>
  );
}

/** Every settings change made on the workspace, newest first, filtered, exported as CSV. */
export function AuditTab({ workspace }: { workspace: WorkspaceView }) {
  const [filters, setFilters] = useState<LogFilters>({});
  const [refreshed, setRefreshed] = useState(0);
  const list = usePaged<ChangeEvent>(
    `changes:${workspace.id}:${JSON.stringify(filters)}:${refreshed}`,
    (cursor) => Api.changes(workspace.id, cursor, filters),
  );
  // member ids in the log are shown as the members' emails
  const members = useLoad(`members:${workspace.id}`, () => Revisioned.members(workspace.id));
  const emails = new Map<string, string>();
  if (members.state.status === 'ready') {
    for (const member of members.state.data.members) {
      emails.set(member.id, member.email);
      if (member.adminId !== null) emails.set(member.adminId, member.email);
    }
  }
  return (
    <AuditLogCard
      title="Changes"
      description={
        <>
          Every settings change in this workspace, by whom and how.{' '}
          <ExportLink
            path={`/workspaces/${encodeURIComponent(workspace.id)}/audit/changes`}
            filters={filters}
          />
        </>
      }
      filters={
        <LogFilterForm label="Filter the changes" fields={CHANGE_FILTERS} onApply={setFilters} />
      }
      list={list}
      empty="No changes recorded."
      onRefresh={() => setRefreshed(refreshed + 1)}
    >
      <table className="table table-stack">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">What</th>
            <th scope="col">Via</th>
          </tr>
        </thead>
        <tbody>
          {list.items.map((change) => (
            <Change key={change.id} change={change} emails={emails} />
          ))}
        </tbody>
      </table>
    </AuditLogCard>
  );
}
