import type { KeyObject } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { PublicJwk } from '@loyalty-edge/token-contracts';
import { signingKeyAt, type ScheduledKey } from './key-schedule.js';

export interface RingKey extends ScheduledKey {
  readonly jwk: PublicJwk;
  /** Unsealed once, for keys that sign now or will; undefined for keys that never sign again. */
  readonly privateKey: KeyObject | undefined;
}

export interface Signer {
  readonly kid: string;
  readonly privateKey: KeyObject;
}

/**
 * The signing keys held in memory (loaded by SigningKeysService): the token hot path picks its
 * key here without a database query. Every replica holds the next key before it activates, so
 * they all switch at the same instant.
 */
@Injectable()
export class KeyRing {
  private keys: readonly RingKey[] = [];
  private markLoaded!: () => void;
  /** Resolves once the keys are first loaded (requests can arrive before start-up ends). */
  readonly loaded = new Promise<void>((resolve) => (this.markLoaded = resolve));

  replace(keys: readonly RingKey[]): void {
    this.keys = keys;
    this.markLoaded();
  }

  get(kid: string): RingKey | undefined {
    return this.keys.find((key) => key.kid === kid);
  }

  /** The kids held, sorted (to compare with a published JWKS). */
  kids(): string[] {
    return this.keys.map((key) => key.kid).sort();
  }

  /** The key that signs at `now`, or undefined when none is active (or unsealed). */
  signer(now: number = Date.now()): Signer | undefined {
    const key = signingKeyAt(this.keys, now);
    return key?.privateKey === undefined ? undefined : { kid: key.kid, privateKey: key.privateKey };
  }
}
