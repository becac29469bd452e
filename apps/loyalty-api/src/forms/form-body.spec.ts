import { AppError } from '@loyalty-edge/errors';
import { FORM_LIMITS, parseFormBody } from './form-body.js';

/** What PHP's http_build_query makes of an array, percent-encoded brackets included. */
const phpQuery = (pairs: readonly [string, string][]): string =>
  pairs.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`).join('&');

function refusal(text: string): AppError {
  try {
    parseFormBody(text);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected the body to be refused');
}

describe(parseFormBody.name, () => {
  it('nests brackets and lists as PHP builds them', () => {
    const body = phpQuery([
      ['customer', 'c1'],
      ['action', 'opt_in'],
      ['data[email]', 'ann@example.com'],
      ['data[tags][0]', 'gold'],
      ['data[tags][1]', 'vip'],
      ['data[address][city]', 'Budapest'],
    ]);
    expect(parseFormBody(body)).toEqual({
      customer: 'c1',
      action: 'opt_in',
      data: {
        email: 'ann@example.com',
        tags: ['gold', 'vip'],
        address: { city: 'Budapest' },
      },
    });
  });

  it('decodes + as a space and UTF-8 escapes', () => {
    expect(parseFormBody('data[first_name]=Ann+Lee&data[city]=%C3%89rd')).toEqual({
      data: { first_name: 'Ann Lee', city: 'Érd' },
    });
  });

  it('drops prototype keys', () => {
    const parsed = parseFormBody('__proto__[x]=1&data[constructor][prototype][y]=2&a=b');
    expect(parsed).toEqual({ a: 'b' });
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it.each([
    ['too deep', `data${'[a]'.repeat(FORM_LIMITS.depth + 1)}=1`],
    [
      'a list too long',
      Array.from({ length: FORM_LIMITS.arrayLimit + 1 }, (_, i) => `data[t][]=${i}`).join('&'),
    ],
    [
      'too many fields',
      Array.from({ length: FORM_LIMITS.parameterLimit + 1 }, (_, i) => `f${i}=1`).join('&'),
    ],
  ])('refuses a body %s with 400 (100400)', (_, text) => {
    expect(refusal(text)).toMatchObject({ kind: 'invalid', code: 100400 });
  });

  it('keeps bodies at the limits', () => {
    expect(parseFormBody(`data${'[a]'.repeat(FORM_LIMITS.depth)}=1`)).toBeDefined();
    const list = Array.from({ length: FORM_LIMITS.arrayLimit }, (_, i) => `data[t][]=${i}`);
    expect((parseFormBody(list.join('&')).data as { t: unknown[] }).t).toHaveLength(
      FORM_LIMITS.arrayLimit,
    );
  });
});
