import { EscherError, invalidConfig } from './errors.js';

export type HashAlgo = 'SHA256' | 'SHA512';

/** Escher parameters; absent keys take Escher's defaults (see {@link ESCHER_DEFAULTS}). */
export interface EscherParams {
  /** `<algoPrefix>-HMAC-<hashAlgo>` names the algorithm; the key chain starts from `algoPrefix + secret`. */
  readonly algoPrefix?: string;
  /** Names the pre-signed URL parameters: `X-<vendorKey>-Signature` etc. */
  readonly vendorKey?: string;
  /** Used to sign. A verifier takes the algorithm from the request (SHA256 or SHA512). */
  readonly hashAlgo?: HashAlgo;
  /** e.g. `eu/api/antavo_request`; a verifier accepts only this exact scope. */
  readonly credentialScope?: string;
  readonly authHeaderName?: string;
  /** When it is `Date` (any case), the signer writes RFC 1123 dates, otherwise `20110909T233600Z`. */
  readonly dateHeaderName?: string;
  /** Accepted clock difference in seconds. */
  readonly clockSkew?: number;
  /** The clock; inject a fixed one in tests. */
  readonly now?: () => Date;
}

export const ESCHER_DEFAULTS = {
  algoPrefix: 'ESR',
  vendorKey: 'Escher',
  hashAlgo: 'SHA256',
  credentialScope: 'escher_request',
  authHeaderName: 'X-Escher-Auth',
  dateHeaderName: 'X-Escher-Date',
  clockSkew: 300,
} as const;

/** The Escher parameters Antavo's clients use, for the deployment's stack id (`region`). */
export function antavoParams(region: string): EscherParams {
  return {
    algoPrefix: 'ANTAVO',
    vendorKey: 'Antavo',
    hashAlgo: 'SHA256',
    credentialScope: `${region}/api/antavo_request`,
    authHeaderName: 'Authorization',
    dateHeaderName: 'Date',
  };
}

/** Validated parameters with the derived strings the hot path needs, computed once. */
export interface ResolvedParams {
  readonly algoPrefix: string;
  readonly vendorKey: string;
  readonly hashAlgo: HashAlgo;
  readonly credentialScope: string;
  readonly authHeaderName: string;
  readonly dateHeaderName: string;
  /** Lower-cased header names (header names compare case-insensitively). */
  readonly authHeader: string;
  readonly dateHeader: string;
  readonly clockSkewMs: number;
  readonly now: () => Date;
}

export function isHashAlgo(value: unknown): value is HashAlgo {
  return value === 'SHA256' || value === 'SHA512';
}

// RFC 9110 token characters: a header name must be one.
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export function resolveParams(params: EscherParams = {}): ResolvedParams {
  // Validate as unknown: the values may come from JSON config or plain JavaScript callers.
  const raw: Record<string, unknown> = { ...ESCHER_DEFAULTS };
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined) raw[key] = value;
  }
  const text = (key: string, valid: (value: string) => boolean, what: string): string => {
    const value = raw[key];
    if (typeof value !== 'string' || !valid(value)) invalidConfig(`${key} must be ${what}`);
    return value;
  };
  const nonEmpty = (value: string): boolean => value !== '';
  const headerName = (value: string): boolean => TOKEN.test(value);
  const hashAlgo = raw['hashAlgo'];
  if (!isHashAlgo(hashAlgo)) {
    throw new EscherError(
      'invalid_hash_algorithm',
      'Only SHA256 and SHA512 hash algorithms are allowed',
    );
  }
  const clockSkew = raw['clockSkew'];
  if (typeof clockSkew !== 'number' || !Number.isFinite(clockSkew) || clockSkew < 0) {
    invalidConfig('clockSkew must be a non-negative number of seconds');
  }
  const authHeaderName = text('authHeaderName', headerName, 'a header name');
  const dateHeaderName = text('dateHeaderName', headerName, 'a header name');
  return Object.freeze({
    algoPrefix: text('algoPrefix', nonEmpty, 'a non-empty string'),
    vendorKey: text('vendorKey', nonEmpty, 'a non-empty string'),
    hashAlgo,
    credentialScope: text('credentialScope', nonEmpty, 'a non-empty string'),
    authHeaderName,
    dateHeaderName,
    authHeader: authHeaderName.toLowerCase(),
    dateHeader: dateHeaderName.toLowerCase(),
    clockSkewMs: clockSkew * 1000,
    now: params.now ?? (() => new Date()),
  });
}
