import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsLink } from './connection.js';

/** True when NATS refused a publish or subscription of this user (its subject permissions). */
export function isPermissionViolation(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if (e.name === 'PermissionViolationError' || /permissions violation/i.test(e.message)) {
      return true;
    }
  }
  return false;
}

/**
 * Raises the replicas of an existing stream (a KV bucket is the stream `KV_<bucket>`) to
 * `link.replicas` when it has fewer; never lowers them. With `ownerOnly`, a user the NATS
 * permissions do not allow to update the stream leaves it as it is: its owner raises it.
 */
export async function raiseReplicas(
  link: NatsLink,
  stream: string,
  { ownerOnly = false }: { readonly ownerOnly?: boolean } = {},
): Promise<number> {
  const jsm = await jetstreamManager(link.connection, { checkAPI: false });
  const current = (await jsm.streams.info(stream)).config.num_replicas || 1;
  if (current >= link.replicas) return current;
  try {
    await jsm.streams.update(stream, { num_replicas: link.replicas });
    return link.replicas;
  } catch (error) {
    if (ownerOnly && isPermissionViolation(error)) return current;
    throw error;
  }
}
