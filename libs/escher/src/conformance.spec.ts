// Runs every shared Escher test vector (<repo>/../shared/conformance/escher, `.conflict/` skipped)
// with the semantics of SOURCE.md §5: config.date is the clock, keys come from keyDb.
import {
  loadConformanceSuite,
  normalizeHeaderList,
  type CaseKind,
  type ConformanceCase,
} from '../test/conformance-cases.js';
import type { EscherParams } from './config.js';
import { deriveSigningKey } from './crypto.js';
import { EscherError, type EscherErrorReason } from './errors.js';
import { EscherSigner } from './signer.js';
import { EscherVerifier, type SyncKeyLookup } from './verifier.js';

const suite = loadConformanceSuite();
const ran = new Map<CaseKind | 'reverse', number>();
const count = (kind: CaseKind | 'reverse'): void => {
  ran.set(kind, (ran.get(kind) ?? 0) + 1);
};
const ofKind = (kind: CaseKind): ConformanceCase[] => suite.cases.filter((c) => c.kind === kind);

/** Every expected error message of the vectors, with the reason we give for it. */
const REASONS: Record<string, EscherErrorReason> = {
  'The request method is invalid': 'invalid_method',
  "The request url shouldn't contains http or https": 'invalid_url',
  "The request body shouldn't be empty if the request method is POST": 'missing_body',
  'Invalid Escher key': 'unknown_key',
  'The mandatorySignedHeaders parameter must be undefined or array of strings':
    'invalid_mandatory_headers',
  'The credential date does not match with the request date': 'date_mismatch',
  'The date header is not signed': 'date_not_signed',
  'The host header is not signed': 'host_not_signed',
  'The mustbesigned header is not signed': 'header_not_signed',
  'Could not parse auth header': 'invalid_auth_header',
  'The credential scope is invalid': 'invalid_scope',
  'Only SHA256 and SHA512 hash algorithms are allowed': 'invalid_hash_algorithm',
  'The authorization header is missing': 'missing_auth_header',
  'The date header is missing': 'missing_date_header',
  'The host header is missing': 'missing_host_header',
  'The request date is not within the accepted time range': 'date_out_of_range',
  'The signatures do not match': 'signature_mismatch',
};

function paramsOf(c: ConformanceCase): EscherParams {
  const { date, accessKeyId: _id, apiSecret: _secret, ...params } = c.config;
  return { ...params, now: () => new Date(date) };
}

function signerOf(c: ConformanceCase): EscherSigner {
  const secret = c.config.apiSecret;
  return new EscherSigner({
    ...paramsOf(c),
    accessKeyId: c.config.accessKeyId ?? '',
    ...(secret === undefined ? {} : { key: { secret } }),
  });
}

function verify(c: ConformanceCase, lookup?: SyncKeyLookup): string {
  const verifier = new EscherVerifier({
    ...paramsOf(c),
    // Passed through unchecked: the ducktype cases give wrong types on purpose.
    mandatorySignedHeaders: c.mandatorySignedHeaders as readonly string[] | undefined,
  });
  return verifier.authenticate(
    { ...c.request, headers: c.request.headers ?? [] },
    lookup ?? keyDbLookup(c),
  );
}

function keyDbLookup(c: ConformanceCase): SyncKeyLookup {
  return (id) => {
    const secret = c.keyDb?.find(([key]) => key === id)?.[1];
    return secret === undefined ? undefined : { secret };
  };
}

/** The lookup the gateway uses: signing keys derived for the day, never the secret. */
function derivedKeyLookup(c: ConformanceCase): SyncKeyLookup {
  const secrets = keyDbLookup(c);
  const { algoPrefix = 'ESR', credentialScope = 'escher_request' } = c.config;
  return (id, shortDate, hashAlgo) => {
    const found = secrets(id, shortDate, hashAlgo);
    if (!found || !('secret' in found)) return found;
    return {
      signingKey: deriveSigningKey(found.secret, algoPrefix, hashAlgo, shortDate, credentialScope),
    };
  };
}

function expectEscherError(
  run: () => unknown,
  message = '',
  reason: EscherErrorReason | undefined = REASONS[message],
): void {
  let error: unknown;
  try {
    run();
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(EscherError);
  expect(reason).toBeDefined();
  expect(error).toMatchObject({ message, reason });
}

describe(EscherSigner.name, () => {
  it.each(ofKind('sign-ok'))('signs $file', (c) => {
    count('sign-ok');
    const result = signerOf(c).sign(
      { ...c.request, headers: c.request.headers ?? [] },
      c.headersToSign,
    );
    const expected = c.expected;
    expect(result.canonicalRequest).toBe(expected.canonicalizedRequest);
    expect(result.stringToSign).toBe(expected.stringToSign);
    expect(result.authHeader).toBe(expected.authHeader);
    const headers = expected.request?.headers ?? [];
    expect(normalizeHeaderList(result.request.headers)).toEqual(normalizeHeaderList(headers));
    expect(result.request.headers).toEqual(headers); // stricter: same names, same order
  });

  it.each(ofKind('sign-error'))('rejects $file', (c) => {
    count('sign-error');
    expectEscherError(
      () => signerOf(c).sign({ ...c.request, headers: c.request.headers ?? [] }, c.headersToSign),
      c.expected.error,
      // Signing without a key is a configuration problem, not an unknown client key.
      c.expected.error === 'Invalid Escher key' ? 'invalid_key' : undefined,
    );
  });

  it.each(ofKind('presign-ok'))('pre-signs $file', (c) => {
    count('presign-ok');
    expect(signerOf(c).presignUrl(c.request.url, c.request.expires ?? 0)).toBe(c.expected.url);
  });
});

describe(EscherVerifier.name, () => {
  it.each(ofKind('validate-ok'))('accepts $file', (c) => {
    count('validate-ok');
    expect(verify(c)).toBe(c.expected.apiKey);
    expect(verify(c, derivedKeyLookup(c))).toBe(c.expected.apiKey);
  });

  it.each(ofKind('validate-error'))('rejects $file', (c) => {
    count('validate-error');
    expectEscherError(() => verify(c), c.expected.error);
  });

  // SOURCE.md §5.6: every signed request of a sign-ok case authenticates at the same clock.
  it.each(ofKind('sign-ok'))('accepts the signed request of $file', (c) => {
    count('reverse');
    const { accessKeyId = '', apiSecret = '' } = c.config;
    const signed = {
      ...c,
      request: c.expected.request ?? c.request,
      keyDb: [[accessKeyId, apiSecret]],
    };
    expect(verify(signed as ConformanceCase)).toBe(accessKeyId);
  });
});

afterAll(() => {
  console.log(
    `Escher conformance cases run: ${[...ran].map(([kind, n]) => `${kind} ${n}`).join(', ')}`,
  );
  const total = [...ran].reduce((sum, [kind, n]) => (kind === 'reverse' ? sum : sum + n), 0);
  // Every case file ran once (a folder that went missing fails loadConformanceSuite).
  expect(total).toBe(suite.files.length);
  // The counts that SOURCE.md §2 documents for this copy of the vectors.
  expect(Object.fromEntries(ran)).toEqual({
    'sign-ok': 44,
    'sign-error': 3,
    'presign-ok': 4,
    'validate-ok': 9,
    'validate-error': 20,
    reverse: 44,
  });
});
