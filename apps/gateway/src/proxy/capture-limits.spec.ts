import { FAILED_CALL_LIMITS } from '@loyalty-edge/audit-contracts';
import { cut, CUT_MARK, escapeControls, fitHeaders, fitText } from './capture-limits.js';

describe(escapeControls.name, () => {
  it('writes NUL and other control characters as \\u00XX, keeps tabs and line breaks', () => {
    expect(escapeControls('a\u0000b\u001b[31mc\u007f\td\r\n')).toBe(
      'a\\u0000b\\u001b[31mc\\u007f\td\r\n',
    );
    const plain = 'nothing to do: é ✓';
    expect(escapeControls(plain)).toBe(plain);
  });
});

describe(cut.name, () => {
  it('cuts to the limit with a mark, and leaves text that fits alone', () => {
    expect(cut('abc', 3)).toBeUndefined();
    const shortened = cut('x'.repeat(100), 20);
    expect(shortened).toHaveLength(20);
    expect(shortened?.endsWith(CUT_MARK)).toBe(true);
  });

  it('never leaves half of a surrogate pair', () => {
    const text = `${'x'.repeat(7)}😀${'y'.repeat(40)}`;
    const shortened = cut(text, 8 + CUT_MARK.length) ?? '';
    expect(shortened).toBe(`${'x'.repeat(7)}${CUT_MARK}`);
  });
});

describe(fitText.name, () => {
  it('cuts after escaping, so escapes cannot push text past the limit', () => {
    const { text, cut: wasCut } = fitText('\u0000'.repeat(100), 50);
    expect(text).toHaveLength(50);
    expect(wasCut).toBe(true);
  });
});

describe(fitHeaders.name, () => {
  it('keeps at most the limit of entries, names and values cut, and says so', () => {
    const many = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`x-h-${i}`, 'v']));
    const fitted = fitHeaders(many);
    expect(Object.keys(fitted.headers)).toHaveLength(FAILED_CALL_LIMITS.headers);
    expect(fitted.cut).toBe(true);

    const long = fitHeaders({ [`x-${'n'.repeat(300)}`]: 'v'.repeat(20_000), accept: '*/*' });
    const [name = '', value = ''] = Object.entries(long.headers)[0] ?? [];
    expect(name.length).toBeLessThanOrEqual(FAILED_CALL_LIMITS.headerName);
    expect(value.length).toBeLessThanOrEqual(FAILED_CALL_LIMITS.headerValue);
    expect(long.headers.accept).toBe('*/*');
    expect(long.cut).toBe(true);

    const odd = fitHeaders(
      Object.fromEntries([
        ['__proto__', 'x'],
        ['constructor', 'y'],
      ]),
    );
    expect(Object.entries(odd.headers)).toEqual([
      ['__proto__', 'x'],
      ['constructor', 'y'],
    ]);
  });
});
