import fc from 'fast-check';
import { paramValues } from './signature-check.js';

const NAME = 'X-Antavo-Expires';

describe(paramValues.name, () => {
  it.each([
    'X-Antavo-Expires=7200&a=1',
    'a=1&X-Antavo-Expires=1&X-Antavo-Expires=2',
    'X-Antavo-Expires',
    '&&X-Antavo-Expires=&',
    'X-Antavo-Expiresx=1&x-antavo-expires=2',
    'X-Antavo-Expires==1',
    'X-Antavo-%45xpires=3',
    'X-Antavo-Expires=%37200',
    'X-Antavo-Expires=+1',
    'a+b=1&X-Antavo-Credentials=k%2F20240101&X-Antavo-Expires=60',
  ])('reads %s as URLSearchParams does', (query) => {
    expect(paramValues(query, NAME)).toEqual(new URLSearchParams(query).getAll(NAME));
  });

  it('agrees with URLSearchParams on any query made of its pieces', () => {
    const piece = fc.constantFrom(
      'X-Antavo-',
      'Expires',
      '=',
      '&',
      '%45',
      '%2F',
      '+',
      '7',
      'a',
      '%',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 24 }), (pieces) => {
        const query = pieces.join('');
        expect(paramValues(query, NAME)).toEqual(new URLSearchParams(query).getAll(NAME));
      }),
      { numRuns: 2000 },
    );
  });
});
