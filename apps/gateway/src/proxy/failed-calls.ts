import { randomUUID } from 'node:crypto';
import { AuditEvents, type FailedCallEvent } from '@loyalty-edge/audit-contracts';
import type { EventPublisher } from '@loyalty-edge/nats';
import { redactBody, redactHeaders, redactUrl } from '@loyalty-edge/redaction';
import type { Exchange } from './exchange.js';

/**
 * Publishes every failed call (status >= 400), redacted by the shared function before it is
 * serialised. Never blocks the response: the publisher buffers and counts drops.
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
        url: redactUrl(req.url ?? '/'),
        headers: redactHeaders(req.headers),
        body: redactBody(req.headers['content-type'], exchange.requestBody.text()),
      },
      response: {
        status,
        headers: redactHeaders(headers),
        body: redactBody(headers['content-type'], exchange.responseBody?.text() ?? ''),
      },
    };
    this.publisher.publish(AuditEvents.failedCall, event, event.id);
  }
}
