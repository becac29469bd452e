import { verify, type KeyObject } from 'node:crypto';
import type { ApiId } from '@loyalty-edge/contracts';
import { TokenErrorCodes } from '@loyalty-edge/token-contracts';
import { IP_DENIED, type IpGuard } from '../edge/ip-guard.js';
import type { PolicyStore } from '../policies/policy-store.js';
import type { ClientIpCounter } from '../proxy/client-ip-counter.js';
import type { Exchange } from '../proxy/exchange.js';
import { refusal, type Refusal } from '../proxy/refusal.js';
import {
  bearerToken,
  parseToken,
  readClaims,
  timeProblem,
  type AccessClaims,
  type ParsedToken,
} from './access-token.js';
import type { JwksRefresher } from './jwks-refresher.js';
import { VerifiedTokens } from './verified-tokens.js';

const REALM = 'Bearer realm="loyalty-edge"';
const SIGNED = /^[A-Za-z0-9]+-HMAC-/;
const KEY_IN_QUERY = /(?:^|&)(?:api_key|X-Antavo-Signature)=/i;

function missing(message: string): Refusal {
  return refusal({
    status: 401,
    code: TokenErrorCodes.bearerMissing,
    message,
    decision: 'unauthenticated',
    reason: 'bearer_missing',
    headers: { 'www-authenticate': REALM },
  });
}

function invalid(reason: string): Refusal {
  return refusal({
    status: 401,
    code: TokenErrorCodes.bearerInvalid,
    message: 'Bearer token authentication failed',
    decision: 'bearer_invalid',
    reason,
    headers: { 'www-authenticate': `${REALM}, error="invalid_token"` },
  });
}

const MODULE_DISABLED: Refusal = refusal({
  status: 403,
  code: TokenErrorCodes.moduleDisabled,
  message: 'The Async Events module is not enabled for this workspace',
  decision: 'module_disabled',
  reason: 'module_disabled',
});

type Outcome = Refusal | undefined;

/**
 * Bearer access tokens on the APIs that take them (BEARER_SCOPES), checked from memory only:
 * the signature with the pushed JWKS (a verified token is remembered, so a repeated one costs no
 * ECDSA verification), then on every request the issuer, audience and times, the client's
 * record (revoked, expired, absent, or of another workspace: refused), the scope, the
 * workspace's module and its IP allow-list. An unknown `kid` may trigger one JWKS refresh.
 */
export class BearerCheck {
  constructor(
    private readonly store: Pick<PolicyStore, 'tokenKeys' | 'authClients' | 'workspaces'>,
    private readonly ipGuard: Pick<IpGuard, 'allows'>,
    private readonly ipCounter: Pick<ClientIpCounter, 'count'>,
    private readonly refresher: Pick<JwksRefresher, 'refresh'>,
    private readonly verified = new VerifiedTokens(),
  ) {
    store.tokenKeys.onKeysRemoved((kids) => this.verified.forgetKids(kids));
  }

  /** undefined when the request may pass; a Promise only while a JWKS refresh runs. */
  check(exchange: Exchange, api: ApiId, scope: string): Outcome | Promise<Outcome> {
    const authorization = exchange.req.headers.authorization;
    if (authorization === undefined || !/^bearer(?: |$)/i.test(authorization)) {
      const otherCredentials =
        (authorization !== undefined && SIGNED.test(authorization)) ||
        KEY_IN_QUERY.test(exchange.query);
      return missing(
        otherCredentials ? 'The Async Events API requires a Bearer token' : 'Bearer token required',
      );
    }
    const token = bearerToken(authorization);
    if (token === undefined) return invalid('bearer_malformed');
    const keys = this.store.tokenKeys;
    const cached = this.verified.get(token, Date.now() / 1000);
    if (cached !== undefined && keys.key(cached.kid) !== undefined) {
      return this.admit(exchange, api, scope, cached.claims);
    }
    const parsed = parseToken(token);
    if (!parsed.ok) return invalid(parsed.reason);
    const key = keys.key(parsed.kid);
    if (key !== undefined) return this.verify(exchange, api, scope, token, parsed, key);
    const refresh = this.refresher.refresh();
    if (refresh === undefined) return invalid('unknown_kid');
    return refresh.then(() => {
      const refreshed = keys.key(parsed.kid);
      return refreshed === undefined
        ? invalid('unknown_kid')
        : this.verify(exchange, api, scope, token, parsed, refreshed);
    });
  }

  private verify(
    exchange: Exchange,
    api: ApiId,
    scope: string,
    token: string,
    parsed: ParsedToken,
    key: KeyObject,
  ): Outcome {
    const good = verify(
      'sha256',
      parsed.signingInput,
      { key, dsaEncoding: 'ieee-p1363' },
      parsed.signature,
    );
    if (!good) return invalid('bad_signature');
    const claims = readClaims(parsed.payload);
    if (claims === undefined) return invalid('bearer_malformed');
    this.verified.add(token, { kid: parsed.kid, claims }, Date.now() / 1000);
    return this.admit(exchange, api, scope, claims);
  }

  /** Everything that may change between two uses of the same token. */
  private admit(exchange: Exchange, api: ApiId, scope: string, claims: AccessClaims): Outcome {
    const { store } = this;
    const issuer = store.tokenKeys.issuer;
    if (issuer?.issuer !== claims.iss) return invalid('wrong_issuer');
    if (!claims.aud.some((aud) => issuer.audiences.includes(aud))) {
      return invalid('wrong_audience');
    }
    const now = Date.now();
    const timing = timeProblem(claims, now / 1000);
    if (timing !== undefined) return invalid(timing);
    const client = store.authClients.get(claims.clientId);
    if (client === undefined) return invalid('unknown_client');
    exchange.workspaceId = client.workspaceId;
    if (client.status !== 'active') return invalid('client_revoked');
    if (!(Date.parse(client.expiresAt) > now)) return invalid('client_expired');
    if (client.workspaceId !== claims.workspaceId) return invalid('workspace_mismatch');
    if (!claims.scopes.includes(scope)) {
      return refusal({
        status: 403,
        code: TokenErrorCodes.insufficientScope,
        message: 'The token does not have the required scope',
        decision: 'insufficient_scope',
        reason: 'insufficient_scope',
        headers: {
          'www-authenticate': `${REALM}, error="insufficient_scope", scope="${scope}"`,
        },
      });
    }
    if (store.workspaces.get(client.workspaceId)?.modules.asyncEvents !== true) {
      return MODULE_DISABLED;
    }
    exchange.authMethod = 'bearer';
    exchange.clientId = claims.clientId;
    this.ipCounter.count(client.workspaceId, api, exchange.clientIpText);
    if (!this.ipGuard.allows(client.workspaceId, api, exchange.clientIp)) return IP_DENIED;
    return undefined;
  }
}
