import type { QueryPair } from './url.js';

/** What a request claims: from its auth header, or from a pre-signed URL's query. */
export interface Claims {
  /** The `<algo>` of `<prefix>-HMAC-<algo>`, not yet checked (e.g. `SHA999`). */
  readonly hashAlgo: string;
  readonly accessKeyId: string;
  /** `YYYYMMDD` */
  readonly shortDate: string;
  readonly credentialScope: string;
  /** Lower-cased, in the order given. */
  readonly signedHeaders: readonly string[];
  /** Lower-case hex. */
  readonly signature: string;
}

export interface PresignClaims extends Claims {
  readonly date: string;
  readonly expires: number;
}

const CREDENTIAL = ' Credential=';
const SIGNED_HEADERS = ', SignedHeaders=';
const SIGNATURE = ', Signature=';

/**
 * Parses `<prefix>-HMAC-<algo> Credential=<id>/<YYYYMMDD>/<scope>, SignedHeaders=<a;b>,
 * Signature=<hex>` with escher-js's character classes (header names may also hold digits, `_`
 * and `.`). `algoHead` is `<prefix>-HMAC-`. Scans with indexOf: no regex on the hot path.
 */
export function parseAuthHeader(value: string, algoHead: string): Claims | undefined {
  if (!value.startsWith(algoHead)) return undefined;
  const credentialAt = value.indexOf(CREDENTIAL, algoHead.length);
  if (credentialAt < 0) return undefined;
  const signedAt = value.indexOf(SIGNED_HEADERS, credentialAt);
  if (signedAt < 0) return undefined;
  const signatureAt = value.indexOf(SIGNATURE, signedAt);
  if (signatureAt < 0) return undefined;
  const hashAlgo = algorithmOf(value.slice(algoHead.length, credentialAt));
  const credential = parseCredential(value.slice(credentialAt + CREDENTIAL.length, signedAt));
  const signedHeaders = parseSignedHeaders(
    value.slice(signedAt + SIGNED_HEADERS.length, signatureAt),
  );
  const signature = value.slice(signatureAt + SIGNATURE.length);
  if (hashAlgo === undefined || credential === undefined || signedHeaders === undefined) {
    return undefined;
  }
  if (!isHex(signature)) return undefined;
  return { hashAlgo, ...credential, signedHeaders, signature };
}

/** The pre-signed URL parameters, after `X-<vendorKey>-`, in the order {@link PresignParams} keeps. */
const PRESIGN_PARAMS = [
  'Algorithm',
  'Credentials',
  'Date',
  'Expires',
  'SignedHeaders',
  'Signature',
];
const SIGNATURE_AT = PRESIGN_PARAMS.length - 1;

/** The full names of the pre-signed URL parameters for a vendor prefix (`X-<vendorKey>-`). */
export function presignParamNames(paramPrefix: string): readonly string[] {
  return Object.freeze(PRESIGN_PARAMS.map((name) => paramPrefix + name));
}

/** The first value of each pre-signed URL parameter (in `names` order), and whether any repeats. */
export interface PresignParams {
  readonly values: readonly (string | undefined)[];
  readonly repeated: boolean;
}

/**
 * Collects the pre-signed URL parameters of decoded query pairs in one pass. The URL is
 * pre-signed when it has the signature parameter: `values[5] !== undefined`.
 */
export function collectPresignParams(
  pairs: readonly QueryPair[],
  names: readonly string[],
): PresignParams {
  const values = new Array<string | undefined>(names.length);
  let repeated = false;
  for (const [key, value] of pairs) {
    const at = names.indexOf(key);
    if (at < 0) continue;
    if (values[at] === undefined) values[at] = value;
    else repeated = true;
  }
  return { values, repeated };
}

/** Whether the collected parameters hold the signature parameter (the URL is pre-signed). */
export function hasPresignSignature(params: PresignParams): boolean {
  return params.values[SIGNATURE_AT] !== undefined;
}

/**
 * Reads the `X-<vendorKey>-*` parameters of a pre-signed URL (decoded query pairs). Each must
 * appear exactly once.
 */
export function parsePresignParams(
  pairs: readonly QueryPair[],
  paramPrefix: string,
  algoHead: string,
): PresignClaims | undefined {
  return presignClaims(collectPresignParams(pairs, presignParamNames(paramPrefix)), algoHead);
}

/** The claims of collected pre-signed URL parameters; undefined unless each is there once. */
export function presignClaims(params: PresignParams, algoHead: string): PresignClaims | undefined {
  if (params.repeated) return undefined;
  const [algorithm, credentials, date, expires, signedHeaderList, signature] = params.values;
  if (
    algorithm === undefined ||
    credentials === undefined ||
    date === undefined ||
    expires === undefined ||
    signedHeaderList === undefined ||
    signature === undefined
  ) {
    return undefined;
  }
  const hashAlgo = algorithm.startsWith(algoHead)
    ? algorithmOf(algorithm.slice(algoHead.length))
    : undefined;
  const credential = parseCredential(credentials);
  const signedHeaders = parseSignedHeaders(signedHeaderList);
  if (hashAlgo === undefined || credential === undefined || signedHeaders === undefined) {
    return undefined;
  }
  // Expires: 1 to 10 digits.
  if (!isHex(signature) || expires.length > 10 || !isDigits(expires)) return undefined;
  return { hashAlgo, ...credential, signedHeaders, signature, date, expires: Number(expires) };
}

/** `[A-Za-z0-9,]+` */
function algorithmOf(text: string): string | undefined {
  return text !== '' && allChars(text, isAlgoChar) ? text : undefined;
}

/** `<id>/<YYYYMMDD>/<scope>`: id `[A-Za-z0-9_-]+`, scope `[A-Za-z0-9_ /-]+`. */
function parseCredential(
  text: string,
): Pick<Claims, 'accessKeyId' | 'shortDate' | 'credentialScope'> | undefined {
  const slash = text.indexOf('/');
  if (slash < 1 || text.charCodeAt(slash + 9) !== 47 /* / */) return undefined;
  const accessKeyId = text.slice(0, slash);
  const shortDate = text.slice(slash + 1, slash + 9);
  const credentialScope = text.slice(slash + 10);
  if (!allChars(accessKeyId, isIdChar)) return undefined;
  if (!allChars(shortDate, isDigit)) return undefined;
  if (credentialScope === '' || !allChars(credentialScope, isScopeChar)) return undefined;
  return { accessKeyId, shortDate, credentialScope };
}

/** `a;b;c`, each a header name of `[A-Za-z0-9_.-]`, returned lower-cased. */
function parseSignedHeaders(text: string): string[] | undefined {
  const names = text.toLowerCase().split(';');
  for (const name of names) {
    if (name === '' || !allChars(name, isNameChar)) return undefined;
  }
  return names;
}

function isHex(text: string): boolean {
  return text !== '' && allChars(text, isLowerHex);
}

function isDigits(text: string): boolean {
  return text !== '' && allChars(text, isDigit);
}

// Character classes (char codes): 44 , 45 - 46 . 47 / 95 _ 32 space.
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isAlnum = (c: number): boolean => isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isAlgoChar = (c: number): boolean => isAlnum(c) || c === 44;
const isIdChar = (c: number): boolean => isAlnum(c) || c === 45 || c === 95;
const isScopeChar = (c: number): boolean => isIdChar(c) || c === 32 || c === 47;
const isNameChar = (c: number): boolean => isIdChar(c) || c === 46;
const isLowerHex = (c: number): boolean => isDigit(c) || (c >= 97 && c <= 102);

/**
 * The classes above as bits of one ASCII table (every class is ASCII), so that one monomorphic
 * loop checks any of them.
 */
const CLASSES = [isDigit, isAlgoChar, isIdChar, isScopeChar, isNameChar, isLowerHex];
const CLASS_TABLE = Uint8Array.from({ length: 128 }, (_, code) =>
  CLASSES.reduce((bits, ok, bit) => (ok(code) ? bits | (1 << bit) : bits), 0),
);
type CharClass = (typeof CLASSES)[number];

function allChars(text: string, ok: CharClass): boolean {
  const bit = 1 << CLASSES.indexOf(ok);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 128 || ((CLASS_TABLE[code] ?? 0) & bit) === 0) return false;
  }
  return true;
}
