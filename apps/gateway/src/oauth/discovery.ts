import { ErrorCodes } from '@loyalty-edge/contracts';
import { GatewayErrorCodes } from '@loyalty-edge/gateway-contracts';
import type { ServedDocument, TokenKeys } from '../policies/token-keys.js';
import type { Exchange } from '../proxy/exchange.js';
import type { Replies } from '../proxy/replies.js';
import { refusal } from '../proxy/refusal.js';

const JWKS_PATH = '/.well-known/jwks.json';
const METADATA_PATH = '/.well-known/oauth-authorization-server';

/** Whether an `If-None-Match` header names this ETag (weak comparison, RFC 9110 §13.1.2). */
export function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const trimmed = tag.trim();
    return trimmed === '*' || trimmed.replace(/^W\//, '') === etag;
  });
}

/**
 * The public OAuth2 documents, served from the KV copy without credentials: the JWKS
 * (`/.well-known/jwks.json`) and the authorization server metadata (RFC 8414). 503 until the
 * token service has published them.
 */
export class Discovery {
  constructor(
    private readonly keys: TokenKeys,
    private readonly replies: Replies,
  ) {}

  serves(path: string): boolean {
    return path === JWKS_PATH || path === METADATA_PATH;
  }

  async answer(exchange: Exchange): Promise<void> {
    const { req, res } = exchange;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      await this.replies.refuse(
        exchange,
        refusal({
          status: 405,
          code: ErrorCodes.byStatus(405),
          message: 'Use GET or HEAD',
          decision: 'method_not_allowed',
          reason: 'method_not_allowed',
          headers: { allow: 'GET, HEAD' },
        }),
      );
      return;
    }
    const jwks = exchange.path === JWKS_PATH;
    const document: ServedDocument | undefined = jwks ? this.keys.jwks : this.keys.discovery;
    if (document === undefined) {
      await this.replies.refuse(
        exchange,
        refusal({
          status: 503,
          code: GatewayErrorCodes.unavailable,
          message: jwks ? 'The signing keys are not available yet' : 'The issuer is not known yet',
          decision: 'token_service_unavailable',
          reason: jwks ? 'jwks_unavailable' : 'issuer_unavailable',
          headers: { 'retry-after': '5' },
        }),
      );
      return;
    }
    const headers = {
      'cache-control': jwks ? 'public, max-age=300' : 'public, max-age=3600',
      etag: document.etag,
      'x-request-id': exchange.requestId,
    };
    if (matchesEtag(req.headers['if-none-match'], document.etag)) {
      res.writeHead(304, headers).end();
      return;
    }
    res
      .writeHead(200, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(document.body),
        ...headers,
      })
      .end(document.body);
  }
}
