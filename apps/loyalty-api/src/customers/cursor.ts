import { ErrorCodes } from '@loyalty-edge/contracts';
import { AppError } from '@loyalty-edge/errors';

/**
 * Keyset cursors: the last id of a page, base64url-encoded so ids with any characters travel
 * safely in a query string. Opaque to clients.
 */
export function encodeCursor(lastId: string): string {
  return Buffer.from(`c:${lastId}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): string {
  const text = /^[A-Za-z0-9_-]+$/.test(cursor)
    ? Buffer.from(cursor, 'base64url').toString('utf8')
    : '';
  if (!text.startsWith('c:') || text.length < 3) {
    throw new AppError('invalid', ErrorCodes.validation, 'Validation failed', {
      fields: [{ field: 'cursor', message: 'cursor must be a next_cursor from a previous page' }],
    });
  }
  return text.slice(2);
}
