import { endToEndHeaders, endToEndRawHeaders } from './end-to-end-headers.js';

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

describe(endToEndRawHeaders.name, () => {
  it('drops hop-by-hop headers and those the Connection headers name, keeping repeats in order', () => {
    const raw = [
      'Content-Type',
      'application/json',
      'X-Private',
      '1',
      'Connection',
      'keep-alive, X-Private',
      'Set-Cookie',
      'a=1',
      'Transfer-Encoding',
      'chunked',
      'Set-Cookie',
      'b=2',
    ].map((part, i) => (i % 4 === 0 ? Buffer.from(part, 'latin1') : part));
    expect(endToEndRawHeaders(raw)).toEqual([
      'content-type',
      'application/json',
      'set-cookie',
      'a=1',
      'set-cookie',
      'b=2',
    ]);
  });

  it('reads header bytes as latin1, as the server side does', () => {
    expect(endToEndRawHeaders([Buffer.from('x-name'), Buffer.from('café', 'latin1')])).toEqual([
      'x-name',
      'café',
    ]);
  });
});
