import { endToEndHeaders } from './end-to-end-headers.js';

describe(endToEndHeaders.name, () => {
  it('drops hop-by-hop headers and those the Connection header names', () => {
    expect(
      endToEndHeaders({
        connection: 'keep-alive, x-private',
        'x-private': '1',
        'keep-alive': 'timeout=5',
        'transfer-encoding': 'chunked',
        'content-type': 'application/json',
        'set-cookie': ['a=1', 'b=2'],
      }),
    ).toEqual({ 'content-type': 'application/json', 'set-cookie': ['a=1', 'b=2'] });
  });

  it('drops the extra names it is given', () => {
    expect(
      endToEndHeaders({ authorization: 'x', accept: '*/*' }, new Set(['authorization'])),
    ).toEqual({
      accept: '*/*',
    });
  });
});
