// Interoperability with escher-auth@4, the reference JavaScript client, on the platform's
// Escher parameters and a real clock: it signs, we verify; we sign, it verifies.
import Escher from 'escher-auth';
import { antavoParams } from './config.js';
import { EscherError } from './errors.js';
import type { HeaderPair } from './headers.js';
import { EscherSigner } from './signer.js';
import { EscherVerifier, type SyncKeyLookup } from './verifier.js';

const ESCHER_PARAMS = {
  algoPrefix: 'ANTAVO',
  vendorKey: 'Antavo',
  authHeaderName: 'Authorization',
  dateHeaderName: 'Date',
  credentialScope: 'eu/api/antavo_request',
};
const KEY_ID = 'ak_live_0123456789';
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const HOST: HeaderPair = ['Host', 'api.loyalty.example.com'];
const JSON_BODY = JSON.stringify({ customer: 'c-1', action: 'opt_in', data: { name: 'Zoë' } });
const QUERY_URL = '/customers?filter=name%3DZo%C3%AB&page=2&page=1&tags=a+b&x=(1)&empty=';

const reference = (hashAlgo: 'SHA256' | 'SHA512' = 'SHA256') =>
  new Escher({ ...ESCHER_PARAMS, hashAlgo, accessKeyId: KEY_ID, apiSecret: SECRET });
const ours = new EscherSigner({
  ...antavoParams('eu'),
  accessKeyId: KEY_ID,
  key: { secret: SECRET },
});
const verifier = new EscherVerifier(antavoParams('eu'));
const lookup: SyncKeyLookup = (id) => (id === KEY_ID ? { secret: SECRET } : undefined);
const keyDb = (id: string) => (id === KEY_ID ? SECRET : undefined);

describe(EscherVerifier.name, () => {
  it('accepts a GET with a query signed by escher-auth', () => {
    const request = reference().signRequest({ method: 'GET', url: QUERY_URL, headers: [HOST] }, '');
    expect(verifier.authenticate(request, lookup)).toBe(KEY_ID);
  });

  it('accepts a POST with a JSON body signed by escher-auth, with SHA256 and SHA512', () => {
    for (const hashAlgo of ['SHA256', 'SHA512'] as const) {
      const request = reference(hashAlgo).signRequest(
        {
          method: 'POST',
          url: '/v1/events',
          headers: [HOST, ['Content-Type', 'application/json']],
        },
        JSON_BODY,
        ['content-type'],
      );
      const verify = new EscherVerifier({
        ...antavoParams('eu'),
        mandatorySignedHeaders: ['content-type'],
      });
      expect(verify.authenticate({ ...request, body: JSON_BODY }, lookup)).toBe(KEY_ID);
      expect(() => verify.authenticate({ ...request, body: `${JSON_BODY} ` }, lookup)).toThrow(
        EscherError,
      );
    }
  });

  it('accepts a URL pre-signed by escher-auth', () => {
    const url = reference().preSignUrl(`https://${HOST[1]}/v1/customers/c-1?fields=points`, 600);
    const request = { method: 'GET', url: url.slice(url.indexOf('/', 8)), headers: [HOST] };
    expect(verifier.authenticate(request, lookup)).toBe(KEY_ID);
  });
});

describe(EscherSigner.name, () => {
  it('signs a GET with a query that escher-auth accepts', () => {
    const { request } = ours.sign({ method: 'GET', url: QUERY_URL, headers: [HOST] });
    const copy = {
      method: request.method,
      url: request.url,
      headers: [...request.headers],
      body: '',
    };
    expect(reference().authenticate(copy, keyDb)).toBe(KEY_ID);
  });

  it('signs a POST with a JSON body that escher-auth accepts', () => {
    const { request } = ours.sign(
      {
        method: 'POST',
        url: '/v1/events',
        headers: [HOST, ['Content-Type', 'application/json']],
        body: JSON_BODY,
      },
      ['Content-Type'],
    );
    const copy = {
      method: 'POST',
      url: request.url,
      headers: [...request.headers],
      body: JSON_BODY,
    };
    expect(reference().authenticate(copy, keyDb, ['content-type'])).toBe(KEY_ID);
  });

  it('pre-signs a URL that escher-auth accepts, identical to its own', () => {
    const target = `https://${HOST[1]}/v1/customers/c-1?fields=points`;
    const url = ours.presignUrl(target, 600);
    const request = { method: 'GET', url: url.slice(url.indexOf('/', 8)), headers: [HOST] };
    expect(reference().authenticate(request, keyDb)).toBe(KEY_ID);
  });
});
