export { type EntryErrorReason, type ParseFailure, type Words } from './address.js';
export {
  type ClientAddress,
  type ClientAddressOptions,
  parseClientAddress,
} from './client-address.js';
export {
  type IpEntry,
  type IpFamily,
  type ParseEntryResult,
  InvalidIpEntryError,
  parseEntry,
  parseEntryOrThrow,
} from './entry.js';
export { type IpMatcher, compileMatcher } from './matcher.js';
export { ClientIpResolver } from './client-ip-resolver.js';
