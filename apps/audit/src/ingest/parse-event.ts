import {
  AuditEvents,
  TOKEN_EVENT_BATCH_MAX_EVENTS,
  type FailedCallEvent,
} from '@loyalty-edge/audit-contracts';
import { redactBody, redactUrl, redactValue } from '@loyalty-edge/redaction';
import type { AuditRecord, RecordType, Rejection } from './audit-record.js';
import { fitFailedCall, mayHoldUnstorable, replaceUnstorable, type CutField } from './fit-event.js';
import { INVALID, type Check } from './check.js';
import {
  checkAuthClient,
  checkChange,
  checkClientIps,
  checkFailedCall,
  checkToken,
} from './event-checks.js';

interface Target {
  readonly type: RecordType;
  readonly check: Check<{ readonly at: string }>;
}

const BY_SUBJECT: ReadonlyMap<string, Target> = new Map<string, Target>([
  [AuditEvents.change.subject, { type: 'change', check: checkChange }],
  [AuditEvents.failedCall.subject, { type: 'failed_call', check: checkFailedCall }],
  [AuditEvents.authClient.subject, { type: 'auth_client', check: checkAuthClient }],
  [AuditEvents.token.subject, { type: 'token', check: checkToken }],
  [AuditEvents.clientIps.subject, { type: 'client_ips', check: checkClientIps }],
]);

const decoder = new TextDecoder('utf-8', { fatal: true });

const TOKEN: Target = { type: 'token', check: checkToken };

/** What was changed to store an event rather than refuse it (counted in metrics). */
export interface IngestNotes {
  /** A failed-call field cut to fit its limit. */
  cut(field: CutField): void;
  /** Strings of an event whose NUL characters or unpaired surrogates were replaced. */
  sanitised(type: RecordType, strings: number): void;
}

const UNNOTED: IngestNotes = { cut: () => undefined, sanitised: () => undefined };

/** What one stream message holds: the records to store, or why it can never be stored. */
export type ParsedMessage =
  | { readonly rejected: Rejection }
  /** `refused`: entries of a batch that can never be stored (the others are stored). */
  | { readonly records: readonly AuditRecord[]; readonly refused: number };

/**
 * Turns one stream message into the records to store: one event, or the entries of a token-log
 * batch, each checked on its own (an invalid entry is refused, its neighbours are kept).
 */
export function parseMessage(
  subject: string,
  data: Uint8Array,
  notes: IngestNotes = UNNOTED,
): ParsedMessage {
  if (subject !== AuditEvents.tokenBatch.subject) {
    const parsed = parseEvent(subject, data, notes);
    return 'rejected' in parsed ? parsed : { records: [parsed.record], refused: 0 };
  }
  const decoded = decode(data);
  if (decoded === undefined) return { rejected: 'bad_json' };
  const { json, suspect } = decoded;
  if (json === null) return { rejected: 'invalid' };
  const { id, events } = json as { id?: unknown; events?: unknown };
  if (
    typeof id !== 'string' ||
    id.length === 0 ||
    id.length > 100 ||
    !Array.isArray(events) ||
    events.length > TOKEN_EVENT_BATCH_MAX_EVENTS
  ) {
    return { rejected: 'invalid' };
  }
  const records: AuditRecord[] = [];
  for (const entry of events as unknown[]) {
    const record = toRecord(TOKEN, entry, suspect, notes);
    if (record !== undefined) records.push(record);
  }
  const refused = events.length - records.length;
  return records.length === 0 && refused > 0 ? { rejected: 'invalid' } : { records, refused };
}

/**
 * Turns one stream message (subject without the deployment prefix) into a record to store, or
 * says why it can never be stored. The record is redacted again here: publishers redact, but
 * the audit store must not hold a secret even when one slips through.
 */
export function parseEvent(
  subject: string,
  data: Uint8Array,
  notes: IngestNotes = UNNOTED,
): { record: AuditRecord } | { rejected: Rejection } {
  const target = BY_SUBJECT.get(subject);
  if (!target) return { rejected: 'unknown_subject' };
  const decoded = decode(data);
  if (decoded === undefined) return { rejected: 'bad_json' };
  const record = toRecord(target, decoded.json, decoded.suspect, notes);
  return record === undefined ? { rejected: 'invalid' } : { record };
}

/**
 * The JSON object of a message (null for JSON that is no object), and whether its text may hold
 * something PostgreSQL cannot store; undefined for no JSON.
 */
function decode(data: Uint8Array): { json: object | null; suspect: boolean } | undefined {
  try {
    const text = decoder.decode(data);
    const json: unknown = JSON.parse(text);
    return {
      json: json !== null && typeof json === 'object' && !Array.isArray(json) ? json : null,
      suspect: mayHoldUnstorable(text),
    };
  } catch {
    return undefined;
  }
}

/**
 * A validated, redacted record of `json`, or undefined when it is no valid event. What only
 * stops it from being stored is mended first (noted): a failed call's over-long fields are cut,
 * NUL characters and unpaired surrogates are replaced.
 */
function toRecord(
  target: Target,
  json: unknown,
  suspect: boolean,
  notes: IngestNotes,
): AuditRecord | undefined {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return undefined;
  const replaced = suspect ? replaceUnstorable(json) : 0;
  const cuts = target.type === 'failed_call' ? fitFailedCall(json as Record<string, unknown>) : [];
  const checked = target.check(json);
  if (checked === INVALID) return undefined;
  if (replaced > 0) notes.sanitised(target.type, replaced);
  for (const field of cuts) notes.cut(field);
  const plain = redactValue(checked) as { at: string };
  const event = { ...plain, at: new Date(plain.at).toISOString() };
  return redactRecord({ type: target.type, event } as AuditRecord);
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
