import { AppError } from '@loyalty-edge/errors';
import { decodeCursor, encodeCursor } from './cursor.js';

const expectInvalid = (cursor: string): void => {
  let error: unknown;
  try {
    decodeCursor(cursor);
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).kind).toBe('invalid');
  expect((error as AppError).details?.fields?.[0]?.field).toBe('cursor');
};

describe('keyset cursor', () => {
  it('round-trips (at, id) through an opaque base64url string', () => {
    const cursor = encodeCursor({ at: new Date('2024-05-01T10:00:00.123Z'), id: 'evt-1' });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual({ at: '2024-05-01T10:00:00.123Z', id: 'evt-1' });
  });

  it('keeps ids with any characters', () => {
    const key = { at: '2024-05-01T10:00:00.000Z', id: 'a/b?c=d é "x"' };
    expect(decodeCursor(encodeCursor(key))).toEqual(key);
  });

  it.each([
    ['empty', ''],
    ['not base64url', 'abc+/='],
    ['not JSON', Buffer.from('nope').toString('base64url')],
    ['an object', Buffer.from('{"at":"x","id":"y"}').toString('base64url')],
    ['a bad date', Buffer.from('["yesterday","id"]').toString('base64url')],
    ['a non-canonical date', Buffer.from('["2024-05-01T10:00:00Z","id"]').toString('base64url')],
    ['an empty id', Buffer.from('["2024-05-01T10:00:00.000Z",""]').toString('base64url')],
    ['too long', 'a'.repeat(401)],
  ])('refuses %s as invalid', (_, cursor) => {
    expectInvalid(cursor);
  });
});
