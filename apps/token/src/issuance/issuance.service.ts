import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Counter } from 'prom-client';
import { ErrorCodes } from '@loyalty-edge/contracts';
import { AppError } from '@loyalty-edge/errors';
import { Metrics } from '@loyalty-edge/observability';
import {
  AUTH_CLIENT_ID,
  TokenErrorCodes,
  type AccessTokenClaims,
  type IssuedToken,
  type IssueRequest,
} from '@loyalty-edge/token-contracts';
import { ClientCache, type CachedClient } from '../auth-clients/client-cache.js';
import { SecretHasher } from '../auth-clients/secret-hasher.js';
import { KeyRing, type Signer } from '../signing-keys/key-ring.js';
import { signAccessToken } from './jwt.js';
import { grantedScopes } from './scope.js';

export const ISSUANCE_SETTINGS = Symbol('IssuanceSettings');

export interface IssuanceSettings {
  readonly issuer: string;
  readonly validitySeconds: number;
}

/** Hashed when the client is unknown, so an unknown id costs what a wrong secret costs. */
const NO_HASH = Buffer.alloc(32);
const MAX_SECRET_LENGTH = 200;

/**
 * The token hot path: authenticates a client by its secret and signs an ES256 access token.
 * In steady state it queries nothing: clients come from ClientCache, the key from KeyRing.
 */
@Injectable()
export class IssuanceService {
  private readonly logger = new Logger(IssuanceService.name);
  private readonly outcomes: Counter<'outcome'>;

  constructor(
    private readonly clients: ClientCache,
    private readonly hasher: SecretHasher,
    private readonly ring: KeyRing,
    @Inject(ISSUANCE_SETTINGS) private readonly settings: IssuanceSettings,
    metrics: Metrics,
  ) {
    this.outcomes = metrics.counter('access_tokens_total', 'Token requests by outcome', [
      'outcome',
    ]);
  }

  async issue(request: IssueRequest): Promise<IssuedToken> {
    const now = Date.now();
    const client = await this.authenticate(request, now);
    const granted = grantedScopes(request.scope, client.scopes);
    if (!granted.ok) {
      this.outcomes.inc({ outcome: granted.error });
      throw granted.error === 'invalid_scope'
        ? new AppError(
            'invalid',
            TokenErrorCodes.invalidScope,
            'The requested scope is not allowed for this client',
          )
        : new AppError(
            'invalid',
            TokenErrorCodes.invalidRequest,
            'The scope parameter is malformed',
          );
    }
    // the clock read again: the key choice must not predate a key reload made meanwhile
    const signedAt = Date.now();
    const signer = await this.signer(signedAt);
    const iat = Math.floor(signedAt / 1000);
    const claims: AccessTokenClaims = {
      iss: this.settings.issuer,
      sub: client.clientId,
      aud: client.audience,
      client_id: client.clientId,
      scope: granted.scopes.join(' '),
      workspace_id: client.workspaceId,
      jti: randomUUID(),
      iat,
      nbf: iat,
      exp: iat + this.settings.validitySeconds,
    };
    const accessToken = signAccessToken(signer, claims);
    this.outcomes.inc({ outcome: 'issued' });
    return {
      accessToken,
      expiresIn: this.settings.validitySeconds,
      scope: claims.scope,
      jti: claims.jti,
      audience: claims.aud,
      workspaceId: claims.workspace_id,
      clientId: claims.client_id,
    };
  }

  /** The client, or one `invalid_client` error whatever the reason (logged at debug only). */
  private async authenticate(request: IssueRequest, now: number): Promise<CachedClient> {
    const wellFormed = AUTH_CLIENT_ID.test(request.clientId);
    const client = wellFormed ? await this.clients.get(request.clientId, now) : null;
    const secretFits = request.clientSecret.length <= MAX_SECRET_LENGTH;
    const matches =
      this.hasher.matches(secretFits ? request.clientSecret : '', client?.secretHash ?? NO_HASH) &&
      secretFits;
    const reason = !wellFormed
      ? 'malformed_client_id'
      : client === null
        ? 'unknown_client'
        : !matches
          ? 'wrong_secret'
          : client.revoked
            ? 'revoked'
            : client.expiresAt <= now
              ? 'expired'
              : undefined;
    if (reason === undefined && client !== null) return client;
    // never the secret, and an id only when it has the shape of one (not a pasted secret)
    this.logger.debug({
      msg: 'client authentication failed',
      reason,
      clientId: wellFormed ? request.clientId : undefined,
      requestId: request.requestId,
    });
    this.outcomes.inc({ outcome: 'invalid_client' });
    throw new AppError(
      'unauthenticated',
      TokenErrorCodes.invalidClient,
      'Client authentication failed',
    );
  }

  private async signer(now: number): Promise<Signer> {
    let signer = this.ring.signer(now);
    if (signer === undefined) {
      await this.ring.loaded;
      signer = this.ring.signer(now);
    }
    if (signer === undefined) {
      throw new AppError('unavailable', ErrorCodes.unavailable, 'No signing key is active');
    }
    return signer;
  }
}
