import { AppError } from '@loyalty-edge/errors';
import { IpFilterErrorCodes, type IpListProblem } from '@loyalty-edge/ip-filter-contracts';
import { checkWorkspaceTotal, validateList } from './list-validation.js';

const list = (entries: string[], api = 'events') => ({ api, entries });

/** The error a call throws (fails the test when it does not throw one). */
function refusal(call: () => unknown): AppError {
  try {
    call();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}

const problems = (error: AppError): readonly IpListProblem[] =>
  error.details?.fields as readonly IpListProblem[];

describe('validateList', () => {
  it('keeps input and normalized form of each entry', () => {
    const valid = validateList(list(['192.168.0.3/24', ' 10.0.0.1 ', '2001:DB8::1/128']), 10);
    expect(valid).toEqual({
      api: 'events',
      entries: [
        { input: '192.168.0.3/24', normalized: '192.168.0.0/24', hostBitsCleared: true },
        { input: '10.0.0.1', normalized: '10.0.0.1', hostBitsCleared: false },
        { input: '2001:DB8::1/128', normalized: '2001:db8::1', hostBitsCleared: false },
      ],
      merged: [],
    });
  });

  it('accepts an empty list (the API is then not filtered)', () => {
    expect(validateList(list([]), 10)).toEqual({ api: 'events', entries: [], merged: [] });
  });

  it('merges entries that normalise to the same range, keeping the first', () => {
    const valid = validateList(
      list(['10.0.0.0/8', '1.2.3.4', '10.9.9.9/8', '::ffff:1.2.3.4', '10.0.0.0/8']),
      10,
    );
    expect(valid.entries.map((entry) => entry.input)).toEqual(['10.0.0.0/8', '1.2.3.4']);
    expect(valid.merged).toEqual([
      { normalized: '10.0.0.0/8', inputs: ['10.0.0.0/8', '10.9.9.9/8', '10.0.0.0/8'] },
      { normalized: '1.2.3.4', inputs: ['1.2.3.4', '::ffff:1.2.3.4'] },
    ]);
  });

  const refused: [entry: string, reason: string][] = [
    ['', 'empty'],
    ['1.2.3.4 /24', 'inner-whitespace'],
    ['1.2.3.4-1.2.3.9', 'dash-range'],
    ['10.0.*.*', 'wildcard'],
    ['example.com', 'hostname'],
    ['fe80::1%eth0', 'zone-id'],
    ['[::1]', 'brackets'],
    ['1.2.3.4:80', 'port'],
    ['1.2.3.4;', 'invalid-characters'],
    ['10.1', 'ipv4-too-few-octets'],
    ['1.2.3.4.5', 'ipv4-too-many-octets'],
    ['010.1.1.1', 'octet-leading-zero'],
    ['1.2.3.256', 'octet-out-of-range'],
    ['::1.2.3.4', 'ipv4-compatible-ipv6'],
    ['2001:db8:::1', 'ipv6-malformed'],
    ['10.0.0.0/x', 'prefix-not-number'],
    ['10.0.0.0/33', 'prefix-out-of-range'],
    ['2001:db8::/129', 'prefix-out-of-range'],
    ['1'.repeat(101), 'too-long'],
  ];

  it.each(refused)('refuses %j with reason %s', (entry, reason) => {
    const error = refusal(() => validateList(list(['10.0.0.1', entry]), 10));
    expect(error.kind).toBe('invalid');
    expect(error.code).toBe(IpFilterErrorCodes.invalidList);
    expect(problems(error)).toEqual([
      { field: 'entries[1]', message: expect.any(String) as string, reason },
    ]);
  });

  it('lists every bad entry by its index, with the parser message', () => {
    const error = refusal(() =>
      validateList(list(['10.0.0.1', 'example.com', '10.0.0.2', '10.1', '1.2.3.256']), 10),
    );
    expect(error.message).toBe('3 of 5 entries are invalid; nothing was saved');
    expect(problems(error)).toEqual([
      {
        field: 'entries[1]',
        message: '"example.com" looks like a hostname; only IP addresses and ranges',
        reason: 'hostname',
      },
      {
        field: 'entries[3]',
        message: expect.stringContaining('"10.1"') as string,
        reason: 'ipv4-too-few-octets',
      },
      {
        field: 'entries[4]',
        message: 'octet 256 of "1.2.3.256" is over 255',
        reason: 'octet-out-of-range',
      },
    ]);
  });

  it('measures the length of an entry without its surrounding whitespace', () => {
    const padded = `${' '.repeat(200)}10.0.0.9${' '.repeat(200)}`;
    expect(validateList(list([padded]), 10).entries[0]?.input).toBe('10.0.0.9');
  });

  it('does not echo an over-long entry', () => {
    const error = refusal(() => validateList(list(['9'.repeat(5000)]), 10));
    expect(problems(error)[0]?.message).toBe('The entry is longer than 100 characters');
  });

  it('refuses more entries than the limit, counted as submitted', () => {
    const entries = ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.3'];
    expect(validateList(list(entries.slice(0, 3)), 3).entries).toHaveLength(3);
    const error = refusal(() => validateList(list(entries), 3));
    expect(error.code).toBe(IpFilterErrorCodes.invalidList);
    expect(problems(error)).toEqual([
      {
        field: 'entries',
        message: 'A list holds at most 3 entries; got 4',
        reason: 'too-many-entries',
      },
    ]);
  });

  it.each(['Events', 'nope', ''])('refuses the unknown API %j', (api) => {
    const error = refusal(() => validateList(list(['10.0.0.1'], api), 10));
    expect(error.kind).toBe('invalid');
    expect(error.code).toBe(IpFilterErrorCodes.unknownApi);
    expect(problems(error)).toEqual([
      { field: 'api', message: `"${api}" is not an API of the catalog`, reason: 'unknown-api' },
    ]);
  });
});

describe('checkWorkspaceTotal', () => {
  it('allows up to the total and refuses past it', () => {
    expect(() => checkWorkspaceTotal(7, 3, 10)).not.toThrow();
    const error = refusal(() => checkWorkspaceTotal(8, 3, 10));
    expect(error.kind).toBe('invalid');
    expect(problems(error)[0]).toMatchObject({ field: 'entries', reason: 'too-many-entries' });
    expect(error.message).toContain('at most 10 entries over all APIs; this list would make 11');
  });
});
