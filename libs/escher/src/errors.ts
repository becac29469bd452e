/**
 * Why a request could not be signed or was not authenticated. The gateway logs the reason and
 * answers with a generic message; the message itself follows Escher's wording (the conformance
 * vectors' `expected.error`), so it can be compared with other Escher implementations.
 */
export type EscherErrorReason =
  | 'invalid_config'
  | 'invalid_method'
  | 'missing_body'
  | 'invalid_url'
  | 'invalid_mandatory_headers'
  | 'missing_date_header'
  | 'invalid_date'
  | 'missing_auth_header'
  | 'invalid_auth_header'
  | 'missing_host_header'
  | 'host_not_signed'
  | 'date_not_signed'
  | 'header_not_signed'
  | 'invalid_scope'
  | 'invalid_hash_algorithm'
  | 'date_mismatch'
  | 'date_out_of_range'
  | 'unknown_key'
  | 'invalid_key'
  | 'signature_mismatch';

export class EscherError extends Error {
  constructor(
    readonly reason: EscherErrorReason,
    message: string,
  ) {
    super(message);
    this.name = 'EscherError';
  }
}

/** Escher's messages for the reasons whose text does not depend on the request. */
const MESSAGES = {
  invalid_method: 'The request method is invalid',
  invalid_url: "The request url shouldn't contains http or https",
  invalid_mandatory_headers:
    'The mandatorySignedHeaders parameter must be undefined or array of strings',
  invalid_date: 'The request date is invalid',
  invalid_auth_header: 'Could not parse auth header',
  invalid_scope: 'The credential scope is invalid',
  invalid_hash_algorithm: 'Only SHA256 and SHA512 hash algorithms are allowed',
  date_mismatch: 'The credential date does not match with the request date',
  date_out_of_range: 'The request date is not within the accepted time range',
  unknown_key: 'Invalid Escher key',
  invalid_key: 'Invalid Escher key',
  signature_mismatch: 'The signatures do not match',
} as const satisfies Partial<Record<EscherErrorReason, string>>;

export function fail(reason: keyof typeof MESSAGES): never {
  throw new EscherError(reason, MESSAGES[reason]);
}

/** `name` is lower-cased, as Escher does: "The x-ems-date header is missing". */
export function missingHeader(
  reason: 'missing_date_header' | 'missing_auth_header' | 'missing_host_header',
  name: string,
): never {
  throw new EscherError(reason, `The ${name.toLowerCase()} header is missing`);
}

export function notSigned(
  reason: 'host_not_signed' | 'date_not_signed' | 'header_not_signed',
  name: string,
): never {
  throw new EscherError(reason, `The ${name.toLowerCase()} header is not signed`);
}

export function missingBody(method: string): never {
  throw new EscherError(
    'missing_body',
    `The request body shouldn't be empty if the request method is ${method}`,
  );
}

export function invalidConfig(message: string): never {
  throw new EscherError('invalid_config', message);
}
