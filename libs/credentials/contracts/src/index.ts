import { defineRpc } from '@loyalty-edge/contracts';

/** Who asked for a change, as recorded in the audit log. */
export interface Actor {
  readonly type: 'admin' | 'token' | 'system';
  readonly id: string;
  readonly email?: string;
}

/** What anyone may know of a workspace's credentials: never the secret. */
export interface ApiKeyView {
  readonly apiKey: string;
  readonly workspaceId: string;
  readonly status: 'active' | 'inactive';
  readonly version: number;
  readonly createdAt: string;
  readonly createdBy: string;
}

/** Returned once, at generation. */
export interface GeneratedCredentials extends ApiKeyView {
  readonly apiSecret: string;
}

/** The KV record (`api_keys` bucket, key = api key) the gateway resolves workspaces from. */
export interface ApiKeyRecord {
  readonly workspaceId: string;
  readonly status: 'active' | 'inactive';
  readonly version: number;
}

export interface GenerateRequest {
  readonly workspaceId: string;
  readonly actor: Actor;
  readonly requestId?: string;
}

export const CredentialsRpc = {
  /** Generates a new pair and deactivates the old one in the same transaction. */
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
