import { createHash } from 'node:crypto';
import { ErrorCodes } from '@loyalty-edge/contracts';
import { GATEWAY_OPENAPI, GATEWAY_OPENAPI_PATH } from '@loyalty-edge/loyalty-contracts';
import { matchesEtag } from '../oauth/discovery.js';
import type { Exchange } from '../proxy/exchange.js';
import type { Replies } from '../proxy/replies.js';
import { refusal } from '../proxy/refusal.js';

/**
 * The integrators' API reference (`GET /openapi.json`): the OpenAPI 3.1 document of the
 * Events, Customer and Async Events APIs and the token endpoint, from the one source in the
 * loyalty contracts. Public, no credentials, no failed-call record for a read; serialised once.
 */
export class ApiReference {
  private readonly body = JSON.stringify(GATEWAY_OPENAPI);
  private readonly etag = `"${createHash('sha256').update(this.body).digest('base64url').slice(0, 27)}"`;

  constructor(private readonly replies: Replies) {}

  serves(path: string): boolean {
    return path === GATEWAY_OPENAPI_PATH;
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
    const headers = {
      'cache-control': 'public, max-age=300',
      etag: this.etag,
      // a public document: API tools on other origins may read it
      'access-control-allow-origin': '*',
      'x-request-id': exchange.requestId,
    };
    if (matchesEtag(req.headers['if-none-match'], this.etag)) {
      res.writeHead(304, headers).end();
      return;
    }
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(this.body),
      ...headers,
    });
    res.end(req.method === 'HEAD' ? undefined : this.body);
  }
}
