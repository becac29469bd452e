/** When a signing key signs and how long it is published: pure rules, times in epoch ms. */
export interface ScheduledKey {
  readonly kid: string;
  /** From when it signs. */
  readonly activatesAt: number;
  /** From when it no longer signs (the next key's activation); null for the newest key. */
  readonly retiredAt: number | null;
}

/** The key that signs at `now`: the one with the greatest activation time not after `now`. */
export function signingKeyAt<K extends ScheduledKey>(
  keys: readonly K[],
  now: number,
): K | undefined {
  let best: K | undefined;
  for (const key of keys) {
    if (key.activatesAt <= now && (best === undefined || key.activatesAt > best.activatesAt)) {
      best = key;
    }
  }
  return best;
}

/**
 * In the JWKS at `now`: every key not yet retired (the next key before it activates too), and
 * retired keys for `retainMs` after retirement, while tokens they signed may still be valid.
 */
export function isPublished(key: ScheduledKey, now: number, retainMs: number): boolean {
  return key.retiredAt === null || key.retiredAt > now - retainMs;
}

export interface RotationRules {
  readonly rotateAfterMs: number;
  readonly activationDelayMs: number;
}

/**
 * When a new key should start signing, or undefined when no rotation is due. `newest` is the
 * key with no retirement (the active key, or the next one still waiting to activate). With no
 * key at all the new one signs at once; otherwise it is published `activationDelayMs` first.
 */
export function plannedActivation(
  newest: ScheduledKey | undefined,
  now: number,
  rules: RotationRules,
  force = false,
): number | undefined {
  if (newest === undefined) return now;
  if (!force && now - newest.activatesAt < rules.rotateAfterMs) return undefined;
  return now + rules.activationDelayMs;
}
