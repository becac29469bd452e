import { GATEWAY_OPENAPI, GATEWAY_OPENAPI_PATH } from '@loyalty-edge/loyalty-contracts';
import type { Exchange } from '../proxy/exchange.js';
import { answerDocument, publicDocument } from '../proxy/public-document.js';
import type { Replies } from '../proxy/replies.js';

/**
 * The integrators' API reference (`GET /openapi.json`): the OpenAPI 3.1 document of the
 * Events, Customer and Async Events APIs and the token endpoint, from the one source in the
 * loyalty contracts. Public, no credentials, no failed-call record for a read; serialised once.
 */
export class ApiReference {
  private readonly document = publicDocument(GATEWAY_OPENAPI);

  constructor(private readonly replies: Replies) {}

  serves(path: string): boolean {
    return path === GATEWAY_OPENAPI_PATH;
  }

  async answer(exchange: Exchange): Promise<void> {
    await answerDocument(exchange, this.replies, this.document, {
      'cache-control': 'public, max-age=300',
      // a public document: API tools on other origins may read it
      'access-control-allow-origin': '*',
    });
  }
}
