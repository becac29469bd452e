import { GatewayErrorCodes, type GatewayDecision } from '@loyalty-edge/gateway-contracts';
import type { PolicyStore } from '../policies/policy-store.js';
import type { AuthMethod, Exchange } from '../proxy/exchange.js';

export type Identity =
  | { readonly ok: true; readonly workspaceId: string; readonly method: AuthMethod }
  | {
      readonly ok: false;
      readonly decision: GatewayDecision;
      readonly reason: string;
      readonly code: number;
      readonly message: string;
    };

const FORM = /^application\/x-www-form-urlencoded/i;

function refuse(reason: string, code: number, message: string): Identity {
  return { ok: false, decision: 'unauthenticated', reason, code, message };
}

/** Finds `api_key` in a query string or form body without decoding anything else. */
export function findApiKey(query: string): string | undefined {
  if (!query.includes('api_key=')) return undefined;
  return new URLSearchParams(query).get('api_key') ?? undefined;
}

/**
 * Who is calling: resolves the workspace from the credentials in the request, using only the
 * in-memory policies. Unknown and deactivated keys get the same answer.
 */
export class Authenticator {
  constructor(private readonly store: PolicyStore) {}

  /** A form body must be read first when the key may be in it. */
  needsBody(exchange: Exchange): boolean {
    return (
      FORM.test(exchange.req.headers['content-type'] ?? '') &&
      findApiKey(exchange.query) === undefined
    );
  }

  identify(exchange: Exchange): Identity {
    const authorization = exchange.req.headers.authorization;
    if (authorization?.startsWith('ANTAVO-HMAC-') || /(?:^|&)X-Antavo-/i.test(exchange.query)) {
      return refuse(
        'signature_not_enabled',
        GatewayErrorCodes.invalidSignature,
        'Signature authentication failed',
      );
    }
    const apiKey =
      findApiKey(exchange.query) ??
      (exchange.body !== undefined && FORM.test(exchange.req.headers['content-type'] ?? '')
        ? findApiKey(exchange.body.toString('latin1'))
        : undefined);
    if (apiKey === undefined) {
      return refuse(
        'missing_credentials',
        GatewayErrorCodes.missingCredentials,
        'Missing API key or signature',
      );
    }
    const record = this.store.apiKeys.get(apiKey);
    if (record?.status !== 'active') {
      return refuse(
        record ? 'inactive_key' : 'unknown_key',
        GatewayErrorCodes.invalidCredentials,
        'Invalid API key',
      );
    }
    return { ok: true, workspaceId: record.workspaceId, method: 'api_key' };
  }
}
