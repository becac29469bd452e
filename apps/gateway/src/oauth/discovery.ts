import { GatewayErrorCodes } from '@loyalty-edge/gateway-contracts';
import type { TokenKeys } from '../policies/token-keys.js';
import type { Exchange } from '../proxy/exchange.js';
import { answerDocument } from '../proxy/public-document.js';
import type { Replies } from '../proxy/replies.js';
import { refusal, type Refusal } from '../proxy/refusal.js';

const JWKS_PATH = '/.well-known/jwks.json';
const METADATA_PATH = '/.well-known/oauth-authorization-server';

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
    const jwks = exchange.path === JWKS_PATH;
    const document = jwks ? this.keys.jwks : this.keys.discovery;
    await answerDocument(exchange, this.replies, document ?? unpublished(jwks), {
      'cache-control': jwks ? 'public, max-age=300' : 'public, max-age=3600',
    });
  }
}

/** Why there is no JWKS or metadata to serve: the token service has not published it yet. */
function unpublished(jwks: boolean): Refusal {
  return refusal({
    status: 503,
    code: GatewayErrorCodes.unavailable,
    message: jwks ? 'The signing keys are not available yet' : 'The issuer is not known yet',
    decision: 'token_service_unavailable',
    reason: jwks ? 'jwks_unavailable' : 'issuer_unavailable',
    headers: { 'retry-after': '5' },
  });
}
