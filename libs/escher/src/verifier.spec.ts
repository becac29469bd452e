import { at, lookup, PARAMS, reasonOf, signed, signer, verifier } from '../test/fixtures.js';
import { antavoParams } from './config.js';
import { deriveSigningKey } from './crypto.js';
import { EscherError } from './errors.js';
import { EscherSigner } from './signer.js';
import { EscherVerifier, type SyncKeyLookup } from './verifier.js';

describe(EscherVerifier.name, () => {
  it('accepts a request within the clock skew, on both sides', () => {
    expect(verifier({ now: at(-300) }).authenticate(signed(), lookup)).toBe('AKID');
    expect(verifier({ now: at(299) }).authenticate(signed(), lookup)).toBe('AKID');
    expect(verifier({ now: at(20), clockSkew: 30 }).authenticate(signed(), lookup)).toBe('AKID');
    expect(reasonOf(() => verifier({ now: at(-301) }).authenticate(signed(), lookup))).toEqual([
      'date_out_of_range',
      'The request date is not within the accepted time range',
    ]);
  });

  it('accepts the date header as RFC 1123, long and ISO 8601 dates, and SHA512', () => {
    for (const date of [
      'Mon, 01 Jan 2024 12:00:00 GMT',
      '20240101T120000Z',
      '2024-01-01T12:00:00.000Z',
    ]) {
      const request = signed({
        headers: [
          ['Host', 'h'],
          ['Date', date],
        ],
      });
      expect(verifier().authenticate(request, lookup)).toBe('AKID');
    }
    const sha512 = new EscherSigner({
      ...PARAMS,
      hashAlgo: 'SHA512',
      accessKeyId: 'AKID',
      key: { secret: 'SECRET' },
      now: at(0),
    });
    const request = sha512.sign({ method: 'GET', url: '/', headers: [['Host', 'h']] }).request;
    expect(verifier().authenticate(request, lookup)).toBe('AKID');
  });

  it('accepts headers as a record and as Node rawHeaders', () => {
    const request = signed();
    const raw = request.headers.flat();
    const record = Object.fromEntries(
      request.headers.map(([name, value]) => [name.toLowerCase(), value]),
    );
    expect(verifier().authenticate({ ...request, headers: raw }, lookup)).toBe('AKID');
    expect(verifier().authenticate({ ...request, headers: record }, lookup)).toBe('AKID');
  });

  it('calls the key lookup only for requests that passed every other check', () => {
    const calls: string[][] = [];
    const spy: SyncKeyLookup = (...args) => {
      calls.push(args);
      return lookup(...args);
    };
    expect(() => verifier({ now: at(3600) }).authenticate(signed(), spy)).toThrow(EscherError);
    expect(() => verifier(antavoParams('us')).authenticate(signed(), spy)).toThrow(EscherError);
    expect(calls).toEqual([]);
    verifier().authenticate(signed(), spy);
    expect(calls).toEqual([['AKID', '20240101', 'SHA256']]);
  });

  it('answers with a Promise when the lookup does', async () => {
    const signingKey = deriveSigningKey(
      'SECRET',
      'ANTAVO',
      'SHA256',
      '20240101',
      'eu/api/antavo_request',
    );
    const result = verifier().authenticate(signed(), () => Promise.resolve({ signingKey }));
    expect(result).toBeInstanceOf(Promise);
    await expect(result).resolves.toBe('AKID');
    await expect(
      verifier().authenticate(signed(), () => Promise.resolve(null)),
    ).rejects.toMatchObject({
      reason: 'unknown_key',
    });
  });

  it('splits into prepare and complete for callers that fetch keys themselves', () => {
    const prepared = verifier().prepare(signed());
    expect(prepared).toMatchObject({
      accessKeyId: 'AKID',
      shortDate: '20240101',
      hashAlgo: 'SHA256',
      presigned: false,
      expiresSeconds: 0,
    });
    expect(verifier().complete(prepared, { secret: 'SECRET' })).toBe('AKID');
    expect(reasonOf(() => verifier().complete(prepared, { secret: 'other' }))).toEqual([
      'signature_mismatch',
      'The signatures do not match',
    ]);
  });

  it('authenticates a pre-signed URL until it expires', () => {
    const url = signer.presignUrl('https://api.example.com:8443/v1/customers/c1?x=y#top', 60);
    const path = url.slice(url.indexOf('/', 8), url.indexOf('#'));
    const request = {
      method: 'GET',
      url: path,
      headers: [['Host', 'api.example.com:8443'] as const],
    };
    expect(verifier({ now: at(359) }).authenticate(request, lookup)).toBe('AKID');
    expect(verifier({ now: at(359) }).prepare(request)).toMatchObject({
      presigned: true,
      expiresSeconds: 60,
    });
    expect(reasonOf(() => verifier({ now: at(360) }).authenticate(request, lookup))[0]).toBe(
      'date_out_of_range',
    );
    const otherHost = { ...request, headers: [['Host', 'api.example.com'] as const] };
    expect(reasonOf(() => verifier().authenticate(otherHost, lookup))[0]).toBe(
      'signature_mismatch',
    );
    const twice = { ...request, url: `${path}&X-Antavo-Expires=60` };
    expect(reasonOf(() => verifier().authenticate(twice, lookup))[0]).toBe('invalid_auth_header');
    const posted = { ...request, method: 'POST', body: '' };
    expect(reasonOf(() => verifier().authenticate(posted, lookup))[0]).toBe('missing_date_header');
  });
});
