import { Injectable } from '@nestjs/common';
import { AppError } from '@loyalty-edge/errors';
import {
  TokenErrorCodes,
  TokenRpc,
  type AuthClientOptions,
  type AuthClientView,
  type CreatedAuthClient,
} from '@loyalty-edge/token-contracts';
import { RpcClient } from '@loyalty-edge/nats';
import type { Caller } from '../access/principal.js';
import { actorOf, ChangeLog, sourceOf } from '../change-log/change-log.js';
import { ModuleState } from '../policies/module-state.js';

export interface NewAuthClient {
  readonly name: string;
  readonly purpose: string;
  readonly expiresAt: string;
  readonly scopes: readonly string[];
  readonly audience: string;
}

export interface AuthClientList {
  readonly moduleEnabled: boolean;
  readonly clients: readonly AuthClientView[];
}

function notFound(): AppError {
  return new AppError('not_found', TokenErrorCodes.clientNotFound, 'Auth client not found');
}

/** What the change log keeps of a client: never the secret. */
function logged(client: AuthClientView): Record<string, unknown> {
  return {
    clientId: client.clientId,
    name: client.name,
    scopes: client.scopes,
    audience: client.audience,
    expiresAt: client.expiresAt,
    status: client.status,
  };
}

/**
 * The Authentication Manager: a workspace's OAuth2 client-credentials clients, kept by the token
 * service. New clients need the Async Events module; revoking is always possible.
 */
@Injectable()
export class AuthClientsService {
  constructor(
    private readonly rpc: RpcClient,
    private readonly modules: ModuleState,
    private readonly changes: ChangeLog,
  ) {}

  options(): Promise<AuthClientOptions> {
    return this.rpc.request(TokenRpc.options, {});
  }

  async list(workspaceId: string): Promise<AuthClientList> {
    const [clients, moduleEnabled] = await Promise.all([
      this.rpc.request(TokenRpc.listClients, { workspaceId }),
      this.modules.enabled(workspaceId, 'asyncEvents'),
    ]);
    return { moduleEnabled, clients };
  }

  async get(workspaceId: string, clientId: string): Promise<AuthClientView> {
    const client = await this.rpc.request(TokenRpc.getClient, { workspaceId, clientId });
    if (client === null) throw notFound();
    return client;
  }

  /** A new client; its secret is in this answer only and never logged. */
  async create(
    caller: Caller,
    workspaceId: string,
    input: NewAuthClient,
  ): Promise<CreatedAuthClient> {
    await this.modules.require(workspaceId, 'asyncEvents');
    const created = await this.rpc.request(TokenRpc.createClient, {
      workspaceId,
      name: input.name,
      purpose: input.purpose,
      expiresAt: new Date(input.expiresAt).toISOString(),
      scopes: input.scopes,
      audience: input.audience,
      actor: actorOf(caller),
      source: sourceOf(caller),
      requestId: caller.requestId,
    });
    const { clientSecret: _secret, ...client } = created;
    this.changes.record(caller, {
      workspaceId,
      action: 'auth-client.created',
      target: client.clientId,
      after: logged(client),
    });
    return created;
  }

  /**
   * Revokes a client at once, for good; revoking a revoked client changes nothing and logs
   * nothing. Two revokes racing each other may both be logged: each saw the client active.
   */
  async revoke(caller: Caller, workspaceId: string, clientId: string): Promise<AuthClientView> {
    const before = await this.get(workspaceId, clientId);
    const after = await this.rpc.request(TokenRpc.revokeClient, {
      workspaceId,
      clientId,
      actor: actorOf(caller),
      source: sourceOf(caller),
      requestId: caller.requestId,
    });
    if (after.revokedAt !== before.revokedAt) {
      this.changes.record(caller, {
        workspaceId,
        action: 'auth-client.revoked',
        target: clientId,
        before: { status: before.status, revokedAt: before.revokedAt },
        after: { ...logged(after), revokedAt: after.revokedAt },
      });
    }
    return after;
  }
}
