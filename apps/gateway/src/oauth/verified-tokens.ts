import { LEEWAY_SECONDS, type AccessClaims } from './access-token.js';

export interface VerifiedToken {
  readonly kid: string;
  readonly claims: AccessClaims;
}

/**
 * Tokens whose signature was verified, with their parsed claims, so a token used again costs
 * no ECDSA verification. Keyed by the whole token (a signature alone would let other claims
 * ride on it). Bounded: the oldest entry leaves when full; an entry leaves when its token has
 * expired, and every entry of a key that left the JWKS goes at once. Only the signature and
 * the parsing are cached: time, revocation, module and IP checks run on every request.
 */
export class VerifiedTokens {
  private readonly entries = new Map<string, VerifiedToken>();
  private added = 0;

  constructor(
    private readonly maxEntries = 10_000,
    private readonly sweepEvery = 1000,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get(token: string, nowSeconds: number): VerifiedToken | undefined {
    const entry = this.entries.get(token);
    if (entry === undefined) return undefined;
    if (expired(entry, nowSeconds)) {
      this.entries.delete(token);
      return undefined;
    }
    return entry;
  }

  add(token: string, entry: VerifiedToken, nowSeconds: number): void {
    if (expired(entry, nowSeconds)) return;
    this.added += 1;
    if (this.added % this.sweepEvery === 0) this.sweep(nowSeconds);
    if (this.entries.size >= this.maxEntries && !this.entries.has(token)) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(token, entry);
  }

  /** Drops every token signed by one of these keys (they left the JWKS). */
  forgetKids(kids: readonly string[]): void {
    const gone = new Set(kids);
    for (const [token, entry] of this.entries) {
      if (gone.has(entry.kid)) this.entries.delete(token);
    }
  }

  /** Drops the tokens that have expired. */
  sweep(nowSeconds: number): void {
    for (const [token, entry] of this.entries) {
      if (expired(entry, nowSeconds)) this.entries.delete(token);
    }
  }
}

function expired(entry: VerifiedToken, nowSeconds: number): boolean {
  return entry.claims.exp <= nowSeconds - LEEWAY_SECONDS;
}
