import { AuditErrorCodes } from '@loyalty-edge/audit-contracts';
import { AppError } from '@loyalty-edge/errors';

/** The keyset position after the last item of a page: newest first, so (at, id) descending. */
export interface CursorKey {
  readonly at: string;
  readonly id: string;
}

/** An opaque cursor: base64url of `[at, id]`. Opaque to callers, not secret. */
export function encodeCursor(key: { readonly at: Date | string; readonly id: string }): string {
  const at = typeof key.at === 'string' ? key.at : key.at.toISOString();
  return Buffer.from(JSON.stringify([at, key.id]), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): CursorKey {
  const invalid = (): AppError =>
    new AppError('invalid', AuditErrorCodes.invalidCursor, 'Invalid cursor', {
      fields: [{ field: 'cursor', message: 'is not a cursor returned by this list' }],
    });
  if (cursor.length === 0 || cursor.length > 400 || !/^[A-Za-z0-9_-]+$/.test(cursor)) {
    throw invalid();
  }
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(decoded) || decoded.length !== 2) throw invalid();
  const [at, id] = decoded as unknown[];
  if (typeof at !== 'string' || typeof id !== 'string' || id.length === 0 || id.length > 100) {
    throw invalid();
  }
  const time = Date.parse(at);
  if (Number.isNaN(time) || new Date(time).toISOString() !== at) throw invalid();
  return { at, id };
}
