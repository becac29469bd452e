/**
 * The three date forms Escher clients send: `20110909T233600Z` (Escher long date),
 * `Fri, 09 Sep 2011 23:36:00 GMT` (RFC 1123 / IMF-fixdate) and `2011-09-09T23:36:00Z` (ISO 8601
 * extended, optional fraction). Parsed by hand: no regex and no `Date.parse` leniency.
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** Milliseconds since the epoch, or NaN when `value` is not one of the three forms. */
export function parseDateMs(value: string): number {
  const length = value.length;
  if (length === 16) return parseLong(value);
  if (length === 29 && value.charCodeAt(3) === 44 /* , */) return parseRfc1123(value);
  if (length >= 20) return parseIso(value);
  return NaN;
}

/** Parses an Escher date header value; `undefined` if it is none of the accepted forms. */
export function parseEscherDate(value: string): Date | undefined {
  const ms = parseDateMs(value);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

// One-entry memo: on a busy gateway most requests of a second carry the same date.
let memoSecond = NaN;
let memoLong = '';

/** `20110909T233600Z` (years 1000 to 9999). */
export function toLongDate(date: Date | number): string {
  const ms = typeof date === 'number' ? date : date.getTime();
  const second = Math.floor(ms / 1000);
  if (second !== memoSecond) {
    const d = new Date(second * 1000);
    memoLong = `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}Z`;
    memoSecond = second;
  }
  return memoLong;
}

function pad(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

/** `20110909` */
export function toShortDate(date: Date | number): string {
  return toLongDate(date).slice(0, 8);
}

/** `Fri, 09 Sep 2011 23:36:00 GMT` (ECMAScript fixes this format for toUTCString). */
export function toRfc1123(date: Date | number): string {
  return new Date(date).toUTCString();
}

// 20110909T233600Z
function parseLong(s: string): number {
  if (s.charCodeAt(8) !== 84 /* T */ || s.charCodeAt(15) !== 90 /* Z */) return NaN;
  return build(
    digits(s, 0, 4),
    digits(s, 4, 2),
    digits(s, 6, 2),
    digits(s, 9, 2),
    digits(s, 11, 2),
    digits(s, 13, 2),
    0,
  );
}

// Fri, 09 Sep 2011 23:36:00 GMT
function parseRfc1123(s: string): number {
  if (!WEEKDAYS.includes(s.slice(0, 3)) || !s.endsWith(' GMT')) return NaN;
  if (s[4] !== ' ' || s[7] !== ' ' || s[11] !== ' ' || s[16] !== ' ') return NaN;
  if (s[19] !== ':' || s[22] !== ':') return NaN;
  const month = MONTHS.indexOf(s.slice(8, 11)) + 1;
  if (month === 0) return NaN;
  return build(
    digits(s, 12, 4),
    month,
    digits(s, 5, 2),
    digits(s, 17, 2),
    digits(s, 20, 2),
    digits(s, 23, 2),
    0,
  );
}

// 2011-09-09T23:36:00Z or 2011-09-09T23:36:00.123Z (1 to 9 fraction digits)
function parseIso(s: string): number {
  const sep = (at: number, char: string): boolean => s[at] === char;
  if (!sep(4, '-') || !sep(7, '-') || !sep(10, 'T') || !sep(13, ':') || !sep(16, ':')) return NaN;
  if (s.charCodeAt(s.length - 1) !== 90 /* Z */) return NaN;
  let ms = 0;
  if (s.length > 20) {
    const fraction = s.length - 21;
    if (s[19] !== '.' || fraction < 1 || fraction > 9) return NaN;
    const value = digits(s, 20, fraction);
    if (value < 0) return NaN;
    ms = Math.floor(value / 10 ** (fraction - 3));
  }
  return build(
    digits(s, 0, 4),
    digits(s, 5, 2),
    digits(s, 8, 2),
    digits(s, 11, 2),
    digits(s, 14, 2),
    digits(s, 17, 2),
    ms,
  );
}

/** The decimal number in s[start, start+length), or -1 if any character is not a digit. */
function digits(s: string, start: number, length: number): number {
  let value = 0;
  for (let i = start; i < start + length; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

function build(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number) {
  if (y < 1000 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59) return NaN;
  if (s < 0 || s > 59 || d > daysInMonth(y, mo)) return NaN;
  return Date.UTC(y, mo - 1, d, h, mi, s, ms);
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : (DAYS[month - 1] ?? 0);
}
