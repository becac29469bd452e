/** Who made a change or asked for one: recorded in the audit log with the change. */
export interface Actor {
  readonly type: ActorType;
  readonly id: string;
  readonly email?: string;
}

/** An admin in the web app, a personal access token, or the platform itself. */
export const ACTOR_TYPES = ['admin', 'token', 'system'] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];
