import { canonicalHeaders, canonicalQuery, canonicalRequest, stringToSign } from './canonical.js';
import { resolveParams, type EscherParams, type ResolvedParams } from './config.js';
import { hashHex, hmac, isKeyMaterial, signingKeyOf, type KeyMaterial } from './crypto.js';
import { toLongDate, toRfc1123 } from './dates.js';
import { EscherError, fail, invalidConfig } from './errors.js';
import { findHeader, toHeaderPairs } from './headers.js';
import { bodyOf, checkRequest, type EscherRequest, type SignedRequest } from './request.js';
import { canonicalPath, parseQuery, splitUrl } from './url.js';

export interface SignerOptions extends EscherParams {
  readonly accessKeyId: string;
  /**
   * The API secret, or a signing key derived for the UTC day of `now()`, this credential scope
   * and hash algorithm. Required: signing without it throws `invalid_key` (as Escher does).
   */
  readonly key?: KeyMaterial;
}

export interface SignResult {
  /** The request with the headers to send: the given ones, the date header if it was missing, then the auth header. */
  readonly request: SignedRequest;
  readonly authHeader: string;
  readonly canonicalRequest: string;
  readonly stringToSign: string;
}

const ACCESS_KEY_ID = /^[A-Za-z0-9_-]+$/;

/** Signs requests (auth header) and URLs (pre-signed, GET only) for one access key. */
export class EscherSigner {
  private readonly params: ResolvedParams;
  private readonly accessKeyId: string;
  private readonly key: KeyMaterial | undefined;

  constructor(options: SignerOptions) {
    this.params = resolveParams(options);
    if (typeof options.accessKeyId !== 'string' || !ACCESS_KEY_ID.test(options.accessKeyId)) {
      invalidConfig('accessKeyId must match [A-Za-z0-9_-]+');
    }
    this.accessKeyId = options.accessKeyId;
    this.key = options.key;
  }

  /**
   * Signs `host`, the date header and `headersToSign` (any case; those missing from the request
   * are skipped). Adds the date header (now) when the request has none. The request is not
   * modified. A date header already present is signed as given, with now as the signing time.
   */
  sign(request: EscherRequest, headersToSign: readonly string[] = []): SignResult {
    const method = checkRequest(request);
    const params = this.params;
    const now = this.now();
    const headers = toHeaderPairs(request.headers);
    if (findHeader(headers, params.dateHeader) === undefined) {
      const date = params.dateHeader === 'date' ? toRfc1123(now) : toLongDate(now);
      headers.push([params.dateHeaderName, date]);
    }
    const url = splitUrl(request.url);
    const names = ['host', params.dateHeader, ...headersToSign.map((name) => name.toLowerCase())];
    const signed = canonicalHeaders(headers, names);
    const canonical = canonicalRequest({
      method,
      path: canonicalPath(url.path),
      query: canonicalQuery(parseQuery(url.query)),
      headers: signed,
      payloadHash: hashHex(params.hashAlgo, bodyOf(request)),
    });
    const { toSign, signature } = this.signString(canonical, now);
    const authHeader = `${this.credentialPrefix(now)}, SignedHeaders=${signed.signedHeaders}, Signature=${signature}`;
    headers.push([params.authHeaderName, authHeader]);
    return {
      request: { ...request, headers },
      authHeader,
      canonicalRequest: canonical,
      stringToSign: toSign,
    };
  }

  /**
   * Pre-signs an absolute GET URL valid for `expires` seconds from now: appends the
   * `X-<vendorKey>-Algorithm, -Credentials, -Date, -Expires, -SignedHeaders, -Signature`
   * parameters, keeping a `#fragment` at the end. The signature covers the `host` (the URL's
   * authority, with an explicit port if given) and the payload `UNSIGNED-PAYLOAD`.
   */
  presignUrl(url: string, expires: number): string {
    if (!Number.isSafeInteger(expires) || expires < 0) {
      invalidConfig('expires must be a non-negative integer number of seconds');
    }
    const hashAt = url.indexOf('#');
    const base = hashAt < 0 ? url : url.slice(0, hashAt);
    const fragment = hashAt < 0 ? '' : url.slice(hashAt);
    const parts = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)(.*)$/s.exec(base);
    if (parts === null)
      throw new EscherError('invalid_url', 'The url to pre-sign must be absolute');
    const authority = parts[1] ?? '';
    const host = authority.slice(authority.lastIndexOf('@') + 1).toLowerCase();
    const rest = parts[2] ?? '';
    const pathAndQuery = rest.startsWith('/') ? rest : `/${rest}`;

    const params = this.params;
    const now = this.now();
    const prefix = `X-${params.vendorKey}-`;
    const shortDate = toLongDate(now).slice(0, 8);
    const queryParams: [name: string, value: string][] = [
      ['Algorithm', `${params.algoPrefix}-HMAC-${params.hashAlgo}`],
      ['Credentials', `${this.accessKeyId}/${shortDate}/${params.credentialScope}`],
      ['Date', toLongDate(now)],
      ['Expires', String(expires)],
      ['SignedHeaders', 'host'],
    ];
    const query = queryParams
      .map(([name, value]) => `${encodeURIComponent(prefix + name)}=${encodeURIComponent(value)}`)
      .join('&');
    const separator = base.includes('?') ? '&' : '?';
    const target = splitUrl(`${pathAndQuery}${separator}${query}`);
    const canonical = canonicalRequest({
      method: 'GET',
      path: canonicalPath(target.path),
      query: canonicalQuery(parseQuery(target.query)),
      headers: canonicalHeaders([['host', host]], ['host']),
      payloadHash: hashHex(params.hashAlgo, 'UNSIGNED-PAYLOAD'),
    });
    const { signature } = this.signString(canonical, now);
    const signatureParam = `${encodeURIComponent(`${prefix}Signature`)}=${signature}`;
    return `${base}${separator}${query}&${signatureParam}${fragment}`;
  }

  private now(): Date {
    const now = this.params.now();
    if (Number.isNaN(now.getTime())) invalidConfig('now() returned an invalid date');
    return now;
  }

  private signString(canonical: string, now: Date): { toSign: string; signature: string } {
    const key = this.key;
    if (!isKeyMaterial(key)) fail('invalid_key');
    const { algoPrefix, hashAlgo, credentialScope } = this.params;
    const longDate = toLongDate(now);
    const toSign = stringToSign(algoPrefix, hashAlgo, longDate, credentialScope, canonical);
    const signingKey = signingKeyOf(
      key,
      algoPrefix,
      hashAlgo,
      longDate.slice(0, 8),
      credentialScope,
    );
    return { toSign, signature: hmac(hashAlgo, signingKey, toSign).toString('hex') };
  }

  private credentialPrefix(now: Date): string {
    const { algoPrefix, hashAlgo, credentialScope } = this.params;
    const shortDate = toLongDate(now).slice(0, 8);
    return `${algoPrefix}-HMAC-${hashAlgo} Credential=${this.accessKeyId}/${shortDate}/${credentialScope}`;
  }
}
