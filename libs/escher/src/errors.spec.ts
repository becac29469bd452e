import { at, editAuth, lookup, reasonOf, signed, verifier, withHeader } from '../test/fixtures.js';
import { antavoParams } from './config.js';
import { EscherError, type EscherErrorReason } from './errors.js';
import { EscherSigner } from './signer.js';

// [what, reason, message, run]: every reason, with Escher's message where Escher has one.
const CASES: [string, EscherErrorReason, string, () => unknown][] = [
  [
    'a negative clock skew',
    'invalid_config',
    'clockSkew must be a non-negative number of seconds',
    () => verifier({ clockSkew: -1 }),
  ],
  [
    'a header name with a space',
    'invalid_config',
    'authHeaderName must be a header name',
    () => verifier({ authHeaderName: 'X Auth' }),
  ],
  [
    'an access key id with a slash',
    'invalid_config',
    'accessKeyId must match [A-Za-z0-9_-]+',
    () => new EscherSigner({ accessKeyId: 'a/b' }),
  ],
  [
    'an unknown configured hash',
    'invalid_hash_algorithm',
    'Only SHA256 and SHA512 hash algorithms are allowed',
    () => verifier({ hashAlgo: 'MD5' as 'SHA256' }),
  ],
  [
    'mandatory headers not an array',
    'invalid_mandatory_headers',
    'The mandatorySignedHeaders parameter must be undefined or array of strings',
    () => verifier({ mandatorySignedHeaders: 'host' as unknown as string[] }),
  ],
  [
    'an unknown method',
    'invalid_method',
    'The request method is invalid',
    () => verifier().authenticate({ ...signed(), method: 'FETCH' }, lookup),
  ],
  [
    'a PUT without body',
    'missing_body',
    "The request body shouldn't be empty if the request method is put",
    () => verifier().authenticate({ ...signed(), method: 'put', body: undefined }, lookup),
  ],
  [
    'an absolute url',
    'invalid_url',
    "The request url shouldn't contains http or https",
    () => verifier().authenticate({ ...signed(), url: 'HTTPS://api.example.com/' }, lookup),
  ],
  [
    'no date header',
    'missing_date_header',
    'The date header is missing',
    () => verifier().authenticate(withHeader(signed(), 'Date'), lookup),
  ],
  [
    'an unreadable date',
    'invalid_date',
    'The request date is invalid',
    () => verifier().authenticate(withHeader(signed(), 'Date', 'yesterday'), lookup),
  ],
  [
    'no auth header',
    'missing_auth_header',
    'The authorization header is missing',
    () => verifier().authenticate(withHeader(signed(), 'Authorization'), lookup),
  ],
  [
    'a Bearer auth header',
    'invalid_auth_header',
    'Could not parse auth header',
    () => verifier().authenticate(withHeader(signed(), 'Authorization', 'Bearer x'), lookup),
  ],
  [
    'an upper-case hex signature',
    'invalid_auth_header',
    'Could not parse auth header',
    () => verifier().authenticate(editAuth('Signature=', 'Signature=ABC'), lookup),
  ],
  [
    'another algorithm prefix',
    'invalid_auth_header',
    'Could not parse auth header',
    () => verifier().authenticate(editAuth('ANTAVO-', 'EMS-'), lookup),
  ],
  [
    'no host header',
    'missing_host_header',
    'The host header is missing',
    () => verifier().authenticate(withHeader(signed(), 'Host'), lookup),
  ],
  [
    'an unsigned host',
    'host_not_signed',
    'The host header is not signed',
    () => verifier().authenticate(editAuth('date;host', 'date'), lookup),
  ],
  [
    'an unsigned date',
    'date_not_signed',
    'The date header is not signed',
    () => verifier().authenticate(editAuth('date;host', 'host'), lookup),
  ],
  [
    'an unsigned mandatory header',
    'header_not_signed',
    'The content-type header is not signed',
    () => verifier({ mandatorySignedHeaders: ['Content-Type'] }).authenticate(signed(), lookup),
  ],
  [
    'another credential scope',
    'invalid_scope',
    'The credential scope is invalid',
    () => verifier(antavoParams('us')).authenticate(signed(), lookup),
  ],
  [
    'SHA1',
    'invalid_hash_algorithm',
    'Only SHA256 and SHA512 hash algorithms are allowed',
    () => verifier().authenticate(editAuth('HMAC-SHA256', 'HMAC-SHA1'), lookup),
  ],
  [
    'a credential date of another day',
    'date_mismatch',
    'The credential date does not match with the request date',
    () => verifier().authenticate(editAuth('/20240101/', '/20240102/'), lookup),
  ],
  [
    'a request 300 s in the past',
    'date_out_of_range',
    'The request date is not within the accepted time range',
    () => verifier({ now: at(300) }).authenticate(signed(), lookup),
  ],
  [
    'an unknown access key',
    'unknown_key',
    'Invalid Escher key',
    () => verifier().authenticate(signed(), () => undefined),
  ],
  [
    'signing without a key',
    'invalid_key',
    'Invalid Escher key',
    () => new EscherSigner({ accessKeyId: 'a' }).sign({ method: 'GET', url: '/', headers: [] }),
  ],
  [
    'a changed body',
    'signature_mismatch',
    'The signatures do not match',
    () => verifier().authenticate({ ...signed(), body: '{}' }, lookup),
  ],
];

describe(EscherError.name, () => {
  it.each(CASES)('reports %s as %s', (_what, reason, message, run) => {
    expect(reasonOf(run)).toEqual([reason, message]);
  });

  it('covers every reason', () => {
    const reasons = new Set(CASES.map(([, reason]) => reason));
    expect(reasons.size).toBe(20);
  });
});
