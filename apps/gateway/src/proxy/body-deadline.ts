import { ErrorCodes } from '@loyalty-edge/contracts';
import type { Exchange } from './exchange.js';
import type { FailedCallRecorder } from './failed-calls.js';
import { refusal, type Refusal } from './refusal.js';
import type { Replies } from './replies.js';

/**
 * 408 for a body that did not arrive in time. The decision is the body-limit one (`too_large`:
 * the body is not read any further and the connection closes); the reason says why.
 */
export const BODY_TIMEOUT: Refusal = refusal({
  status: 408,
  code: ErrorCodes.byStatus(408),
  message: 'The request body did not arrive in time',
  decision: 'too_large',
  reason: 'body_timeout',
  headers: { connection: 'close' },
});

/**
 * Cuts off a request body still arriving `timeoutMs` after its headers: a drip-fed body would
 * otherwise hold a connection, and an upstream request, for as long as the caller likes. The
 * caller gets 408 in the envelope, or, when an answer has already begun (an upstream that
 * answered early), the connection is closed; either way the upstream request is aborted and the
 * call is recorded as failed. One timer per request with a body, cleared when the body ends;
 * requests without one cost two header reads.
 */
export class BodyDeadline {
  constructor(
    private readonly timeoutMs: number,
    private readonly replies: Replies,
    private readonly failedCalls: FailedCallRecorder,
  ) {}

  watch(exchange: Exchange): void {
    if (exchange.bodyless) return;
    const { req, res } = exchange;
    const timer = setTimeout(() => {
      if (!req.complete && !req.destroyed) this.expire(exchange);
    }, this.timeoutMs);
    const clear = (): void => clearTimeout(timer);
    req.once('end', clear);
    // a body refused unread never ends; once it has all arrived, nothing is left to wait for
    res.once('close', () => {
      if (req.complete) clear();
    });
  }

  private expire(exchange: Exchange): void {
    exchange.upstream?.abort();
    if (!exchange.res.headersSent) {
      void this.replies.refuse(exchange, BODY_TIMEOUT);
      return;
    }
    exchange.decision = BODY_TIMEOUT.decision;
    exchange.reason = BODY_TIMEOUT.reason;
    this.failedCalls.record(exchange, BODY_TIMEOUT.status, {});
    exchange.req.socket.destroy();
  }
}
