import { EscherError } from './errors.js';
import type { HeaderPair } from './headers.js';
import { EscherSigner } from './signer.js';

const NOW = new Date('2024-01-01T12:00:00Z');
const signerWith = (dateHeaderName: string) =>
  new EscherSigner({ dateHeaderName, accessKeyId: 'AKID', key: { secret: 'S' }, now: () => NOW });

describe(EscherSigner.name, () => {
  it('adds the date header in the form its name asks for, and leaves the input alone', () => {
    const headers: HeaderPair[] = [['Host', 'h']];
    const rfc = signerWith('Date').sign({ method: 'GET', url: '/', headers });
    const long = signerWith('X-Escher-Date').sign({ method: 'GET', url: '/', headers });
    expect(rfc.request.headers[1]).toEqual(['Date', 'Mon, 01 Jan 2024 12:00:00 GMT']);
    expect(long.request.headers[1]).toEqual(['X-Escher-Date', '20240101T120000Z']);
    expect(headers).toEqual([['Host', 'h']]);
  });

  it('keeps a date header that is there, in any case, and signs it as given', () => {
    const headers: HeaderPair[] = [
      ['host', 'h'],
      ['DATE', 'Mon, 01 Jan 2024 12:00:00 GMT'],
    ];
    const { request, canonicalRequest } = signerWith('Date').sign({
      method: 'GET',
      url: '/',
      headers,
    });
    expect(request.headers).toHaveLength(3);
    expect(canonicalRequest).toContain('date:Mon, 01 Jan 2024 12:00:00 GMT\nhost:h');
  });

  it('signs only present headers of headersToSign, in any case, from any header shape', () => {
    const record = { host: 'h', 'x-a': ['1', '2'], 'x-b': 'b' };
    const { authHeader, canonicalRequest } = signerWith('Date').sign(
      { method: 'GET', url: '/', headers: record },
      ['X-A', 'x-missing'],
    );
    expect(authHeader).toContain('SignedHeaders=date;host;x-a,');
    expect(canonicalRequest).toContain('x-a:1,2');
  });

  it('refuses what it cannot pre-sign', () => {
    const signer = signerWith('Date');
    expect(() => signer.presignUrl('/relative', 60)).toThrow(EscherError);
    expect(() => signer.presignUrl('https://h/', -1)).toThrow(EscherError);
  });
});
