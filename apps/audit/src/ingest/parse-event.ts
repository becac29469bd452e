import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { AuditEvents, type FailedCallEvent } from '@loyalty-edge/audit-contracts';
import { redactBody, redactUrl, redactValue } from '@loyalty-edge/redaction';
import type { AuditRecord, RecordType, Rejection } from './audit-record.js';
import {
  AuthClientEventDto,
  ChangeEventDto,
  ClientIpCountsEventDto,
  FailedCallEventDto,
  TokenEventDto,
} from './event-dtos.js';

const BY_SUBJECT: ReadonlyMap<string, { type: RecordType; dto: new () => object }> = new Map([
  [AuditEvents.change.subject, { type: 'change', dto: ChangeEventDto }],
  [AuditEvents.failedCall.subject, { type: 'failed_call', dto: FailedCallEventDto }],
  [AuditEvents.authClient.subject, { type: 'auth_client', dto: AuthClientEventDto }],
  [AuditEvents.token.subject, { type: 'token', dto: TokenEventDto }],
  [AuditEvents.clientIps.subject, { type: 'client_ips', dto: ClientIpCountsEventDto }],
]);

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Turns one stream message (subject without the deployment prefix) into a record to store, or
 * says why it can never be stored. The record is redacted again here: publishers redact, but
 * the audit store must not hold a secret even when one slips through.
 */
export function parseEvent(
  subject: string,
  data: Uint8Array,
): { record: AuditRecord } | { rejected: Rejection } {
  const target = BY_SUBJECT.get(subject);
  if (!target) return { rejected: 'unknown_subject' };
  let json: unknown;
  try {
    json = JSON.parse(decoder.decode(data));
  } catch {
    return { rejected: 'bad_json' };
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    return { rejected: 'invalid' };
  }
  const instance = plainToInstance(target.dto, json);
  const errors = validateSync(instance, { whitelist: true, forbidUnknownValues: true });
  if (errors.length > 0 || Number.isNaN(Date.parse((instance as { at: string }).at))) {
    return { rejected: 'invalid' };
  }
  // redactValue also turns the DTO instances back into plain objects
  const plain = redactValue(instance) as { at: string };
  const event = { ...plain, at: new Date(plain.at).toISOString() };
  return { record: redactRecord({ type: target.type, event } as AuditRecord) };
}

/** Redaction that needs more than key names: the URL's query string and the bodies. */
function redactRecord(record: AuditRecord): AuditRecord {
  if (record.type !== 'failed_call') return record;
  const { request, response } = record.event;
  const event: FailedCallEvent = {
    ...record.event,
    request: {
      ...request,
      url: redactUrl(request.url),
      body: redactBody(contentType(request.headers), request.body),
    },
    response: { ...response, body: redactBody(contentType(response.headers), response.body) },
  };
  return { type: 'failed_call', event };
}

function contentType(headers: Readonly<Record<string, string>>): string | undefined {
  return Object.entries(headers).find(([name]) => name.toLowerCase() === 'content-type')?.[1];
}
