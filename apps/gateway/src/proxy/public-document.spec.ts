import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { GatewayErrorCodes } from '@loyalty-edge/gateway-contracts';
import { Exchange } from './exchange.js';
import { answerDocument, matchesEtag, publicDocument } from './public-document.js';
import { refusal, type Refusal } from './refusal.js';
import type { Replies } from './replies.js';

interface Answer {
  status?: number;
  headers?: OutgoingHttpHeaders;
  body?: string;
  refused?: Refusal;
}

/** A request for the document, the answer it got, and a Replies that only notes refusals. */
function request(method: string, headers: Record<string, string> = {}) {
  const answer: Answer = {};
  const res = {
    writeHead(status: number, written: OutgoingHttpHeaders) {
      answer.status = status;
      answer.headers = written;
      return res;
    },
    end(body?: string) {
      answer.body = body;
    },
  };
  const req = { method, url: '/doc.json', headers };
  const exchange = new Exchange(
    req as unknown as IncomingMessage,
    res as unknown as ServerResponse,
    'r1',
    undefined,
    0,
  );
  const replies = {
    refuse: (_exchange: Exchange, given: Refusal) => {
      answer.refused = given;
      return Promise.resolve();
    },
  } as unknown as Replies;
  return { exchange, replies, answer };
}

const document = publicDocument({ hello: 'world' });
const CACHE = { 'cache-control': 'public, max-age=300' };
const UNAVAILABLE = refusal({
  status: 503,
  code: GatewayErrorCodes.unavailable,
  message: 'Not published yet',
  decision: 'token_service_unavailable',
  reason: 'not_published',
});

describe(publicDocument.name, () => {
  it('serialises once with a quoted ETag of the JSON', () => {
    expect(document.body).toBe('{"hello":"world"}');
    expect(document.etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(publicDocument({ hello: 'world' }).etag).toBe(document.etag);
    expect(publicDocument({ hello: 'there' }).etag).not.toBe(document.etag);
  });
});

describe(matchesEtag.name, () => {
  it('matches a listed, weak or wildcard tag', () => {
    expect(matchesEtag('"a"', '"a"')).toBe(true);
    expect(matchesEtag('"x", W/"a"', '"a"')).toBe(true);
    expect(matchesEtag('*', '"a"')).toBe(true);
    expect(matchesEtag('"b"', '"a"')).toBe(false);
    expect(matchesEtag(undefined, '"a"')).toBe(false);
  });
});

describe(answerDocument.name, () => {
  it('serves the document with its validator and the given headers', async () => {
    const { exchange, replies, answer } = request('GET');
    await answerDocument(exchange, replies, document, CACHE);
    expect(answer).toEqual({
      status: 200,
      headers: {
        'content-type': 'application/json',
        'content-length': 17,
        'cache-control': 'public, max-age=300',
        etag: document.etag,
        'x-request-id': 'r1',
      },
      body: document.body,
    });
  });

  it('leaves the body out for HEAD', async () => {
    const { exchange, replies, answer } = request('HEAD');
    await answerDocument(exchange, replies, document, CACHE);
    expect(answer.status).toBe(200);
    expect(answer.headers?.['content-length']).toBe(17);
    expect(answer.body).toBeUndefined();
  });

  it('answers 304 when If-None-Match names the ETag', async () => {
    const { exchange, replies, answer } = request('GET', { 'if-none-match': `W/${document.etag}` });
    await answerDocument(exchange, replies, document, CACHE);
    expect(answer.status).toBe(304);
    expect(answer.headers).toEqual({ ...CACHE, etag: document.etag, 'x-request-id': 'r1' });
    expect(answer.body).toBeUndefined();
  });

  it('refuses other methods with 405, before anything else', async () => {
    const { exchange, replies, answer } = request('POST');
    await answerDocument(exchange, replies, UNAVAILABLE, CACHE);
    expect(answer.refused).toMatchObject({ status: 405, headers: { allow: 'GET, HEAD' } });
    expect(answer.status).toBeUndefined();
  });

  it('answers with the refusal given in place of the document', async () => {
    const { exchange, replies, answer } = request('GET');
    await answerDocument(exchange, replies, UNAVAILABLE, CACHE);
    expect(answer.refused).toBe(UNAVAILABLE);
    expect(answer.status).toBeUndefined();
  });
});
