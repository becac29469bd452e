import {
  FAILED_CALL_LIMITS,
  type RequestTruncation,
  type ResponseTruncation,
} from '@loyalty-edge/audit-contracts';

/**
 * What the audit service does to an event it would otherwise have to refuse: a failed call a
 * hostile caller made as large as it liked is cut to FAILED_CALL_LIMITS (and marked
 * `truncated`), and NUL characters and unpaired surrogates, which PostgreSQL cannot store, are
 * replaced in any event. Both run on the freshly parsed message, before validation, in place.
 */

/** The label of `audit_fields_truncated_total`. */
export type CutField =
  'url' | 'request_headers' | 'request_body' | 'response_headers' | 'response_body' | 'reason';

export const CUT_FIELDS: readonly CutField[] = [
  'url',
  'request_headers',
  'request_body',
  'response_headers',
  'response_body',
  'reason',
];

const CUT_MARK = '…[truncated]';
const REASON_MAX = 100;
const REQUEST_ORDER: readonly RequestTruncation[] = ['url', 'headers', 'body'];
const RESPONSE_ORDER: readonly ResponseTruncation[] = ['headers', 'body'];

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** `text` cut to `max` characters ending in the cut mark, never inside a surrogate pair. */
function cutText(text: string, max: number): string {
  let end = max - CUT_MARK.length;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}${CUT_MARK}`;
}

/** Cuts a string property over `max`; true when it did. */
function cutProperty(holder: Json, key: string, max: number): boolean {
  const value = holder[key];
  if (typeof value !== 'string' || value.length <= max) return false;
  holder[key] = cutText(value, max);
  return true;
}

/** Fits the headers of a request or response; true when anything was cut or left out. */
function fitHeaders(part: Json): boolean {
  const headers = part.headers;
  if (!isObject(headers)) return false;
  const entries = Object.entries(headers);
  const limits = FAILED_CALL_LIMITS;
  const overLong = ([name, value]: [string, unknown]): boolean =>
    name.length > limits.headerName ||
    (typeof value === 'string' && value.length > limits.headerValue);
  if (entries.length <= limits.headers && !entries.some(overLong)) return false;
  // no prototype: a header named `__proto__` stays a header
  const fitted = Object.create(null) as Json;
  let kept = 0;
  for (const [name, value] of entries) {
    if (kept === limits.headers) break;
    const key = name.length > limits.headerName ? cutText(name, limits.headerName) : name;
    if (Object.hasOwn(fitted, key)) continue;
    fitted[key] =
      typeof value === 'string' && value.length > limits.headerValue
        ? cutText(value, limits.headerValue)
        : value;
    kept += 1;
  }
  part.headers = fitted;
  return true;
}

/** Adds what was cut to a part's `truncated` list (kept in a fixed order, once each). */
function mark<T extends string>(part: Json, cut: ReadonlySet<T>, order: readonly T[]): void {
  if (cut.size === 0) return;
  const before: unknown[] = Array.isArray(part.truncated) ? (part.truncated as unknown[]) : [];
  part.truncated = order.filter((item) => cut.has(item) || before.includes(item));
}

/** Cuts a failed call's over-long fields in place; returns the fields it cut. */
export function fitFailedCall(event: Json): CutField[] {
  const cuts: CutField[] = [];
  const limits = FAILED_CALL_LIMITS;
  if (cutProperty(event, 'reason', REASON_MAX)) cuts.push('reason');
  const { request, response } = event;
  if (isObject(request)) {
    const cut = new Set<RequestTruncation>();
    if (cutProperty(request, 'url', limits.url)) cut.add('url');
    if (fitHeaders(request)) cut.add('headers');
    if (cutProperty(request, 'body', limits.body)) cut.add('body');
    mark(request, cut, REQUEST_ORDER);
    for (const part of cut) cuts.push(part === 'url' ? 'url' : `request_${part}`);
  }
  if (isObject(response)) {
    const cut = new Set<ResponseTruncation>();
    if (fitHeaders(response)) cut.add('headers');
    if (cutProperty(response, 'body', limits.body)) cut.add('body');
    mark(response, cut, RESPONSE_ORDER);
    for (const part of cut) cuts.push(`response_${part}`);
  }
  return cuts;
}

/** A JSON text that may hold a NUL or a surrogate escape (the only way either gets in). */
const SUSPECT_TEXT = /\\u0000|\\u[dD][89a-fA-F]/;
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function mayHoldUnstorable(text: string): boolean {
  return SUSPECT_TEXT.test(text);
}

function clean(text: string): string | undefined {
  UNSTORABLE.lastIndex = 0;
  return UNSTORABLE.test(text) ? text.replace(UNSTORABLE, '\ufffd') : undefined;
}

/**
 * Replaces NUL characters and unpaired surrogates with U+FFFD in every string (keys included)
 * of a parsed JSON value, in place; returns how many strings it changed.
 */
export function replaceUnstorable(value: unknown): number {
  if (!value || typeof value !== 'object') return 0;
  let changed = 0;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      const item: unknown = value[i];
      if (typeof item === 'string') {
        const cleaned = clean(item);
        if (cleaned !== undefined) {
          value[i] = cleaned;
          changed += 1;
        }
      } else changed += replaceUnstorable(item);
    }
    return changed;
  }
  const object = value as Json;
  for (const key of Object.keys(object)) {
    const item = object[key];
    let next = item;
    if (typeof item === 'string') {
      const cleaned = clean(item);
      if (cleaned !== undefined) {
        next = cleaned;
        changed += 1;
      }
    } else changed += replaceUnstorable(item);
    const cleanedKey = clean(key);
    if (cleanedKey !== undefined) {
      Reflect.deleteProperty(object, key);
      object[cleanedKey] = next;
      changed += 1;
    } else if (next !== item) object[key] = next;
  }
  return changed;
}
