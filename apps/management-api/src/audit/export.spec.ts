import { csvCell, exportLines, type Column } from './export.js';

async function* from<T>(items: readonly T[]): AsyncGenerator<T> {
  for (const item of items) {
    await Promise.resolve();
    yield item;
  }
}

async function collect(lines: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const line of lines) text += line;
  return text;
}

describe(csvCell.name, () => {
  it('quotes commas, quotes and line breaks', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
  });

  it('defuses spreadsheet formulas', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('-1')).toBe("'-1");
    expect(csvCell(-1)).toBe("'-1");
  });

  it('writes objects as JSON and nothing for null', () => {
    expect(csvCell({ a: 1 })).toBe('"{""a"":1}"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
  });
});

describe(exportLines.name, () => {
  const columns: Column<{ id: number; name: string }>[] = [
    ['id', (r) => r.id],
    ['name', (r) => r.name],
  ];
  const rows = [
    { id: 1, name: 'one' },
    { id: 2, name: 'two, too' },
  ];

  it('writes a CSV header and one line per record', async () => {
    expect(await collect(exportLines(from(rows), 'csv', columns))).toBe(
      'id,name\r\n1,one\r\n2,"two, too"\r\n',
    );
  });

  it('writes NDJSON', async () => {
    const text = await collect(exportLines(from(rows), 'ndjson', columns));
    expect(
      text
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as unknown),
    ).toEqual(rows);
  });
});
