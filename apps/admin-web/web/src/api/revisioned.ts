import type { IpFilterList, UpdateListResult } from '@loyalty-edge/ip-filter-contracts';
import type {
  AddedMember,
  AddMemberRequest,
  EnforcementRequest,
  IpListRequest,
  MemberRole,
  MemberView,
  ModuleKey,
  ModuleSwitchRequest,
  SetMemberRoleRequest,
  WorkspaceView,
} from '@loyalty-edge/management-contracts';
import { ApiError, requestTagged } from './client.js';
import type { EnforcementView } from './endpoints.js';

// The settings several admins (and automation) change at once. Each change names the revision
// it was made from (If-Match); a change made by someone else since answers 412 with the current
// state, which `staleState` reads.

/** The strong entity tag of a revision, as ETag and If-Match carry it. */
export const etagOf = (revision: number): string => `"${revision}"`;

/** The members of a workspace and the ETag a change of them sends back. */
export interface MembersView {
  readonly members: readonly MemberView[];
  readonly etag: string;
}

/** What a 412 says: the revision now, and the state as a read returns it. */
export interface Stale<T> {
  readonly revision: number;
  readonly current: T;
}

/** The current state in a 412 answer ("changed by someone else since you read it"). */
export function staleState<T>(error: unknown): Stale<T> | undefined {
  if (!(error instanceof ApiError) || error.status !== 412) return undefined;
  const { revision, current } = error.details;
  if (typeof revision !== 'number' || typeof current !== 'object' || current === null) {
    return undefined;
  }
  return { revision, current: current as T };
}

const ws = (id: string): string => `/workspaces/${encodeURIComponent(id)}`;
const member = (id: string, memberId: string): string =>
  `${ws(id)}/members/${encodeURIComponent(memberId)}`;

/** An answer and its ETag; `data` is what the route's contract says it answers. */
async function tagged(
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
  ifMatch?: string,
): Promise<{ data: unknown; etag: string }> {
  const answer = await requestTagged(method, path, body, ifMatch);
  return { data: answer.data, etag: answer.etag ?? '' };
}

/** A change's answer: its value (typed by the route's contract) and the new ETag. */
export interface Changed<T> {
  readonly data: T;
  readonly etag: string;
}

export const Revisioned = {
  /** Switches one module, from the workspace's `modulesRevision`. */
  setModule: async (id: string, module: ModuleKey, enabled: boolean, revision: number) => {
    const path = `${ws(id)}/modules/${module}`;
    return (await tagged('PUT', path, { enabled } satisfies ModuleSwitchRequest, etagOf(revision)))
      .data as WorkspaceView;
  },

  /** Replaces one API's list, from that list's own `revision`. */
  setIpList: async (id: string, list: IpFilterList, entries: readonly string[]) => {
    const path = `${ws(id)}/ip-filter/${encodeURIComponent(list.api)}`;
    const answer = await tagged(
      'PUT',
      path,
      { entries } satisfies IpListRequest,
      etagOf(list.revision),
    );
    return answer.data as UpdateListResult;
  },

  setSignatureEnforcement: async (id: string, apis: readonly string[], revision: number) => {
    const path = `${ws(id)}/signature-enforcement`;
    return (await tagged('PUT', path, { apis } satisfies EnforcementRequest, etagOf(revision)))
      .data as EnforcementView;
  },

  members: async (id: string): Promise<MembersView> => {
    const { data, etag } = await tagged('GET', `${ws(id)}/members`);
    return { members: data as MemberView[], etag };
  },
  /** Invites the email: the answer carries the one-time link, shown once. */
  addMember: (id: string, input: AddMemberRequest, etag: string) =>
    tagged('POST', `${ws(id)}/members`, input, etag) as Promise<Changed<AddedMember>>,
  setMemberRole: (id: string, memberId: string, role: MemberRole, etag: string) =>
    tagged('PUT', member(id, memberId), { role } satisfies SetMemberRoleRequest, etag) as Promise<
      Changed<MemberView>
    >,
  /** Removes a member, or revokes a pending invitation (`member.id` either way). */
  removeMember: (id: string, memberId: string, etag: string) =>
    tagged('DELETE', member(id, memberId), undefined, etag) as Promise<Changed<undefined>>,
} as const;
