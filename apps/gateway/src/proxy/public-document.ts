import { createHash } from 'node:crypto';
import type { OutgoingHttpHeaders } from 'node:http';
import { ErrorCodes } from '@loyalty-edge/contracts';
import type { Exchange } from './exchange.js';
import { refusal, type Refusal } from './refusal.js';
import type { Replies } from './replies.js';

/** A JSON document the gateway serves itself, serialised once, with its strong ETag. */
export interface PublicDocument {
  readonly body: string;
  readonly etag: string;
}

/** `value` as JSON, with an ETag of its SHA-256 (27 base64url characters, quoted). */
export function publicDocument(value: unknown): PublicDocument {
  const body = JSON.stringify(value);
  const hash = createHash('sha256').update(body).digest('base64url').slice(0, 27);
  return { body, etag: `"${hash}"` };
}

/** Whether an `If-None-Match` header names this ETag (weak comparison, RFC 9110 §13.1.2). */
export function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const trimmed = tag.trim();
    return trimmed === '*' || trimmed.replace(/^W\//, '') === etag;
  });
}

const METHOD_NOT_ALLOWED = refusal({
  status: 405,
  code: ErrorCodes.byStatus(405),
  message: 'Use GET or HEAD',
  decision: 'method_not_allowed',
  reason: 'method_not_allowed',
  headers: { allow: 'GET, HEAD' },
});

/**
 * Answers a read of a public document, without credentials: 405 for a method other than GET or
 * HEAD; the refusal given in place of the document while there is none to serve; 304 when
 * `If-None-Match` names its ETag; else the document (no body for HEAD). `headers` (caching,
 * CORS) go on the 200 and the 304.
 */
export async function answerDocument(
  exchange: Exchange,
  replies: Replies,
  document: PublicDocument | Refusal,
  headers: OutgoingHttpHeaders,
): Promise<void> {
  const { req, res } = exchange;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    await replies.refuse(exchange, METHOD_NOT_ALLOWED);
    return;
  }
  if ('ok' in document) {
    // a refusal (`ok: false`) stands in for a document not published yet
    await replies.refuse(exchange, document);
    return;
  }
  const validated = { ...headers, etag: document.etag, 'x-request-id': exchange.requestId };
  if (matchesEtag(req.headers['if-none-match'], document.etag)) {
    res.writeHead(304, validated).end();
    return;
  }
  res
    .writeHead(200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(document.body),
      ...validated,
    })
    .end(req.method === 'HEAD' ? undefined : document.body);
}
