import { defineRpc, type Actor } from '@loyalty-edge/contracts';

/** What anyone may know of a workspace's credentials: never the secret. */
export interface ApiKeyView {
  readonly apiKey: string;
  readonly workspaceId: string;
  readonly status: 'active' | 'inactive';
  readonly version: number;
  readonly createdAt: string;
  readonly createdBy: string;
  /** The key this one replaced, while it still works (an overlap chosen at regeneration). */
  readonly previous?: OverlappingKey;
}

/** A replaced key that keeps working until `validUntil`, so integrations can switch over. */
export interface OverlappingKey {
  readonly apiKey: string;
  readonly validUntil: string;
}

/** The longest overlap a regeneration may give the old key: 24 hours. */
export const MAX_OVERLAP_SECONDS = 86_400;

/** Returned once, at generation. */
export interface GeneratedCredentials extends ApiKeyView {
  readonly apiSecret: string;
}

/** The KV record (`api_keys` bucket, key = api key) the gateway resolves workspaces from. */
export interface ApiKeyRecord {
  readonly workspaceId: string;
  readonly status: 'active' | 'inactive';
  readonly version: number;
  /** An inactive key that is still admitted until then (ISO time): the overlap after regeneration. */
  readonly validUntil?: string;
}

export interface GenerateRequest {
  readonly workspaceId: string;
  readonly actor: Actor;
  readonly requestId?: string;
  /** How long the old key keeps working, 0 (default) to MAX_OVERLAP_SECONDS. */
  readonly overlapSeconds?: number;
}

export const CredentialsRpc = {
  /**
   * Generates a new pair and deactivates the old one in the same transaction, at once or at the
   * end of the overlap asked for.
   */
  generate: defineRpc<GenerateRequest, GeneratedCredentials>('credentials.api-key.generate'),
  /** The active key of a workspace, or null. */
  getActive: defineRpc<{ workspaceId: string }, ApiKeyView | null>('credentials.api-key.get'),
  /**
   * The raw secret of an active key. Only the signature service may call this (NATS
   * permissions in deploy/): it is the one place that turns a secret into key material.
   */
  resolveSecret: defineRpc<{ apiKey: string }, { workspaceId: string; secret: string } | null>(
    'credentials.secret.resolve',
  ),
} as const;

export const API_KEY_PREFIX = 'lek_';
export const API_SECRET_PREFIX = 'les_';
