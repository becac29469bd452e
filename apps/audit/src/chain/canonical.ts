import { createHash } from 'node:crypto';
import type { AuditLogName } from '@loyalty-edge/audit-contracts';

/** The previous hash of a chain's first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * JSON with object keys sorted at every depth, otherwise as JSON.stringify writes it (undefined
 * members left out): the same value always gives the same text, whatever order PostgreSQL's
 * jsonb gives its keys back in.
 */
export function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    // undefined and functions (no JSON) never reach here as members; a bare one reads as null
    const none = value === undefined || typeof value === 'function' || typeof value === 'symbol';
    return none ? 'null' : JSON.stringify(value);
  }
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  // loops rather than entries/filter/map/join: this runs for every entry of every batch
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i += 1) {
      const item: unknown = value[i];
      out += `${i > 0 ? ',' : ''}${item === undefined ? 'null' : stableJson(item)}`;
    }
    return `${out}]`;
  }
  const object = value as Record<string, unknown>;
  // the default sort orders by UTF-16 code units, as `<` does
  const keys = Object.keys(object).sort();
  let out = '';
  for (const key of keys) {
    const item = object[key];
    if (item === undefined || typeof item === 'function') continue;
    out += `${out === '' ? '' : ','}${JSON.stringify(key)}:${stableJson(item)}`;
  }
  return `{${out}}`;
}

/**
 * The canonical content of one entry: its log, chain key and every stored field by column name
 * (the event id and `at`, the time it occurred, as ISO 8601 to the millisecond, included).
 */
export function canonicalEntry(
  log: AuditLogName,
  chainKey: string,
  fields: Readonly<Record<string, unknown>>,
): string {
  return stableJson({ log, chain: chainKey, fields });
}

/** SHA-256 (hex) over the previous entry's hash and this entry's canonical content. */
export function chainHash(previous: string, canonical: string): string {
  return createHash('sha256').update(previous).update('\n').update(canonical).digest('hex');
}
