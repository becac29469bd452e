import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AuditLogName } from '@loyalty-edge/audit-contracts';
import { stableJson } from './canonical.js';

/** A workspace's chain heads at one moment: what an anchor signs. */
export interface AnchorContent {
  readonly workspace: string;
  readonly at: string;
  readonly heads: Readonly<Partial<Record<AuditLogName, { seq: number; hash: string }>>>;
}

/** HMAC-SHA256 (hex) of the anchor's canonical JSON under the audit service's anchor key. */
export function signAnchor(key: Buffer, anchor: AnchorContent): string {
  return createHmac('sha256', key).update(stableJson(anchor)).digest('hex');
}

/** Whether `mac` signs `anchor` under `key` (constant-time comparison). */
export function anchorValid(key: Buffer, anchor: AnchorContent, mac: string): boolean {
  const expected = Buffer.from(signAnchor(key, anchor), 'hex');
  const given = Buffer.from(mac, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
