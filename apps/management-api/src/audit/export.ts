/** A CSV column: its header and how to read it from a record. */
export type Column<T> = readonly [header: string, read: (item: T) => unknown];

const FORMULA = /^[=+\-@\t\r]/;

/**
 * One CSV cell (RFC 4180 quoting). Objects become JSON; text that a spreadsheet would run as
 * a formula gets a leading apostrophe.
 */
export function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  let text = '';
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    text = String(value);
  } else if (typeof value === 'object') text = JSON.stringify(value);
  if (FORMULA.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: readonly unknown[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** Lines of an export: a CSV header and one line per record, or one JSON object per line. */
export async function* exportLines<T>(
  records: AsyncIterable<T>,
  format: 'csv' | 'ndjson',
  columns: readonly Column<T>[],
): AsyncGenerator<string> {
  if (format === 'csv') yield csvLine(columns.map(([header]) => header));
  for await (const record of records) {
    yield format === 'csv'
      ? csvLine(columns.map(([, read]) => read(record)))
      : `${JSON.stringify(record)}\n`;
  }
}
