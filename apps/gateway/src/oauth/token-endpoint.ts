import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { TokenEvent } from '@loyalty-edge/audit-contracts';
import { ErrorCodes } from '@loyalty-edge/contracts';
import { AppError } from '@loyalty-edge/errors';
import { GatewayErrorCodes, type GatewayDecision } from '@loyalty-edge/gateway-contracts';
import type { RpcClient } from '@loyalty-edge/nats';
import {
  OAUTH_ERRORS,
  TOKEN_ENDPOINT_REALM,
  TokenRpc,
  oauthErrorOf,
  type IssuedToken,
  type OAuthErrorName,
  type TokenResponse,
} from '@loyalty-edge/token-contracts';
import { IP_DENIED, type IpGuard } from '../edge/ip-guard.js';
import type { PolicyStore } from '../policies/policy-store.js';
import type { ClientIpCounter } from '../proxy/client-ip-counter.js';
import type { Exchange } from '../proxy/exchange.js';
import type { GatewayMetrics } from '../proxy/gateway-metrics.js';
import type { Replies } from '../proxy/replies.js';
import { refusal, type Refusal } from '../proxy/refusal.js';
import type { TokenLog } from './token-log.js';
import { clientCredentials, parseForm } from './token-request.js';

/** The OAuth2 error names this endpoint answers with (a bounded metric label). */
type ErrorName = OAuthErrorName | 'access_denied' | 'temporarily_unavailable';

/** A refusal with the OAuth2 error name it is given under. */
interface Declined extends Refusal {
  readonly error: ErrorName;
}

interface Issued {
  readonly ok: true;
  readonly token: IssuedToken;
}

export interface TokenEndpointParts {
  readonly store: PolicyStore;
  readonly ipGuard: IpGuard;
  readonly ipCounter: ClientIpCounter;
  readonly rpc: Pick<RpcClient, 'request'>;
  readonly tokenLog: TokenLog;
  readonly replies: Replies;
  readonly metrics: GatewayMetrics;
}

export const TOKEN_PATH = '/v1/auth/token';
/** A token request is a few short parameters. */
const TOKEN_BODY_LIMIT = 16 * 1024;
const FORM = /^application\/x-www-form-urlencoded *(?:;|$)/i;
const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' } as const;

function oauthError(
  name: OAuthErrorName,
  message: string,
  reason: string,
  decision: GatewayDecision = 'token_refused',
): Declined {
  const { status, code } = OAUTH_ERRORS[name];
  return { ...refusal({ status, code, message, reason, decision }), error: name };
}

const invalidClient = (reason: string): Declined =>
  oauthError('invalid_client', 'Client authentication failed', reason);

const METHOD_NOT_ALLOWED: Declined = {
  ...refusal({
    status: 405,
    code: ErrorCodes.byStatus(405),
    message: 'The token endpoint accepts POST only',
    decision: 'method_not_allowed',
    reason: 'method_not_allowed',
    headers: { allow: 'POST' },
  }),
  error: 'invalid_request',
};

const ACCESS_DENIED: Declined = { ...IP_DENIED, error: 'access_denied' };

const UNAVAILABLE: Declined = {
  ...refusal({
    status: 503,
    code: GatewayErrorCodes.unavailable,
    message: 'The token service is unavailable',
    decision: 'token_service_unavailable',
    reason: 'token_service_unavailable',
  }),
  error: 'temporarily_unavailable',
};

/**
 * `POST /v1/auth/token` (RFC 6749 §4.4, client credentials), answered by the gateway itself:
 * the request is read and checked here against the in-memory policies (an unknown, revoked or
 * expired client is refused without a NATS round trip), then the token service checks the
 * secret and signs: its one request. Every answer is logged in the token log (never the secret
 * or the token); refusals also in the failed-call log, redacted.
 */
export class TokenEndpoint {
  private readonly logger = new Logger('TokenEndpoint');
  private readonly bodyLimit: number;
  private readonly tooLarge: Declined;

  constructor(private readonly parts: TokenEndpointParts) {
    this.bodyLimit = Math.min(TOKEN_BODY_LIMIT, parts.replies.bodyLimit);
    this.tooLarge = {
      ...refusal({
        status: 413,
        code: GatewayErrorCodes.payloadTooLarge,
        message: `Request body larger than ${this.bodyLimit} bytes`,
        decision: 'too_large',
        reason: 'body_too_large',
      }),
      error: 'invalid_request',
    };
  }

  async handle(exchange: Exchange): Promise<void> {
    const seen: { clientId: string | undefined } = { clientId: undefined };
    const outcome = await this.decide(exchange, seen).catch((error: unknown) => {
      this.logger.error({
        msg: 'token request failed',
        error: error instanceof Error ? error.name : 'unknown',
        requestId: exchange.requestId,
      });
      return UNAVAILABLE;
    });
    if (outcome.ok) await this.issued(exchange, outcome.token);
    else await this.refused(exchange, seen.clientId, outcome);
  }

  private async decide(
    exchange: Exchange,
    seen: { clientId: string | undefined },
  ): Promise<Issued | Declined> {
    const { req } = exchange;
    const { store, rpc } = this.parts;
    if (req.method !== 'POST') return METHOD_NOT_ALLOWED;
    if (!(await this.parts.replies.readBody(exchange, this.bodyLimit))) return this.tooLarge;
    if (!FORM.test(req.headers['content-type'] ?? '')) {
      return oauthError(
        'invalid_request',
        'The request body must be application/x-www-form-urlencoded',
        'invalid_content_type',
      );
    }
    const form = parseForm(exchange.body?.toString('utf8') ?? '');
    if (!form.ok) {
      return form.problem === 'repeated'
        ? oauthError('invalid_request', 'A request parameter is repeated', 'repeated_parameter')
        : oauthError('invalid_request', 'The request body is not a valid form', 'malformed_body');
    }
    const client = clientCredentials(req.headers.authorization, form.params);
    seen.clientId = client.clientId;
    if (!client.ok) return oauthError(client.error, client.message, client.reason);
    const grantType = form.params.get('grant_type');
    if (grantType === undefined) {
      return oauthError(
        'invalid_request',
        'The grant_type parameter is required',
        'missing_grant_type',
      );
    }
    if (grantType !== 'client_credentials') {
      return oauthError(
        'unsupported_grant_type',
        'Only the client_credentials grant type is supported',
        'unsupported_grant_type',
      );
    }
    const record = store.authClients.get(client.clientId);
    if (record === undefined) return invalidClient('unknown_client');
    exchange.workspaceId = record.workspaceId;
    if (record.status !== 'active') return invalidClient('client_revoked');
    if (!(Date.parse(record.expiresAt) > Date.now())) return invalidClient('client_expired');
    if (store.workspaces.get(record.workspaceId)?.modules.asyncEvents !== true) {
      return oauthError(
        'unauthorized_client',
        'The Async Events module is not enabled for this workspace',
        'module_disabled',
        'module_disabled',
      );
    }
    if (!this.parts.ipGuard.allows(record.workspaceId, 'auth-token', exchange.clientIp)) {
      return ACCESS_DENIED;
    }
    try {
      const token = await rpc.request(TokenRpc.issue, {
        clientId: client.clientId,
        clientSecret: client.clientSecret,
        scope: form.params.get('scope'),
        requestId: exchange.requestId,
      });
      return { ok: true, token };
    } catch (error) {
      const name = error instanceof AppError ? oauthErrorOf(error.code) : undefined;
      if (name !== undefined && error instanceof AppError) {
        return oauthError(name, error.message, `token_service_${name}`);
      }
      this.logger.warn({
        msg: 'token service unavailable',
        kind: error instanceof AppError ? error.kind : 'unknown',
        requestId: exchange.requestId,
      });
      return UNAVAILABLE;
    }
  }

  private async issued(exchange: Exchange, token: IssuedToken): Promise<void> {
    exchange.workspaceId = token.workspaceId;
    this.parts.ipCounter.count(token.workspaceId, 'auth-token', exchange.clientIpText);
    this.publish(exchange, {
      clientId: token.clientId,
      outcome: 'issued',
      scope: token.scope,
      audience: token.audience,
      jti: token.jti,
    });
    this.parts.metrics.tokenRequests.labels('issued', 'none').inc();
    const body: TokenResponse = {
      access_token: token.accessToken,
      token_type: 'Bearer',
      expires_in: token.expiresIn,
      scope: token.scope,
    };
    await this.parts.replies.send(exchange, 200, JSON.stringify(body), NO_STORE);
  }

  private async refused(
    exchange: Exchange,
    clientId: string | undefined,
    declined: Declined,
  ): Promise<void> {
    exchange.decision = declined.decision;
    exchange.reason = declined.reason;
    this.publish(exchange, {
      clientId,
      outcome: 'error',
      errorCode: declined.code,
      error: declined.error,
      errorMessage: declined.message,
    });
    this.parts.metrics.tokenRequests.labels('error', declined.error).inc();
    const body = JSON.stringify({
      status: 'error',
      error: declined.error,
      details: { type: declined.type, code: declined.code, message: declined.message },
    });
    await this.parts.replies.send(exchange, declined.status, body, {
      ...NO_STORE,
      ...(declined.status === 401
        ? { 'www-authenticate': `Basic realm="${TOKEN_ENDPOINT_REALM}"` }
        : {}),
      ...declined.headers,
    });
  }

  /** The token log entry of this answer: never the secret, never the token. */
  private publish(
    exchange: Exchange,
    outcome: Pick<TokenEvent, 'outcome' | 'errorCode' | 'error' | 'errorMessage'> &
      Pick<TokenEvent, 'scope' | 'audience' | 'jti'> & { clientId: string | undefined },
  ): void {
    const userAgent = exchange.req.headers['user-agent'];
    const event: TokenEvent = {
      id: randomUUID(),
      at: new Date().toISOString(),
      workspaceId: exchange.workspaceId ?? null,
      ...outcome,
      clientId: outcome.clientId === undefined ? null : outcome.clientId.slice(0, 200),
      clientIp: exchange.clientIpText,
      userAgent: userAgent?.slice(0, 512),
      requestId: exchange.requestId,
    };
    this.parts.tokenLog.record(event);
  }
}
