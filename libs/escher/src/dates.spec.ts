import fc from 'fast-check';
import { parseEscherDate, toLongDate, toRfc1123, toShortDate } from './dates.js';

const instant = new Date('2011-09-09T23:36:00Z');

describe(parseEscherDate.name, () => {
  it.each([
    ['20110909T233600Z', instant],
    ['Fri, 09 Sep 2011 23:36:00 GMT', instant],
    ['Mon, 09 Sep 2011 23:36:00 GMT', instant], // the weekday is not checked (AWS vectors)
    ['2011-09-09T23:36:00Z', instant],
    ['2011-09-09T23:36:00.000Z', instant],
    ['2011-09-09T23:36:00.5Z', new Date('2011-09-09T23:36:00.500Z')],
    ['2011-09-09T23:36:00.123456789Z', new Date('2011-09-09T23:36:00.123Z')],
    ['20240229T000000Z', new Date('2024-02-29T00:00:00Z')],
  ])('parses %j', (text, expected) => {
    expect(parseEscherDate(text)).toEqual(expected);
  });

  it.each([
    '',
    '20110909T233600',
    '20110909t233600z',
    '2011090T9233600Z',
    '20110231T000000Z', // 31 February
    '20230229T000000Z', // not a leap year
    '20111309T000000Z',
    '20110909T243600Z',
    '20110909T236000Z',
    '20110909T233660Z',
    'Fri, 9 Sep 2011 23:36:00 GMT',
    'Fri, 09 sep 2011 23:36:00 GMT',
    'Fri, 09 Sep 2011 23:36:00 UTC',
    'Fri 09 Sep 2011 23:36:00 GMT',
    'Fry, 09 Sep 2011 23:36:00 GMT',
    'Fri, 09 Sep 2011 23-36-00 GMT',
    '2011-09-09 23:36:00Z',
    '2011-09-09T23:36:00',
    '2011-09-09T23:36:00+00:00',
    '2011-09-09T23:36:00.Z',
    '2011-09-09T23:36:00.1234567890Z',
    '+02011-09-09T23:36:00Z',
    '0999-09-09T23:36:00Z',
    'Sep 9, 2011',
  ])('rejects %j', (text) => {
    expect(parseEscherDate(text)).toBeUndefined();
  });

  it('reads back every formatted date', () => {
    const seconds = fc.integer({
      min: Date.UTC(1970, 0, 1) / 1000,
      max: Date.UTC(9999, 11, 31) / 1000,
    });
    fc.assert(
      fc.property(seconds, (s) => {
        const date = new Date(s * 1000);
        expect(parseEscherDate(toLongDate(date))).toEqual(date);
        expect(parseEscherDate(toRfc1123(date))).toEqual(date);
        expect(parseEscherDate(date.toISOString())).toEqual(date);
      }),
    );
  });
});

describe(toLongDate.name, () => {
  it('formats the Escher long and short dates and RFC 1123', () => {
    expect(toLongDate(instant)).toBe('20110909T233600Z');
    expect(toShortDate(instant)).toBe('20110909');
    expect(toRfc1123(instant)).toBe('Fri, 09 Sep 2011 23:36:00 GMT');
    expect(toLongDate(new Date('2011-09-09T23:36:00.999Z'))).toBe('20110909T233600Z');
  });
});
