import { defineRpc, type Actor, type ApiId } from '@loyalty-edge/contracts';

/** The APIs of a workspace on which plain `api_key` requests are refused. */
export interface EnforcementSet {
  readonly workspaceId: string;
  readonly apis: readonly ApiId[];
  readonly updatedAt: string | null;
  readonly updatedBy: string | null;
  /** Grows with every saved change; 0 when the set was never saved. */
  readonly revision: number;
}

export interface SetEnforcementRequest {
  readonly workspaceId: string;
  readonly apis: readonly string[];
  /**
   * The revision the change was made from; any other current revision refuses it
   * (`precondition_failed`, `details` {revision, current: EnforcementSet}), checked in the
   * write's transaction.
   */
  readonly expectedRevision: number;
  readonly actor: Actor;
}

export interface SetEnforcementResult extends EnforcementSet {
  readonly before: readonly ApiId[];
}

/** KV record (bucket `signature_enforcement`, key = workspace id) the gateway enforces. */
export interface EnforcementRecord {
  readonly workspaceId: string;
  readonly apis: readonly ApiId[];
  readonly revision: number;
}

export interface DeriveKeyRequest {
  readonly apiKey: string;
  /** `YYYYMMDD` (UTC) of the request; only yesterday, today and tomorrow are derived. */
  readonly shortDate: string;
  readonly hashAlgo: 'SHA256' | 'SHA512';
}

/**
 * A signing key good for one api key, one day and the deployment's credential scope: the
 * gateway verifies with it and never sees the secret. null when the key is not active.
 */
export interface DerivedKey {
  readonly workspaceId: string;
  /** base64 */
  readonly signingKey: string;
}

export const SignatureRpc = {
  getEnforcement: defineRpc<{ workspaceId: string }, EnforcementSet>('signature.enforcement.get'),
  /** Replaces the whole set in one update, if it is still at `expectedRevision`. */
  setEnforcement: defineRpc<SetEnforcementRequest, SetEnforcementResult>(
    'signature.enforcement.set',
  ),
  deriveKey: defineRpc<DeriveKeyRequest, DerivedKey | null>('signature.signing-key.derive'),
} as const;

export const SignatureErrorCodes = {
  unknownApi: 130404,
  dateOutOfRange: 130400,
} as const;
