import type { OutgoingHttpHeaders } from 'node:http';
import { BodyCapture } from './body-capture.js';
import type { Exchange } from './exchange.js';
import type { FailedCallRecorder } from './failed-calls.js';
import type { Refusal } from './refusal.js';

/**
 * The gateway's own answers: JSON written in one piece, after the request body is read so the
 * failed-call log has it; every answer of 400 or more is recorded as a failed call.
 */
export class Replies {
  constructor(
    private readonly failedCalls: FailedCallRecorder,
    private readonly captureBytes: number,
    readonly bodyLimit: number,
  ) {}

  /** Answers in the error envelope `{"error":{"type","code","message"}}` made with the refusal. */
  async refuse(exchange: Exchange, refusal: Refusal): Promise<void> {
    exchange.decision = refusal.decision;
    exchange.reason = refusal.reason;
    await this.send(exchange, refusal.status, refusal.body, {
      'cache-control': 'no-store',
      ...refusal.headers,
    });
  }

  /**
   * Writes a JSON answer. The body is read first (up to the limit), unless the refusal is
   * about its size; a body left unread cannot keep the connection alive.
   */
  async send(
    exchange: Exchange,
    status: number,
    body: string,
    extra: OutgoingHttpHeaders,
  ): Promise<void> {
    // one answer per request: a refusal racing another (a body timeout) is dropped
    if (answered(exchange)) return;
    const drained =
      exchange.req.complete ||
      (exchange.decision !== 'too_large' && (await this.readBody(exchange)));
    if (answered(exchange)) return;
    const headers: OutgoingHttpHeaders = {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      ...extra,
      'x-request-id': exchange.requestId,
      ...(drained ? {} : { connection: 'close' }),
    };
    if (status >= 400) {
      exchange.responseBody = new BodyCapture(this.captureBytes);
      exchange.responseBody.add(Buffer.from(body));
    }
    exchange.res.writeHead(status, headers).end(exchange.req.method === 'HEAD' ? undefined : body);
    if (status >= 400) this.failedCalls.record(exchange, status, headers);
  }

  /** Reads the whole body into `exchange.body` up to `limit` bytes; false when it is larger. */
  readBody(exchange: Exchange, limit = this.bodyLimit): Promise<boolean> {
    const { req } = exchange;
    return new Promise((resolve) => {
      if (req.complete) {
        resolve(true);
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      const onData = (chunk: Buffer): void => {
        size += chunk.length;
        if (size > limit) {
          req.off('data', onData);
          req.pause();
          resolve(false);
          return;
        }
        chunks.push(chunk);
        exchange.requestBody.add(chunk);
      };
      req.on('data', onData);
      req.once('end', () => {
        exchange.body = Buffer.concat(chunks, size);
        resolve(true);
      });
      req.once('error', () => resolve(false));
    });
  }
}

/** Whether an answer has begun (read through a call: it changes while `send` awaits). */
function answered(exchange: Exchange): boolean {
  return exchange.res.headersSent;
}
