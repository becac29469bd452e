export { antavoParams, ESCHER_DEFAULTS, type EscherParams, type HashAlgo } from './config.js';
export { deriveSigningKey, type KeyMaterial } from './crypto.js';
export { parseEscherDate, toLongDate, toRfc1123, toShortDate } from './dates.js';
export { EscherError, type EscherErrorReason } from './errors.js';
export type { HeaderPair, HeaderRecord, HeadersInput } from './headers.js';
export type { EscherRequest, SignedRequest } from './request.js';
export { EscherSigner, type SignerOptions, type SignResult } from './signer.js';
export {
  EscherVerifier,
  type KeyLookup,
  type KeyLookupResult,
  type PreparedVerification,
  type SyncKeyLookup,
  type VerifierOptions,
} from './verifier.js';
