import { GatewayErrorCodes } from '@loyalty-edge/gateway-contracts';
import { EscherError, type EscherVerifier, type PreparedVerification } from '@loyalty-edge/escher';
import type { PolicyStore } from '../policies/policy-store.js';
import type { AuthMethod, Exchange } from '../proxy/exchange.js';
import { refusal, type Refusal } from '../proxy/refusal.js';

/** Who is calling; for a signature, what is left to check once the workspace's policies pass. */
export type Identity =
  | {
      readonly ok: true;
      readonly workspaceId: string;
      readonly method: AuthMethod;
      readonly apiKey: string;
      readonly signature?: PreparedVerification;
    }
  | Refusal;

const FORM = /^application\/x-www-form-urlencoded/i;
const SIGNED_HEADER = /^[A-Za-z0-9]+-HMAC-/;
const PRESIGNED = /(?:^|&)X-Antavo-Signature=/i;

export function unauthenticated(reason: string, code: number, message: string): Refusal {
  return refusal({ status: 401, decision: 'unauthenticated', reason, code, message });
}

export function badSignature(reason: string): Refusal {
  return refusal({
    status: 401,
    decision: 'signature_invalid',
    reason,
    code: GatewayErrorCodes.invalidSignature,
    message: 'Signature authentication failed',
  });
}

/** Finds `api_key` in a query string or form body without decoding anything else. */
export function findApiKey(query: string): string | undefined {
  if (!query.includes('api_key=')) return undefined;
  return new URLSearchParams(query).get('api_key') ?? undefined;
}

/** An Escher `Authorization` header or a presigned URL. */
function isSigned(exchange: Exchange): boolean {
  if (exchange.signed === undefined) {
    const authorization = exchange.req.headers.authorization;
    exchange.signed =
      (authorization !== undefined && SIGNED_HEADER.test(authorization)) ||
      PRESIGNED.test(exchange.query);
  }
  return exchange.signed;
}

/**
 * Identifies the caller from the credentials in the request, using only in-memory policies:
 * an Escher signature (header or presigned URL; every check but the signature itself runs
 * here) or a plain `api_key`. Unknown and deactivated keys get the same answer.
 */
export class KeyAuthenticator {
  constructor(
    private readonly store: PolicyStore,
    private readonly verifier: EscherVerifier,
  ) {}

  /** The whole body must be read first: to hash it for a signature, or to find a form key. */
  needsBody(exchange: Exchange): boolean {
    if (isSigned(exchange)) return true;
    return (
      FORM.test(exchange.req.headers['content-type'] ?? '') &&
      findApiKey(exchange.query) === undefined
    );
  }

  identify(exchange: Exchange): Identity {
    if (isSigned(exchange)) return this.identifySigned(exchange);
    const apiKey =
      findApiKey(exchange.query) ??
      (exchange.body !== undefined && FORM.test(exchange.req.headers['content-type'] ?? '')
        ? findApiKey(exchange.body.toString('latin1'))
        : undefined);
    if (apiKey === undefined) {
      return unauthenticated(
        'missing_credentials',
        GatewayErrorCodes.missingCredentials,
        'Missing API key or signature',
      );
    }
    return this.lookup(apiKey, 'api_key');
  }

  private identifySigned(exchange: Exchange): Identity {
    const { req } = exchange;
    let prepared: PreparedVerification;
    try {
      prepared = this.verifier.prepare({
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        // the raw pairs keep repeated headers apart, as Escher signs them (`v1,v2`)
        headers: req.rawHeaders,
        body: exchange.body ?? new Uint8Array(0),
      });
    } catch (error) {
      return badSignature(error instanceof EscherError ? error.reason : 'invalid_signature');
    }
    const identity = this.lookup(prepared.accessKeyId, 'signature');
    return identity.ok ? { ...identity, signature: prepared } : identity;
  }

  private lookup(apiKey: string, method: AuthMethod): Identity {
    const record = this.store.apiKeys.get(apiKey);
    // an old key in the overlap after a regeneration works until its record's validUntil; the
    // date is only read for such a key, never for an active one
    if (
      record?.status !== 'active' &&
      (record?.validUntil === undefined || Date.parse(record.validUntil) <= Date.now())
    ) {
      const reason = record ? 'inactive_key' : 'unknown_key';
      return method === 'signature'
        ? badSignature(reason)
        : unauthenticated(reason, GatewayErrorCodes.invalidCredentials, 'Invalid API key');
    }
    return { ok: true, workspaceId: record.workspaceId, method, apiKey };
  }
}
