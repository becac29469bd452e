const DATE_TIME = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const DATE = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const TIME = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });

/** A timestamp in the reader's locale and time zone; the ISO text when it cannot be read. */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : DATE_TIME.format(date);
}

/** A UTC calendar day (`2026-11-30`) in the reader's locale; the text when it cannot be read. */
export function formatDate(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  return Number.isNaN(date.getTime())
    ? day
    : new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' }).format(date);
}

/** A timestamp as its day and its time (minutes), for a narrow table cell; ISO when unreadable. */
export function formatDayAndTime(iso: string): readonly [string, string] {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? [iso, ''] : [DATE.format(date), TIME.format(date)];
}

/** JSON text pretty-printed; anything else unchanged. */
export function prettyBody(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : 'Something went wrong';
}

/** When a setting was last saved and by whom, for the line under it. */
export function lastChange(at: string | null, by: string | null): string {
  if (at === null) return 'Never changed';
  return by === null
    ? `Last changed ${formatDateTime(at)}`
    : `Last changed ${formatDateTime(at)} by ${by}`;
}

/** `1 entry`, `2 entries`: a count with its noun. */
export function plural(count: number, one: string, many: string): string {
  return `${count.toLocaleString()} ${count === 1 ? one : many}`;
}
