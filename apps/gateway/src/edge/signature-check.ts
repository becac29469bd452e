import type { KV } from '@nats-io/kv';
import type { ApiId } from '@loyalty-edge/contracts';
import { EscherError, type EscherVerifier, type PreparedVerification } from '@loyalty-edge/escher';
import { AppError } from '@loyalty-edge/errors';
import { GatewayErrorCodes } from '@loyalty-edge/gateway-contracts';
import { openBucket, type NatsLink } from '@loyalty-edge/nats';
import type { PolicyStore } from '../policies/policy-store.js';
import type { Exchange } from '../proxy/exchange.js';
import { refusal, type Refusal } from '../proxy/refusal.js';
import { badSignature, unauthenticated } from './key-authenticator.js';
import type { DerivedKeyCache } from './derived-keys.js';

/**
 * Optional replay protection: a signature may be used once within the skew window, across
 * every gateway replica (a JetStream KV bucket whose entries expire after the window). It
 * costs one NATS round trip per signed request, and fails closed when NATS cannot answer.
 */
export class ReplayGuard {
  private constructor(private readonly kv: KV) {}

  static async open(link: NatsLink, windowSeconds: number): Promise<ReplayGuard> {
    const kv = await openBucket(link, 'escher_replay', { ttlMs: windowSeconds * 2 * 1000 });
    return new ReplayGuard(kv);
  }

  /** true the first time a signature is seen; throws when the store cannot answer. */
  async firstSeen(signature: string): Promise<boolean> {
    try {
      await this.kv.create(signature, new Uint8Array(0));
      return true;
    } catch (error) {
      if (error instanceof Error && /wrong last sequence|key exists/i.test(error.message))
        return false;
      throw error;
    }
  }
}

/** What a good signature must also be bound to: the gateway's host names, a bounded validity. */
export interface SignatureBinding {
  /** `host` or `host:port`, lower-case; empty: any host. A name without a port allows any port. */
  readonly hosts: readonly string[];
  /** The longest `X-Antavo-Expires` of a presigned URL. */
  readonly maxExpiresSeconds: number;
}

/** The last step of a signed request: the signature itself, with a cached day key. */
export class SignatureCheck {
  private readonly exactHosts: ReadonlySet<string>;
  private readonly anyPortHosts: ReadonlySet<string>;

  constructor(
    private readonly verifier: EscherVerifier,
    private readonly keys: DerivedKeyCache,
    private readonly replay: ReplayGuard | undefined,
    private readonly binding: SignatureBinding,
  ) {
    this.exactHosts = new Set(binding.hosts);
    this.anyPortHosts = new Set(binding.hosts.filter((host) => hostname(host) === host));
  }

  /**
   * undefined when the signature is good; synchronous when the day key is cached and no replay
   * check runs. The signed `Host` must be one of the gateway's (so a signature made for another
   * service that knows the same key is no good here) and a presigned URL may not be valid for
   * longer than the cap; both are checked before any key is fetched.
   */
  check(
    apiKey: string,
    prepared: PreparedVerification,
    exchange: Exchange,
  ): Refusal | undefined | Promise<Refusal | undefined> {
    if (this.exactHosts.size > 0 && !this.hostAllowed(exchange.req.headers.host)) {
      return badSignature('host_not_allowed');
    }
    if (prepared.expiresSeconds > this.binding.maxExpiresSeconds) {
      return badSignature('expires_too_long');
    }
    const cached = this.keys.get(apiKey, prepared.shortDate, prepared.hashAlgo);
    if (cached !== undefined) return this.complete(prepared, cached);
    return this.keys.fetch(apiKey, prepared.shortDate, prepared.hashAlgo).then(
      (key) => (key === undefined ? badSignature('unknown_key') : this.complete(prepared, key)),
      (error: unknown) =>
        error instanceof AppError && error.kind === 'invalid'
          ? badSignature('date_out_of_range')
          : unauthenticated(
              'key_service_unavailable',
              GatewayErrorCodes.invalidSignature,
              'Signature authentication failed',
            ),
    );
  }

  private complete(
    prepared: PreparedVerification,
    signingKey: Uint8Array,
  ): Refusal | undefined | Promise<Refusal | undefined> {
    try {
      this.verifier.complete(prepared, { signingKey });
    } catch (error) {
      return badSignature(error instanceof EscherError ? error.reason : 'signature_mismatch');
    }
    if (!this.replay) return undefined;
    return this.replay.firstSeen(prepared.signature.toLowerCase()).then(
      (first) => (first ? undefined : badSignature('replayed_signature')),
      () => badSignature('replay_store_unavailable'),
    );
  }

  /** The signed Host (it must be signed: the verifier checked) is one of the gateway's. */
  private hostAllowed(host: string | undefined): boolean {
    if (host === undefined) return false;
    const lower = host.toLowerCase();
    return this.exactHosts.has(lower) || this.anyPortHosts.has(hostname(lower));
  }
}

/** `host` without its port (`[::1]:8080` is `[::1]`). */
function hostname(host: string): string {
  const colon = host.lastIndexOf(':');
  return colon > host.lastIndexOf(']') ? host.slice(0, colon) : host;
}

/** A plain api key where {@link signatureRequired} says a signature is needed. */
export const SIGNATURE_REQUIRED = refusal({
  status: 401,
  code: GatewayErrorCodes.signatureRequired,
  message: 'This API requires a signed request',
  decision: 'signature_required',
  reason: 'signature_required',
});

/** Whether a plain `api_key` request must be refused: deployment-wide, or per API when the module is on. */
export function signatureRequired(
  store: PolicyStore,
  requireEverywhere: boolean,
  workspaceId: string,
  api: ApiId,
): boolean {
  if (requireEverywhere) return true;
  if (store.workspaces.get(workspaceId)?.modules.signatureCheck !== true) return false;
  return store.enforcement.get(workspaceId)?.has(api) === true;
}
