import type { ClientRules } from './client-rules.js';

export const CLIENT_SETTINGS = Symbol('ClientSettings');

/** The environment's client rules and what every client's view shows of its tokens. */
export interface ClientSettings extends ClientRules {
  readonly issuer: string;
  readonly validitySeconds: number;
  readonly maxActive: number;
}

/** Seconds after a client's revocation or expiry when no token of it can still be valid. */
export function pruneAfterSeconds(settings: Pick<ClientSettings, 'validitySeconds'>): number {
  return settings.validitySeconds + 60;
}
