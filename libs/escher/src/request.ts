import { fail, missingBody } from './errors.js';
import type { HeaderPair, HeadersInput } from './headers.js';

/** An HTTP request as Escher sees it. */
export interface EscherRequest {
  /** Any case; canonicalised to upper case. */
  readonly method: string;
  /** Path and optional query as sent (origin-form, e.g. Node's `req.url`), never absolute. */
  readonly url: string;
  readonly headers: HeadersInput;
  /**
   * The raw body: bytes, or text hashed as UTF-8. POST, PUT and PATCH need one (`''` is fine);
   * absent means no body and hashes like `''` for the other methods.
   */
  readonly body?: string | Uint8Array;
}

/** A request as the signer returns it: headers as pairs, ready to send. */
export interface SignedRequest extends EscherRequest {
  readonly headers: readonly HeaderPair[];
}

const METHODS = new Set([
  'OPTIONS',
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'TRACE',
  'PATCH',
  'CONNECT',
]);

/** Escher's first checks, shared by signing and verification. Returns the upper-case method. */
export function checkRequest(request: EscherRequest): string {
  const given: unknown = request.method;
  if (typeof given !== 'string') fail('invalid_method');
  const method = given.toUpperCase();
  if (!METHODS.has(method)) fail('invalid_method');
  const body: unknown = request.body;
  const hasBody = typeof body === 'string' || body instanceof Uint8Array;
  if (!hasBody && (method === 'POST' || method === 'PUT' || method === 'PATCH')) {
    missingBody(given);
  }
  const url: unknown = request.url;
  if (typeof url !== 'string' || isAbsolute(url)) fail('invalid_url');
  return method;
}

/** The bytes or text to hash: the body if it is one (checked at run time), else none (`''`). */
export function bodyOf(request: EscherRequest): string | Uint8Array {
  const body: unknown = request.body;
  return typeof body === 'string' || body instanceof Uint8Array ? body : '';
}

/** `http://` or `https://` at the start, in any case. */
function isAbsolute(url: string): boolean {
  const head = url.slice(0, 8).toLowerCase();
  return head.startsWith('http://') || head === 'https://';
}
