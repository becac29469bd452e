import {
  collectPresignParams,
  hasPresignSignature,
  parseAuthHeader,
  presignClaims,
  presignParamNames,
  type Claims,
} from './auth-header.js';
import {
  canonicalHeaderList,
  canonicalQuery,
  canonicalRequest,
  stringToSign,
} from './canonical.js';
import {
  isHashAlgo,
  resolveParams,
  type EscherParams,
  type HashAlgo,
  type ResolvedParams,
} from './config.js';
import {
  deriveSigningKey,
  hashHex,
  hmacHex,
  isKeyMaterial,
  signatureMatches,
  type KeyMaterial,
} from './crypto.js';
import { parseDateMs, toLongDate } from './dates.js';
import { fail, missingHeader, notSigned } from './errors.js';
import { headerValue, readHeaders } from './headers.js';
import { bodyOf, checkRequest, type EscherRequest } from './request.js';
import { canonicalPath, parseQuery, splitUrl } from './url.js';

export interface VerifierOptions extends EscherParams {
  /** Headers (any case) that must be in SignedHeaders, besides `host` and the date header. */
  readonly mandatorySignedHeaders?: readonly string[];
}

/** What the lookup may answer; `undefined`/`null` means "no such key". */
export type KeyLookupResult = KeyMaterial | undefined | null;

/**
 * Finds the key of an access key id for a day (`YYYYMMDD`) and hash algorithm: the secret, or
 * the signing key derived for that day, the verifier's scope and that algorithm.
 */
export type SyncKeyLookup = (
  accessKeyId: string,
  shortDate: string,
  hashAlgo: HashAlgo,
) => KeyLookupResult;
export type KeyLookup = (
  accessKeyId: string,
  shortDate: string,
  hashAlgo: HashAlgo,
) => KeyLookupResult | PromiseLike<KeyLookupResult>;

/** A request that passed every check but the signature; everything the key lookup needs. */
export interface PreparedVerification {
  readonly accessKeyId: string;
  readonly shortDate: string;
  readonly hashAlgo: HashAlgo;
  readonly presigned: boolean;
  /** A pre-signed URL's `X-Antavo-Expires` in seconds, as signed; 0 for a signed header. */
  readonly expiresSeconds: number;
  readonly stringToSign: string;
  readonly signature: string;
}

/** The payload hash of a pre-signed URL: the hash of the text `UNSIGNED-PAYLOAD`, per algorithm. */
const UNSIGNED_PAYLOAD_HASH: Readonly<Record<HashAlgo, string>> = Object.freeze({
  SHA256: hashHex('SHA256', 'UNSIGNED-PAYLOAD'),
  SHA512: hashHex('SHA512', 'UNSIGNED-PAYLOAD'),
});

/**
 * Authenticates Escher-signed requests (auth header or pre-signed URL). The checks run in
 * escher-js's order, except that the key lookup comes last, right before the signature check,
 * so that a malformed, stale or mis-scoped request never costs a key fetch.
 */
export class EscherVerifier {
  private readonly params: ResolvedParams;
  private readonly algoHead: string;
  private readonly presignNames: readonly string[];
  private readonly signatureParam: string;
  private readonly mandatory: readonly string[];

  constructor(options: VerifierOptions = {}) {
    this.params = resolveParams(options);
    this.algoHead = `${this.params.algoPrefix}-HMAC-`;
    const paramPrefix = `X-${this.params.vendorKey}-`;
    this.presignNames = presignParamNames(paramPrefix);
    this.signatureParam = `${paramPrefix}Signature`;
    this.mandatory = checkMandatory(options.mandatorySignedHeaders);
  }

  /**
   * Verifies `request` and returns its access key id; throws an {@link EscherError} otherwise.
   * With a synchronous lookup (e.g. a cache of derived keys) the result is synchronous. When the
   * lookup returns a Promise, so does this method; errors found before the lookup are still
   * thrown synchronously, so call it inside `await`.
   */
  authenticate(request: EscherRequest, lookup: SyncKeyLookup): string;
  authenticate(request: EscherRequest, lookup: KeyLookup): string | Promise<string>;
  authenticate(request: EscherRequest, lookup: KeyLookup): string | Promise<string> {
    const prepared = this.prepare(request);
    const key = lookup(prepared.accessKeyId, prepared.shortDate, prepared.hashAlgo);
    if (isPromiseLike(key)) {
      return Promise.resolve(key).then((resolved) => this.complete(prepared, resolved));
    }
    return this.complete(prepared, key);
  }

  /** Every check but the signature; the first half of {@link authenticate}. */
  prepare(request: EscherRequest): PreparedVerification {
    const params = this.params;
    const method = checkRequest(request);
    const url = splitUrl(request.url);
    const pairs = parseQuery(url.query);
    // Only a GET can be pre-signed; its query parameters are read once, here.
    const presignParams =
      method === 'GET' && pairs.length > 0
        ? collectPresignParams(pairs, this.presignNames)
        : undefined;
    const presigned = presignParams !== undefined && hasPresignSignature(presignParams);
    const headers = readHeaders(request.headers);

    let claims: Claims;
    let requestMs: number;
    let expires = 0;
    if (presigned) {
      const parsed = presignClaims(presignParams, this.algoHead);
      if (parsed === undefined) fail('invalid_auth_header');
      requestMs = parseDateMs(parsed.date);
      if (Number.isNaN(requestMs)) fail('invalid_date');
      claims = parsed;
      expires = parsed.expires;
    } else {
      const date = headerValue(headers, params.dateHeader);
      if (date === undefined) missingHeader('missing_date_header', params.dateHeader);
      requestMs = parseDateMs(date);
      if (Number.isNaN(requestMs)) fail('invalid_date');
      const auth = headerValue(headers, params.authHeader);
      if (auth === undefined) missingHeader('missing_auth_header', params.authHeader);
      const parsed = parseAuthHeader(auth, this.algoHead);
      if (parsed === undefined) fail('invalid_auth_header');
      claims = parsed;
    }

    if (!headers.names.includes('host')) missingHeader('missing_host_header', 'host');
    const signed = claims.signedHeaders;
    for (const name of this.mandatory) {
      if (!signed.includes(name)) notSigned('header_not_signed', name);
    }
    if (!signed.includes('host')) notSigned('host_not_signed', 'host');
    if (!presigned && !signed.includes(params.dateHeader)) {
      notSigned('date_not_signed', params.dateHeader);
    }
    if (claims.credentialScope !== params.credentialScope) fail('invalid_scope');
    const hashAlgo = claims.hashAlgo;
    if (!isHashAlgo(hashAlgo)) fail('invalid_hash_algorithm');
    const longDate = toLongDate(requestMs);
    if (!longDate.startsWith(claims.shortDate)) fail('date_mismatch');
    // requestDate − skew ≤ now < requestDate + expires + skew
    const now = params.now().getTime();
    const skew = params.clockSkewMs;
    if (!(requestMs - skew <= now && now < requestMs + expires * 1000 + skew)) {
      fail('date_out_of_range');
    }

    const canonical = canonicalRequest({
      method,
      path: canonicalPath(url.path),
      query: canonicalQuery(pairs, presigned ? this.signatureParam : undefined),
      headers: canonicalHeaderList(headers, signed),
      payloadHash: presigned ? UNSIGNED_PAYLOAD_HASH[hashAlgo] : hashHex(hashAlgo, bodyOf(request)),
    });
    return {
      accessKeyId: claims.accessKeyId,
      shortDate: claims.shortDate,
      hashAlgo,
      presigned,
      expiresSeconds: expires,
      stringToSign: stringToSign(
        params.algoPrefix,
        hashAlgo,
        longDate,
        params.credentialScope,
        canonical,
      ),
      signature: claims.signature,
    };
  }

  /** Checks the signature with the key found for `prepared`; returns the access key id. */
  complete(prepared: PreparedVerification, key: KeyLookupResult): string {
    if (!isKeyMaterial(key)) fail('unknown_key');
    const { algoPrefix, credentialScope } = this.params;
    const { hashAlgo, shortDate } = prepared;
    // A looked-up day key is reused for many requests: its HMAC pads are computed once.
    const expected =
      'signingKey' in key
        ? hmacHex(hashAlgo, key.signingKey, prepared.stringToSign, true)
        : hmacHex(
            hashAlgo,
            deriveSigningKey(key.secret, algoPrefix, hashAlgo, shortDate, credentialScope),
            prepared.stringToSign,
            false,
          );
    if (!signatureMatches(expected, prepared.signature)) fail('signature_mismatch');
    return prepared.accessKeyId;
  }
}

/** Must be undefined or an array of strings (checked at run time, as Escher does). */
function checkMandatory(value: unknown): readonly string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((name) => typeof name === 'string')) {
    fail('invalid_mandatory_headers');
  }
  return Object.freeze(value.map((name: string) => name.toLowerCase()));
}

function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function';
}
