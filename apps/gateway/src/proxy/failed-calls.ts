import { randomUUID } from 'node:crypto';
import {
  AuditEvents,
  FAILED_CALL_LIMITS,
  type FailedCallEvent,
  type RequestTruncation,
  type ResponseTruncation,
} from '@loyalty-edge/audit-contracts';
import type { EventPublisher } from '@loyalty-edge/nats';
import { redactBody, redactHeaders, redactUrl } from '@loyalty-edge/redaction';
import type { BodyCapture } from './body-capture.js';
import { fitHeaders, fitText } from './capture-limits.js';
import type { Exchange } from './exchange.js';

/**
 * Publishes every failed call (status >= 400), redacted by the shared function before it is
 * serialised, then fitted to the audit limits (control characters escaped, over-long text cut
 * and marked in `truncated`), so the audit service can store every one. Never blocks the
 * response: the publisher buffers and counts drops.
 */
export class FailedCallRecorder {
  constructor(private readonly publisher: EventPublisher) {}

  record(
    exchange: Exchange,
    status: number,
    responseHeaders: Readonly<Record<string, string | string[] | number | undefined>>,
  ): void {
    const { req } = exchange;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(responseHeaders)) {
      if (value !== undefined)
        headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
    }
    const requestCut: RequestTruncation[] = [];
    const responseCut: ResponseTruncation[] = [];
    const url = fitText(redactUrl(req.url ?? '/'), FAILED_CALL_LIMITS.url);
    if (url.cut) requestCut.push('url');
    const requestHeaders = fitHeaders(redactHeaders(req.headers));
    if (requestHeaders.cut) requestCut.push('headers');
    const requestBody = fitBody(req.headers['content-type'], exchange.requestBody);
    if (requestBody.cut) requestCut.push('body');
    const shownHeaders = fitHeaders(redactHeaders(headers));
    if (shownHeaders.cut) responseCut.push('headers');
    const responseBody = fitBody(headers['content-type'], exchange.responseBody);
    if (responseBody.cut) responseCut.push('body');
    const event: FailedCallEvent = {
      id: randomUUID(),
      at: new Date().toISOString(),
      workspaceId: exchange.workspaceId ?? null,
      api: exchange.api ?? null,
      clientIp: exchange.clientIpText,
      requestId: exchange.requestId,
      reason: exchange.reason || exchange.decision,
      durationMs: Math.round(exchange.elapsedMs * 1000) / 1000,
      request: {
        method: req.method ?? 'GET',
        url: url.text,
        headers: requestHeaders.headers,
        body: requestBody.text,
        ...(requestCut.length > 0 ? { truncated: requestCut } : {}),
      },
      response: {
        status,
        headers: shownHeaders.headers,
        body: responseBody.text,
        ...(responseCut.length > 0 ? { truncated: responseCut } : {}),
      },
    };
    this.publisher.publish(AuditEvents.failedCall, event, event.id);
  }
}

/** A captured body, redacted by its type, then fitted; cut when the capture itself was. */
function fitBody(
  contentType: string | undefined,
  capture: BodyCapture | undefined,
): { text: string; cut: boolean } {
  if (capture === undefined) return { text: '', cut: false };
  const fitted = fitText(redactBody(contentType, capture.text()), FAILED_CALL_LIMITS.body);
  return { text: fitted.text, cut: fitted.cut || capture.truncated };
}
