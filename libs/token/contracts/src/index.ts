import { defineRpc } from '@loyalty-edge/contracts';
import type {
  AuthClientOptions,
  AuthClientView,
  CreateAuthClientRequest,
  CreatedAuthClient,
  RevokeAuthClientRequest,
} from './auth-clients.js';
import type { Jwks } from './jwks.js';
import type { IssuedToken, IssueRequest } from './oauth.js';

export * from './jwks.js';
export * from './auth-clients.js';
export * from './oauth.js';

export const TokenRpc = {
  jwks: defineRpc<Record<string, never>, Jwks>('token.jwks.get'),
  /** The environment's issuer, validity, scopes, audiences and maximum expiry. */
  options: defineRpc<Record<string, never>, AuthClientOptions>('token.options.get'),
  /** A new client; its secret is in this answer only. Needs the Async Events module (checked by the caller). */
  createClient: defineRpc<CreateAuthClientRequest, CreatedAuthClient>('token.auth-client.create'),
  /** Every client of a workspace, newest first. */
  listClients: defineRpc<{ workspaceId: string }, readonly AuthClientView[]>(
    'token.auth-client.list',
  ),
  /** One client, or null when the workspace has none with that id. */
  getClient: defineRpc<{ workspaceId: string; clientId: string }, AuthClientView | null>(
    'token.auth-client.get',
  ),
  /** Irreversible and idempotent; not found when the workspace has no such client. */
  revokeClient: defineRpc<RevokeAuthClientRequest, AuthClientView>('token.auth-client.revoke'),
  /**
   * Authenticates a client by its secret and signs an access token (the gateway's
   * /v1/auth/token). Errors carry the OAuth2 codes of OAUTH_ERRORS.
   */
  issue: defineRpc<IssueRequest, IssuedToken>('token.access-token.issue'),
} as const;
