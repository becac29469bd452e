import type { ClientIpCount } from '@loyalty-edge/audit-contracts';
import { defineRpc, type Actor, type ApiId } from '@loyalty-edge/contracts';
import type { EntryErrorReason } from '@loyalty-edge/ip-range';

/**
 * Limits of the allow-lists (env `IP_FILTER_MAX_ENTRIES`, `IP_FILTER_MAX_WORKSPACE_ENTRIES`).
 * The workspace total keeps a workspace's lists, and its KV record, inside one NATS message
 * (1 MiB by default).
 */
export const IP_FILTER_LIMITS = {
  /** Entries per API list, counted as submitted (default). */
  entriesPerApi: 1000,
  /** Entries over all APIs of one workspace (default). */
  entriesPerWorkspace: 5000,
  /** Characters per entry, after trimming; no valid entry comes close. */
  entryLength: 100,
} as const;

/** One allow-list entry: what the admin typed and what is enforced. */
export interface IpFilterEntry {
  /** As typed, without surrounding whitespace. */
  readonly input: string;
  /** Canonical form: `192.168.0.3/24` → `192.168.0.0/24`; `/32` and `/128` as bare addresses. */
  readonly normalized: string;
  /** True when the input had host bits set, so `normalized` covers more than it seems to. */
  readonly hostBitsCleared: boolean;
}

/** Entries that normalised to the same range; the first input is the one kept. */
export interface MergedEntries {
  readonly normalized: string;
  readonly inputs: readonly string[];
}

/** One API's allow-list. An empty list means the API is not filtered. */
export interface IpFilterList {
  readonly api: ApiId;
  readonly entries: readonly IpFilterEntry[];
  /** ISO 8601; null when the list was never saved. */
  readonly updatedAt: string | null;
  readonly updatedBy: string | null;
  /**
   * The list's own revision (the workspace revision it was last saved at; 0 when never saved):
   * an update names it in `expectedRevision`. Saving another API's list leaves it unchanged.
   */
  readonly revision: number;
}

export interface IpFilterLists {
  readonly workspaceId: string;
  /** Every API of `API_CATALOG`, in catalog order. */
  readonly apis: readonly IpFilterList[];
  /** The revision of the workspace's KV record; 0 when nothing was ever saved. */
  readonly revision: number;
}

export interface UpdateListRequest {
  readonly workspaceId: string;
  /** An `ApiId`; anything else is refused with reason `unknown-api`. */
  readonly api: string;
  /** The whole new list: it replaces the old one. */
  readonly entries: readonly string[];
  /**
   * The list's revision the change was made from; any other current revision refuses the update
   * (`precondition_failed`, `details` {revision, current: IpFilterList}), checked in the write's
   * transaction.
   */
  readonly expectedRevision: number;
  readonly actor: Actor;
  readonly requestId?: string;
}

export interface UpdateListResult {
  readonly workspaceId: string;
  /** The saved list. */
  readonly list: IpFilterList;
  /** The list it replaced (for the admin audit log). */
  readonly before: readonly IpFilterEntry[];
  /** Duplicates after normalisation, merged into one entry each. */
  readonly merged: readonly MergedEntries[];
  /** False when the enforced (normalized) list is the same as before. */
  readonly changed: boolean;
  /** The workspace's KV record revision carrying this list. */
  readonly revision: number;
}

export interface PreviewRequest {
  readonly workspaceId: string;
  readonly api: string;
  /** The proposed list, validated as an update would be (nothing is saved). */
  readonly entries: readonly string[];
  /** Recent clients of the API, e.g. from `AuditRpc.clientIps`. */
  readonly clientIps: readonly ClientIpCount[];
}

export interface PreviewResult {
  readonly workspaceId: string;
  readonly api: ApiId;
  /** The proposed list as it would be saved. */
  readonly entries: readonly IpFilterEntry[];
  readonly merged: readonly MergedEntries[];
  /** False when the proposed list is empty: the API would not be filtered at all. */
  readonly filtering: boolean;
  /** Clients the list would refuse (403), busiest first. */
  readonly blocked: readonly ClientIpCount[];
  /** Given addresses that are not IP addresses (never a real client); not counted as blocked. */
  readonly unrecognized: readonly ClientIpCount[];
  readonly totals: {
    readonly clients: number;
    readonly requests: number;
    readonly blockedClients: number;
    readonly blockedRequests: number;
  };
}

/** Why an update (or preview) was refused, per field of `details.fields`. */
export type IpListProblemReason =
  EntryErrorReason | 'too-long' | 'too-many-entries' | 'unknown-api';

/** A field problem of an `invalid` error: `{field: 'entries[3]', message, reason}`. */
export interface IpListProblem {
  readonly field: string;
  readonly message: string;
  readonly reason: IpListProblemReason;
}

/** Error codes of the ip-filter service (docs/errors.md); all are of kind `invalid`. */
export const IpFilterErrorCodes = {
  /** Invalid entries, or too many: `details.fields` lists every problem; nothing was saved. */
  invalidList: 120400,
  /** The api is not an id of `API_CATALOG`. */
  unknownApi: 120404,
} as const;

/**
 * The KV record (bucket `ip_filters`, key = workspace id) the gateway enforces. An API without
 * a key here is not filtered; the gateway applies lists only while the workspace's `ipFilter`
 * module is on (`workspaces` bucket). `revision` grows with every saved change.
 */
export interface IpFilterRecord {
  readonly workspaceId: string;
  /** Normalized entries of each non-empty list (parse with ip-range's `compileMatcher`). */
  readonly apis: Partial<Record<ApiId, readonly string[]>>;
  readonly revision: number;
}

export const IpFilterRpc = {
  /** Every API's list of a workspace. */
  getLists: defineRpc<{ workspaceId: string }, IpFilterLists>('ip-filter.lists.get'),
  /**
   * Replaces one API's list atomically. Any invalid entry refuses the whole update
   * (`invalid`, every bad entry listed); the KV record is written after commit.
   */
  update: defineRpc<UpdateListRequest, UpdateListResult>('ip-filter.list.update'),
  /** Which of the given client IPs a proposed list would block. Pure computation. */
  preview: defineRpc<PreviewRequest, PreviewResult>('ip-filter.list.preview'),
} as const;
