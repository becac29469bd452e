import { AppError } from '@loyalty-edge/errors';
import { decodeCursor, encodeCursor } from './cursor.js';

describe('customer cursors', () => {
  it.each(['c1', 'ügyfél/42?x=1&y', ' spaced id '])('round-trips %p', (id) => {
    const cursor = encodeCursor(id);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toBe(id);
  });

  it.each(['', 'not base64!', Buffer.from('x:abc').toString('base64url')])(
    'refuses %p as a validation error on the cursor field',
    (cursor) => {
      expect(() => decodeCursor(cursor)).toThrow(AppError);
      try {
        decodeCursor(cursor);
      } catch (error) {
        expect((error as AppError).details?.fields?.[0]?.field).toBe('cursor');
      }
    },
  );
});
