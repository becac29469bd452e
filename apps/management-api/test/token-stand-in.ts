import { randomBytes } from 'node:crypto';
import { ErrorCodes } from '@loyalty-edge/contracts';
import { AppError, type FieldProblem } from '@loyalty-edge/errors';
import {
  AUTH_CLIENT_ID_PREFIX,
  AUTH_CLIENT_SECRET_PREFIX,
  TokenErrorCodes,
  TokenRpc,
  type AuthClientOptions,
  type AuthClientView,
  type CreateAuthClientRequest,
  type CreatedAuthClient,
  type RevokeAuthClientRequest,
} from '@loyalty-edge/token-contracts';

/** The environment the stand-in pretends to run in. */
export const TOKEN_OPTIONS: AuthClientOptions = {
  issuer: 'https://gateway.example.test',
  tokenValiditySeconds: 900,
  scopes: ['loyalty.async_events', 'loyalty.read'],
  audiences: ['https://api.example.test'],
  maxExpiryDays: 366,
};

export const newClientId = (): string =>
  `${AUTH_CLIENT_ID_PREFIX}${randomBytes(18).toString('base64url')}`;

/** A client as the token service would show it. */
export function sampleAuthClient(
  workspaceId: string,
  clientId: string,
  over: Partial<AuthClientView> = {},
): AuthClientView {
  return {
    clientId,
    workspaceId,
    name: 'Sample client',
    purpose: 'Samples',
    scopes: ['loyalty.async_events'],
    audience: TOKEN_OPTIONS.audiences[0] ?? '',
    issuer: TOKEN_OPTIONS.issuer,
    tokenValiditySeconds: TOKEN_OPTIONS.tokenValiditySeconds,
    status: 'active',
    expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    createdAt: new Date().toISOString(),
    createdBy: 'someone',
    createdVia: 'ui',
    revokedAt: null,
    revokedBy: null,
    ...over,
  };
}

type Answer = (request: Record<string, unknown>) => unknown;

/**
 * Answers the TokenRpc subjects of the Authentication Manager in place of the token service, on
 * real NATS (through the harness's `respond`): clients in memory, checked against TOKEN_OPTIONS
 * the way the contract says, refusals as AppErrors with every bad field. It remembers what it
 * was asked.
 */
export class TokenStandIn {
  readonly asked: { subject: string; request: Record<string, unknown> }[] = [];
  private readonly clients = new Map<string, AuthClientView>();

  answers(): Record<string, Answer> {
    const asked =
      (subject: string, answer: Answer): Answer =>
      (request) => {
        this.asked.push({ subject, request });
        return answer(request);
      };
    return {
      [TokenRpc.options.subject]: asked(TokenRpc.options.subject, () => TOKEN_OPTIONS),
      [TokenRpc.createClient.subject]: asked(TokenRpc.createClient.subject, (request) =>
        this.create(request as unknown as CreateAuthClientRequest),
      ),
      [TokenRpc.listClients.subject]: asked(TokenRpc.listClients.subject, (request) =>
        [...this.clients.values()]
          .filter((client) => client.workspaceId === request.workspaceId)
          .reverse(),
      ),
      [TokenRpc.getClient.subject]: asked(TokenRpc.getClient.subject, (request) =>
        this.find(String(request.workspaceId), String(request.clientId)),
      ),
      [TokenRpc.revokeClient.subject]: asked(TokenRpc.revokeClient.subject, (request) =>
        this.revoke(request as unknown as RevokeAuthClientRequest),
      ),
    };
  }

  /** Requests of one subject, oldest first. */
  requests(subject: string): Record<string, unknown>[] {
    return this.asked.filter((a) => a.subject === subject).map((a) => a.request);
  }

  private find(workspaceId: string, clientId: string): AuthClientView | null {
    const client = this.clients.get(clientId);
    return client?.workspaceId === workspaceId ? client : null;
  }

  private create(request: CreateAuthClientRequest): CreatedAuthClient {
    const problems: FieldProblem[] = [];
    for (const scope of request.scopes) {
      if (!TOKEN_OPTIONS.scopes.includes(scope)) {
        problems.push({ field: 'scopes', message: `${scope} is not a scope of this environment` });
      }
    }
    if (!TOKEN_OPTIONS.audiences.includes(request.audience)) {
      problems.push({ field: 'audience', message: 'is not an audience of this environment' });
    }
    const expires = Date.parse(request.expiresAt);
    if (
      !(expires > Date.now()) ||
      expires > Date.now() + TOKEN_OPTIONS.maxExpiryDays * 86_400_000
    ) {
      problems.push({
        field: 'expiresAt',
        message: `must be in the future, at most ${TOKEN_OPTIONS.maxExpiryDays} days away`,
      });
    }
    if (problems.length > 0) {
      throw new AppError('invalid', ErrorCodes.validation, 'Validation failed', {
        fields: problems,
      });
    }
    const client = sampleAuthClient(request.workspaceId, newClientId(), {
      name: request.name,
      purpose: request.purpose,
      scopes: request.scopes,
      audience: request.audience,
      expiresAt: request.expiresAt,
      createdBy: request.actor.email ?? request.actor.id,
      createdVia: request.source,
    });
    this.clients.set(client.clientId, client);
    return {
      ...client,
      clientSecret: `${AUTH_CLIENT_SECRET_PREFIX}${randomBytes(32).toString('base64url')}`,
    };
  }

  private revoke(request: RevokeAuthClientRequest): AuthClientView {
    const client = this.find(request.workspaceId, request.clientId);
    if (client === null) {
      throw new AppError('not_found', TokenErrorCodes.clientNotFound, 'Auth client not found');
    }
    if (client.revokedAt !== null) return client;
    const revoked: AuthClientView = {
      ...client,
      status: 'revoked',
      revokedAt: new Date().toISOString(),
      revokedBy: request.actor.email ?? request.actor.id,
    };
    this.clients.set(client.clientId, revoked);
    return revoked;
  }
}
