/**
 * What the gateway tells the loyalty backends about a request it admitted. The gateway drops
 * these headers from what clients send and sets them itself.
 */
export const TRUSTED_HEADERS = {
  workspaceId: 'x-le-workspace-id',
  /** How the caller authenticated: api_key, signature or bearer. */
  authMethod: 'x-le-auth-method',
  /** For Bearer calls: the auth client's id. */
  clientId: 'x-le-client-id',
  requestId: 'x-request-id',
} as const;
