import { defineRpc } from '@loyalty-edge/contracts';

/**
 * The audit logs kept as hash chains, one chain per workspace per log. Records that belong to
 * no workspace (a token request from an unknown client, a platform-wide change) form the
 * chains of the workspace key NO_WORKSPACE.
 */
export const AUDIT_LOGS = ['changes', 'auth-clients', 'tokens', 'failed-calls'] as const;
export type AuditLogName = (typeof AUDIT_LOGS)[number];

/** The chain key of records without a workspace (workspace ids never start with `_`). */
export const NO_WORKSPACE = '_';

/**
 * How a chain is broken at its first bad link:
 * - `altered`: the entry's content (or its stored hash) is not what was written;
 * - `removed`: an entry is missing between two others;
 * - `reordered`: an entry is intact but no longer follows the entry it was chained to;
 * - `truncated`: the newest entries are missing (the chain head or a signed anchor names more).
 */
export type ChainBreakKind = 'altered' | 'removed' | 'reordered' | 'truncated';

export interface ChainBreak {
  readonly kind: ChainBreakKind;
  /** The position in the chain where the break shows (the missing one for removed/truncated). */
  readonly seq: number;
  /** The event id of the entry at that position, null when it is missing. */
  readonly id: string | null;
  readonly detail: string;
}

export interface ChainLogReport {
  readonly log: AuditLogName;
  /** Entries checked (from the chain's start, which moves forward with retention). */
  readonly entries: number;
  readonly firstSeq: number;
  readonly lastSeq: number;
  /** The newest signed anchor's position in this chain, null when none covers it. */
  readonly anchoredSeq: number | null;
  /** Entries stored before chaining began (not covered by the chain). */
  readonly unchained: number;
  readonly broken: ChainBreak | null;
}

export interface ChainVerification {
  readonly workspaceId: string;
  readonly ok: boolean;
  /** When the newest anchor was signed, null when the workspace has none (or no key is set). */
  readonly anchoredAt: string | null;
  readonly logs: readonly ChainLogReport[];
}

export const AuditChainRpc = {
  /** Walks every chain of one workspace (operators: management API `GET …/audit/verify`). */
  verify: defineRpc<{ workspaceId: string }, ChainVerification>('audit.chain.verify'),
} as const;
