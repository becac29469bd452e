import { SignatureRpc } from '@loyalty-edge/signature-contracts';
import type { HashAlgo } from '@loyalty-edge/escher';
import type { RpcClient } from '@loyalty-edge/nats';

interface Entry {
  readonly key: Uint8Array;
  readonly expiresAt: number;
}

const DAY_MS = 86_400_000;

/** The end of a `YYYYMMDD` day (UTC), plus the clock skew a request of that day may have. */
function endOfDay(shortDate: string, skewMs: number): number {
  const start = Date.UTC(
    Number(shortDate.slice(0, 4)),
    Number(shortDate.slice(4, 6)) - 1,
    Number(shortDate.slice(6, 8)),
  );
  return start + DAY_MS + skewMs;
}

/**
 * Escher signing keys derived by the signature service, one per (api key, day, algorithm),
 * cached until their day ends; the raw secret never reaches the gateway. Concurrent misses for
 * the same key share one request. A credential change evicts the api key's entries.
 */
export class DerivedKeyCache {
  private readonly entries = new Map<string, Entry>();
  private readonly byApiKey = new Map<string, Set<string>>();
  private readonly pending = new Map<string, Promise<Uint8Array | undefined>>();
  private stored = 0;

  constructor(
    private readonly rpc: RpcClient,
    private readonly skewMs: number,
    private readonly maxEntries = 100_000,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** A cached key, or undefined (then call `fetch`). */
  get(
    apiKey: string,
    shortDate: string,
    hashAlgo: HashAlgo,
    now = Date.now(),
  ): Uint8Array | undefined {
    const id = `${apiKey}|${shortDate}|${hashAlgo}`;
    const entry = this.entries.get(id);
    if (entry === undefined) return undefined;
    if (entry.expiresAt > now) return entry.key;
    this.drop(id, apiKey);
    return undefined;
  }

  /** Asks the signature service once; undefined when the key is not active there. */
  fetch(apiKey: string, shortDate: string, hashAlgo: HashAlgo): Promise<Uint8Array | undefined> {
    const id = `${apiKey}|${shortDate}|${hashAlgo}`;
    let request = this.pending.get(id);
    if (request === undefined) {
      request = this.rpc
        .request(SignatureRpc.deriveKey, { apiKey, shortDate, hashAlgo })
        .then((derived) => {
          if (derived === null) return undefined;
          const key = new Uint8Array(Buffer.from(derived.signingKey, 'base64'));
          this.store(id, apiKey, { key, expiresAt: endOfDay(shortDate, this.skewMs) });
          return key;
        })
        .finally(() => this.pending.delete(id));
      this.pending.set(id, request);
    }
    return request;
  }

  evict(apiKey: string): void {
    for (const id of this.byApiKey.get(apiKey) ?? []) this.entries.delete(id);
    this.byApiKey.delete(apiKey);
  }

  private drop(id: string, apiKey: string): void {
    this.entries.delete(id);
    const ids = this.byApiKey.get(apiKey);
    ids?.delete(id);
    if (ids?.size === 0) this.byApiKey.delete(apiKey);
  }

  /** Drops the keys of days that are over (nobody asks for them again). */
  sweep(now = Date.now()): void {
    for (const [id, entry] of this.entries) {
      if (entry.expiresAt <= now) this.drop(id, id.slice(0, id.indexOf('|')));
    }
  }

  private store(id: string, apiKey: string, entry: Entry): void {
    this.stored += 1;
    if (this.stored % 1000 === 0) this.sweep();
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.drop(oldest, oldest.slice(0, oldest.indexOf('|')));
    }
    this.entries.set(id, entry);
    let ids = this.byApiKey.get(apiKey);
    if (ids === undefined) {
      ids = new Set();
      this.byApiKey.set(apiKey, ids);
    }
    ids.add(id);
  }
}
